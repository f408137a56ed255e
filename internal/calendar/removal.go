package calendar

import "quietdesk/internal/practice"

// RemovalReason says why a booking is removed instead of cancelled. It is a
// choice, not free text, because it goes into the audit trail, which holds
// no one's details.
type RemovalReason string

const (
	BookedTwice     RemovalReason = "duplicate"     // the same session booked twice
	WrongPatient    RemovalReason = "wrong-patient" // booked for the wrong person
	WrongDetails    RemovalReason = "wrong-details" // wrong clinician, time or place
	PracticeBooking RemovalReason = "test"          // a test or training booking
)

// Removal asks to remove a booking made in error.
type Removal struct {
	ID     string        `json:"id"`
	Scope  Scope         `json:"scope"` // a series booked in error goes from here on
	Reason RemovalReason `json:"reason"`
}

// AuditAction is the audit action that records a removal and its reason.
func (r Removal) AuditAction() string { return "appointment.remove." + string(r.Reason) }

// RemoveBooking deletes a booking made in error, unlike a cancellation,
// which stays on the calendar and may owe a fee. A session that took place
// (checked in, completed, or a no-show) is history and cannot be removed.
// With a series scope the series also stops making sessions. Each removal
// is audited for by with r.AuditAction(); it returns the appointments
// removed. Errors: EInvalid (no reason), EConflict (a session that took
// place), ENotFound.
func (s *Service) RemoveBooking(tx Store, by practice.Actor, r Removal) ([]practice.Appointment, error) {
	list, err := s.removeBooking(tx, r)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if err := tx.Audit(by.AccountID, r.AuditAction(), "appointments", a.ID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (s *Service) removeBooking(tx Store, r Removal) ([]practice.Appointment, error) {
	switch r.Reason {
	case BookedTwice, WrongPatient, WrongDetails, PracticeBooking:
	default:
		return nil, practice.FieldProblem("reason", "Say why the booking is removed: booked twice, wrong patient, wrong details or a test booking.")
	}
	f, err := s.load(tx)
	if err != nil {
		return nil, err
	}
	a, err := tx.Appointment(r.ID)
	if err != nil {
		return nil, err
	}
	if tookPlace(a.Status) {
		return nil, practice.Errorf(practice.EConflict, "This session is %s: it took place and stays on the record. Correct its status instead.", stateWords[a.Status])
	}
	list, err := f.targets(a, r.Scope)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		if err := tx.DeleteAppointment(o.ID); err != nil {
			return nil, err
		}
	}
	if a.SeriesID != "" && r.Scope != ThisSession && r.Scope != "" {
		series, err := tx.Series(a.SeriesID)
		if err != nil {
			return nil, err
		}
		series.Ended = true
		if err := tx.SaveSeries(&series); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// tookPlace reports whether a status records something that happened.
func tookPlace(s practice.Status) bool {
	return s == practice.CheckedIn || s == practice.Completed || s == practice.NoShow
}
