package calendar

import (
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// RangeQuery asks for the appointments starting in [From, To).
type RangeQuery struct {
	From, To     time.Time
	ClinicianIDs []string // empty: every clinician
	LocationID   string
	RoomID       string
}

// ViewResult is what a calendar view shows.
type ViewResult struct {
	Appointments []practice.Appointment // in full: the viewer may open them
	Busy         []practice.Appointment // colleagues' booked time: clinician, start, end only
	TimeOff      []practice.TimeOff
}

// Opened is one appointment opened for editing.
type Opened struct {
	Appointment practice.Appointment
	VideoLink   string // the appointment's own, else its clinician's
	Series      *practice.Series
}

// errOtherSchedule refuses an actor limited to their own caseload another
// clinician's appointment.
var errOtherSchedule = practice.Errorf(practice.EForbidden, "This appointment is on another clinician's schedule.")

// Range loads the appointments starting in [q.From, q.To) as by may see
// them, audited as one view of the calendar naming the patients it showed.
// An actor with every caseload sees them all; one limited to their own (a
// clinician) sees their own in full and colleagues' open bookings as busy
// time with no patient, type, place or status, so a colleague's column
// never looks free and never shows whom they see. Errors: EInvalid (more
// than two months).
func (s *Service) Range(tx Store, by practice.Actor, q RangeQuery) (ViewResult, error) {
	var v ViewResult
	if q.To.Sub(q.From) > 62*24*time.Hour || !q.To.After(q.From) {
		return v, practice.Errorf(practice.EInvalid, "Show at most two months at a time.")
	}
	appts, err := tx.AppointmentsBetween(q.From, q.To, store.AppointmentFilter{ClinicianIDs: q.ClinicianIDs, LocationID: q.LocationID, RoomID: q.RoomID})
	if err != nil {
		return v, err
	}
	if v.TimeOff, err = tx.TimeOffBetween(q.From, q.To); err != nil {
		return v, err
	}
	for _, a := range appts {
		switch {
		case by.Sees(a.ClinicianID):
			v.Appointments = append(v.Appointments, a)
		case a.Status.Open():
			v.Busy = append(v.Busy, practice.Appointment{ID: a.ID, ClinicianID: a.ClinicianID, Start: a.Start, End: a.End})
		}
	}
	return v, tx.Audit(by.AccountID, "calendar.view", "patients", v.ShownPatients())
}

// ShownPatients lists, once each and sorted, the patients whose
// appointments the view shows in full, space-separated: the one audit
// entry of a view names every record it showed.
func (v ViewResult) ShownPatients() string {
	var ids []string
	for _, a := range v.Appointments {
		ids = append(ids, a.PatientID)
	}
	slices.Sort(ids)
	return strings.Join(slices.Compact(ids), " ")
}

// Open opens one appointment for by (audited). A telehealth session
// without its own video link shows its clinician's. Errors: ENotFound,
// EForbidden (another clinician's, for an actor limited to their own).
func (s *Service) Open(tx Store, by practice.Actor, id string) (Opened, error) {
	a, err := tx.Appointment(id)
	if err != nil {
		return Opened{}, err
	}
	if !by.Sees(a.ClinicianID) {
		return Opened{}, errOtherSchedule
	}
	o := Opened{Appointment: a, VideoLink: a.VideoLink}
	if a.Telehealth && o.VideoLink == "" {
		if c, err := tx.Clinician(a.ClinicianID); err == nil {
			o.VideoLink = c.VideoLink
		}
	}
	if a.SeriesID != "" {
		s, err := tx.Series(a.SeriesID)
		if err != nil {
			return Opened{}, err
		}
		o.Series = &s
	}
	return o, tx.Audit(by.AccountID, "appointment.read", "appointments", id)
}
