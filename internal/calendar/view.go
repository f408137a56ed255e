package calendar

import (
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

// View is what a calendar view shows: appointments and the time off that
// shades it.
type View struct {
	Appointments []practice.Appointment
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

// Range lists the appointments of a view for by, audited as one view of
// the calendar. An actor limited to their own caseload sees their own
// schedule whatever was asked. Errors: EInvalid (more than two months).
func (s *Service) Range(tx Store, by practice.Actor, q RangeQuery) (View, error) {
	if q.To.Sub(q.From) > 62*24*time.Hour || !q.To.After(q.From) {
		return View{}, practice.Errorf(practice.EInvalid, "Show at most two months at a time.")
	}
	if by.OwnCaseload {
		q.ClinicianIDs = []string{by.ClinicianID} // "" matches no appointment
	}
	appts, err := tx.AppointmentsBetween(q.From, q.To, store.AppointmentFilter{ClinicianIDs: q.ClinicianIDs, LocationID: q.LocationID, RoomID: q.RoomID})
	if err != nil {
		return View{}, err
	}
	off, err := tx.TimeOffBetween(q.From, q.To)
	if err != nil {
		return View{}, err
	}
	return View{Appointments: appts, TimeOff: off}, tx.Audit(by.AccountID, "calendar.view", "appointments", "")
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
