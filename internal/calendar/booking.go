package calendar

import (
	"time"

	"quietdesk/internal/practice"
)

// Booking asks for one session, or a recurring series whose first session
// is Appointment.
type Booking struct {
	Appointment practice.Appointment `json:"appointment"`
	Recurrence  *practice.Recurrence `json:"recurrence"` // nil: a one-off
}

// BookingResult is what a booking made (or, for CheckBooking, would make).
type BookingResult struct {
	Appointments []practice.Appointment `json:"appointments"`
	Conflicts    []practice.Conflict    `json:"conflicts"`
	SeriesID     string                 `json:"seriesId"`
}

// plan is a booking worked out: its occurrences and what they clash with.
type plan struct {
	series      *practice.Series
	occurrences []practice.Appointment
	conflicts   [][]practice.Conflict // per occurrence
}

// CheckBooking reports what a booking would clash with, writing nothing.
// Errors: EInvalid.
func (s *Service) CheckBooking(tx Store, b Booking) ([]practice.Conflict, error) {
	f, err := s.load(tx)
	if err != nil {
		return nil, err
	}
	p, err := f.plan(b, tx.Now())
	if err != nil {
		return nil, err
	}
	return flatten(p.conflicts), nil
}

// Book books a session or a series for by. Hard conflicts refuse the
// booking unless Appointment.OverrideReason says why it is booked anyway;
// that reason is kept on each clashing appointment. Every appointment made
// is audited (see recordWrites). Errors: EInvalid, EConflict, ENotFound.
func (s *Service) Book(tx Store, by practice.Actor, b Booking) (BookingResult, error) {
	res, err := s.book(tx, b)
	if err != nil {
		return res, err
	}
	return res, recordWrites(tx, by, "appointment.book", res.Appointments)
}

func (s *Service) book(tx Store, b Booking) (BookingResult, error) {
	f, err := s.load(tx)
	if err != nil {
		return BookingResult{}, err
	}
	p, err := f.plan(b, tx.Now())
	if err != nil {
		return BookingResult{}, err
	}
	res := BookingResult{Conflicts: flatten(p.conflicts)}
	if err := hardConflictError(res.Conflicts, b.Appointment.OverrideReason); err != nil {
		return res, err
	}
	if p.series != nil {
		if err := tx.SaveSeries(p.series); err != nil {
			return res, err
		}
		res.SeriesID = p.series.ID
	}
	for i, a := range p.occurrences {
		if len(p.conflicts[i]) == 0 {
			a.OverrideReason = ""
		}
		if p.series != nil {
			a.SeriesID = p.series.ID
			if _, err := tx.AddOccurrence(&a); err != nil {
				return res, err
			}
		} else if err := tx.SaveAppointment(&a); err != nil {
			return res, err
		}
		res.Appointments = append(res.Appointments, a)
	}
	return res, nil
}

// plan validates a booking and expands it into occurrences with their
// conflicts.
func (f *facts) plan(b Booking, now time.Time) (plan, error) {
	a := b.Appointment
	a.ID, a.SeriesID, a.Status = "", "", practice.Scheduled
	a.ActualStart, a.ActualEnd, a.CancelledBy, a.LateCancel, a.FeeCents, a.Reason = time.Time{}, time.Time{}, "", false, 0, ""
	if a.Telehealth {
		a.RoomID = ""
	}
	a.Normalize()
	if err := a.Validate(); err != nil {
		return plan{}, err
	}
	if err := f.checkBookable(a); err != nil {
		return plan{}, err
	}
	if b.Recurrence == nil {
		found, err := f.conflicts(a)
		if err != nil {
			return plan{}, err
		}
		p := plan{occurrences: []practice.Appointment{a}, conflicts: [][]practice.Conflict{found}}
		return p, f.withSessionChecks(p.occurrences, p.conflicts)
	}
	s := &practice.Series{PatientID: a.PatientID, ClinicianID: a.ClinicianID, TypeID: a.TypeID, LocationID: a.LocationID,
		RoomID: a.RoomID, Telehealth: a.Telehealth, First: a.Start, DurationMin: int(a.End.Sub(a.Start) / time.Minute),
		Recurrence: *b.Recurrence}
	starts, err := f.extend(s, a.Start, now)
	if err != nil {
		return plan{}, err
	}
	if len(starts) == 0 {
		return plan{}, practice.FieldProblem("recurrence.weekdays", "This series has no sessions: check its days and its end.")
	}
	p := plan{series: s}
	for _, start := range starts {
		occ := a
		occ.Occurrence, occ.Start, occ.End = start, start, start.Add(a.End.Sub(a.Start))
		found, err := f.conflicts(occ)
		if err != nil {
			return plan{}, err
		}
		p.occurrences = append(p.occurrences, occ)
		p.conflicts = append(p.conflicts, found)
	}
	return p, f.withSessionChecks(p.occurrences, p.conflicts)
}

// extend returns a series' occurrences from `from` up to the horizon and
// moves the series' horizon there, ending it when its rule has no more.
func (f *facts) extend(s *practice.Series, from, now time.Time) ([]time.Time, error) {
	until := horizon(now)
	starts, err := Occurrences(s.First, f.zone, s.Recurrence, from, until)
	if err != nil {
		return nil, err
	}
	s.MaterializedUntil = until
	if s.Recurrence.Until != "" || s.Recurrence.Count > 0 {
		// A finite series ends once nothing lies beyond the horizon; its
		// end is at most MaxSeriesCount sessions away.
		later, err := Occurrences(s.First, f.zone, s.Recurrence, until, s.First.AddDate(30, 0, 0))
		if err != nil {
			return nil, err
		}
		s.Ended = len(later) == 0
	}
	return starts, nil
}

// checkBookable refuses what no override can make right: an inactive
// clinician, type or room, or telehealth for a type that does not allow it.
func (f *facts) checkBookable(a practice.Appointment) error {
	c, ok := f.clinicians[a.ClinicianID]
	switch {
	case !ok:
		return practice.FieldProblem("clinicianId", "Choose an existing clinician.")
	case !c.Active:
		return practice.FieldProblem("clinicianId", c.FirstName+" "+c.LastName+" is inactive and cannot be booked.")
	}
	t, ok := f.types[a.TypeID]
	switch {
	case !ok:
		return practice.FieldProblem("typeId", "Choose an existing appointment type.")
	case !t.Active:
		return practice.FieldProblem("typeId", "The appointment type "+t.Name+" is no longer offered.")
	case a.Telehealth && !t.TelehealthAllowed:
		return practice.FieldProblem("telehealth", t.Name+" sessions are in person only.")
	}
	if a.RoomID != "" {
		if r, ok := f.rooms[a.RoomID]; ok && !r.Active {
			return practice.FieldProblem("roomId", r.Name+" is out of use.")
		}
	}
	return nil
}

// Materialize extends every series still making occurrences up to the
// horizon: the scheduled job that keeps open-ended series a year ahead. It
// returns how many appointments it made. Two machines running it make the
// same rows (store.AddOccurrence).
func Materialize(tx Store) (int, error) {
	f, err := load(tx)
	if err != nil {
		return 0, err
	}
	due, err := tx.SeriesToExtend(horizon(tx.Now()))
	if err != nil {
		return 0, err
	}
	made := 0
	for _, s := range due {
		starts, err := f.extend(&s, s.MaterializedUntil, tx.Now())
		if err != nil {
			return made, err
		}
		for _, start := range starts {
			a := practice.Appointment{SeriesID: s.ID, Occurrence: start, PatientID: s.PatientID, ClinicianID: s.ClinicianID,
				TypeID: s.TypeID, LocationID: s.LocationID, RoomID: s.RoomID, Telehealth: s.Telehealth,
				Start: start, End: start.Add(time.Duration(s.DurationMin) * time.Minute), Status: practice.Scheduled}
			ok, err := tx.AddOccurrence(&a)
			if err != nil {
				return made, err
			}
			if ok {
				made++
			}
		}
		if err := tx.SaveSeries(&s); err != nil {
			return made, err
		}
	}
	return made, nil
}
