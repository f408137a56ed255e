package calendar

import "quietdesk/internal/practice"

// BookingCheck is the calendar's extension point for areas above it
// (authorizations, credentialing): given a proposed appointment — a new
// booking, each session of a series, or a move — it returns what it adds
// to the calendar's own conflicts: warnings (Hard false) or hard conflicts,
// which refuse the booking unless it comes with an override reason. The
// higher area registers its check in NewService, so the calendar never
// imports it. tx is the booking's own transaction; a check that reads its
// own area's tables asserts tx to that area's store interface (*store.Tx
// satisfies every area's).
type BookingCheck func(tx Store, a practice.Appointment) ([]practice.Conflict, error)

// SessionsCheck is a booking check that counts: it is given every session
// of one booking at once (the occurrences of a new series in order, the
// sessions a move shifts, or the one session) and returns each session's
// conflicts, in the same order. An authorization with three sessions left
// needs the whole series to say "sessions 4–12 are outside"; a check of
// one session at a time cannot see the series' own earlier sessions, which
// are not written yet. Register it with Service.AddSessionsCheck.
type SessionsCheck func(tx Store, sessions []practice.Appointment) ([][]practice.Conflict, error)

// AddSessionsCheck registers a counting check (see SessionsCheck); call it
// while wiring the program, before the service is used.
func (s *Service) AddSessionsCheck(c SessionsCheck) { s.sessionChecks = append(s.sessionChecks, c) }

// withSessionChecks adds the counting checks' conflicts of a booking's
// sessions to each session's own.
func (f *facts) withSessionChecks(sessions []practice.Appointment, found [][]practice.Conflict) error {
	for _, check := range f.sessionChecks {
		more, err := check(f.tx, sessions)
		if err != nil {
			return err
		}
		for i := range found {
			if i < len(more) {
				found[i] = append(found[i], more[i]...)
			}
		}
	}
	return nil
}

// recordWrites audits a write to each appointment for by. One written over
// a conflict keeps its override reason: the override is audited too, and
// its double-bookings recorded as conflicts already resolved by by, so no
// machine raises them again after sync.
func recordWrites(tx Store, by practice.Actor, action string, list []practice.Appointment) error {
	for _, a := range list {
		if err := tx.Audit(by.AccountID, action, "appointments", a.ID); err != nil {
			return err
		}
		if a.OverrideReason == "" {
			continue
		}
		if err := tx.Audit(by.AccountID, "appointment.override", "appointments", a.ID); err != nil {
			return err
		}
		if err := acknowledgeOverride(tx, a, by.AccountID); err != nil {
			return err
		}
	}
	return nil
}
