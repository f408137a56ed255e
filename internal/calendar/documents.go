package calendar

import (
	"io"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// errOwnExport refuses an actor limited to their own caseload another
// clinician's feed or printed day.
var errOwnExport = practice.Errorf(practice.EForbidden, "You can only export your own schedule.")

// Feed writes a clinician's iCalendar feed for [from, to) for by: open
// sessions only, each named "Appointment" with its place and never its
// patient. Errors: EForbidden, ENotFound.
func (s *Service) Feed(tx Store, by practice.Actor, w io.Writer, clinicianID string, from, to time.Time) error {
	if !by.Sees(clinicianID) {
		return errOwnExport
	}
	f, c, appts, err := clinicianSchedule(tx, clinicianID, func(*facts) (time.Time, time.Time) { return from, to })
	if err != nil {
		return err
	}
	var events []FeedEvent
	for _, a := range appts {
		if a.Status.Open() {
			events = append(events, FeedEvent{ID: a.ID, Start: a.Start, End: a.End, Place: f.place(a)})
		}
	}
	return WriteFeed(w, c.FirstName+" "+c.LastName+" — Quietdesk", events, tx.Now())
}

// DaySchedule writes a clinician's printable schedule for by, for one day
// (YYYY-MM-DD in the practice's zone), or with clinicianID "" the whole
// practice's day, a section per clinician with sessions that day (for
// those who see every schedule). Patients by first name and last initial
// only. Errors: EForbidden, EInvalid, ENotFound.
func (s *Service) DaySchedule(tx Store, by practice.Actor, w io.Writer, clinicianID, date string) error {
	if !by.Sees(clinicianID) {
		return errOwnExport
	}
	f, err := load(tx)
	if err != nil {
		return err
	}
	day, err := time.ParseInLocation(time.DateOnly, date, f.zone)
	if err != nil {
		return practice.Errorf(practice.EInvalid, "Choose a day to print.")
	}
	start := startOfDay(day, f.zone)
	filter := store.AppointmentFilter{}
	title := f.settings.Name
	if clinicianID != "" {
		c, ok := f.clinicians[clinicianID]
		if !ok {
			return practice.Errorf(practice.ENotFound, "That clinician does not exist.")
		}
		filter.ClinicianIDs, title = []string{clinicianID}, c.DisplayName()
	}
	appts, err := tx.AppointmentsBetween(start, start.AddDate(0, 0, 1), filter)
	if err != nil {
		return err
	}
	sheet := DaySheet{Practice: f.settings.Name, Day: start, Zone: f.zone, Clock: f.settings.Clock}
	index := map[string]int{} // clinician id → section
	for _, a := range appts {
		i, ok := index[a.ClinicianID]
		if !ok {
			i = len(sheet.Sections)
			index[a.ClinicianID] = i
			name := "another clinician"
			if c, ok := f.clinicians[a.ClinicianID]; ok {
				name = c.DisplayName()
			}
			sheet.Sections = append(sheet.Sections, DaySection{Clinician: name})
		}
		sheet.Sections[i].Rows = append(sheet.Sections[i].Rows, ScheduleRow{Start: a.Start, End: a.End,
			Patient: f.patientName(a.PatientID), Type: f.types[a.TypeID].Name, Place: f.place(a), Status: a.Status})
	}
	slices.SortFunc(sheet.Sections, func(a, b DaySection) int { return strings.Compare(a.Clinician, b.Clinician) })
	return WriteDaySchedule(w, title, sheet)
}

// clinicianSchedule loads the calendar's facts, one clinician and their
// appointments (of every status) over the span span computes.
// Errors: ENotFound for an unknown clinician.
func clinicianSchedule(tx Store, clinicianID string, span func(*facts) (time.Time, time.Time)) (*facts, practice.Clinician, []practice.Appointment, error) {
	f, err := load(tx)
	if err != nil {
		return nil, practice.Clinician{}, nil, err
	}
	c, ok := f.clinicians[clinicianID]
	if !ok {
		return nil, c, nil, practice.Errorf(practice.ENotFound, "That clinician does not exist.")
	}
	from, to := span(f)
	appts, err := tx.AppointmentsBetween(from, to, store.AppointmentFilter{ClinicianIDs: []string{clinicianID}})
	return f, c, appts, err
}
