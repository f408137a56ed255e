package calendar

import (
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// Scope says which sessions of a series a change applies to.
type Scope string

const (
	ThisSession      Scope = "this"      // only the chosen session
	ThisAndFollowing Scope = "following" // the chosen session and every later one
	WholeSeries      Scope = "series"    // every session from today on
)

// Move reschedules an appointment: new time, clinician or place.
type Move struct {
	ID             string    `json:"id"`
	Start          time.Time `json:"start" ts_type:"string"`
	End            time.Time `json:"end" ts_type:"string"`
	ClinicianID    string    `json:"clinicianId"`
	LocationID     string    `json:"locationId"`
	RoomID         string    `json:"roomId"`
	Telehealth     bool      `json:"telehealth"`
	Scope          Scope     `json:"scope"`
	OverrideReason string    `json:"overrideReason"`
}

// StatusChange moves an appointment along its lifecycle; a cancellation
// may take the rest of its series with it.
type StatusChange struct {
	ID     string `json:"id"`
	Change Change `json:"change"`
	Scope  Scope  `json:"scope"`
}

// ChangeResult lists the appointments a change wrote, what they clash with,
// and the waitlist entries that fit a slot it freed.
type ChangeResult struct {
	Appointments []practice.Appointment   `json:"appointments"`
	Conflicts    []practice.Conflict      `json:"conflicts"`
	Offers       []practice.WaitlistEntry `json:"offers"`
}

// movable reports whether an appointment's slot may still change.
func movable(s practice.Status) bool { return s == practice.Scheduled || s == practice.Confirmed }

// targets lists the appointments a scoped change applies to: a alone, or
// the open sessions of its series from a on (following) or from the start
// of today (series), in order.
func (f *facts) targets(a practice.Appointment, scope Scope) ([]practice.Appointment, error) {
	switch scope {
	case ThisSession, "":
		return []practice.Appointment{a}, nil
	case ThisAndFollowing, WholeSeries:
	default:
		return nil, practice.FieldProblem("scope", "Choose this session, this and following, or the whole series.")
	}
	if a.SeriesID == "" {
		return []practice.Appointment{a}, nil
	}
	from := a.Occurrence
	if today := startOfDay(f.tx.Now(), f.zone); scope == WholeSeries && today.Before(from) {
		from = today
	}
	all, err := f.tx.SeriesAppointments(a.SeriesID, from)
	if err != nil {
		return nil, err
	}
	var out []practice.Appointment
	for _, o := range all {
		if movable(o.Status) || o.ID == a.ID {
			out = append(out, o)
		}
	}
	return out, nil
}

func startOfDay(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone)
}

// daysBetween counts calendar days from a to b in zone.
func daysBetween(a, b time.Time, zone *time.Location) int {
	da, db := a.In(zone), b.In(zone)
	ua := time.Date(da.Year(), da.Month(), da.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(db.Year(), db.Month(), db.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua) / (24 * time.Hour))
}

// CheckMove reports what a move would clash with, writing nothing.
func (s *Service) CheckMove(tx Store, m Move) ([]practice.Conflict, error) {
	f, err := s.load(tx)
	if err != nil {
		return nil, err
	}
	mp, err := f.planMove(m)
	if err != nil {
		return nil, err
	}
	return flatten(mp.found), nil
}

// Move reschedules an appointment for by, or it and the later sessions of
// its series: they keep their weekday and time relative to the chosen one,
// and the series continues in the new pattern (split off as a new series
// from the first moved session, so earlier sessions keep theirs). Each
// moved appointment is audited (see recordWrites). Errors: EInvalid,
// EConflict (hard conflicts without an override reason, or an appointment
// that already happened), ENotFound.
func (s *Service) Move(tx Store, by practice.Actor, m Move) (ChangeResult, error) {
	res, err := s.move(tx, m)
	if err != nil {
		return res, err
	}
	return res, recordWrites(tx, by, "appointment.move", res.Appointments)
}

func (s *Service) move(tx Store, m Move) (ChangeResult, error) {
	f, err := s.load(tx)
	if err != nil {
		return ChangeResult{}, err
	}
	mp, err := f.planMove(m)
	if err != nil {
		return ChangeResult{}, err
	}
	moved, found := mp.moved, mp.found
	res := ChangeResult{Conflicts: flatten(found)}
	if err := hardConflictError(res.Conflicts, m.OverrideReason); err != nil {
		return res, err
	}
	if len(moved) > 1 {
		seriesID, err := f.resplit(mp)
		if err != nil {
			return res, err
		}
		for i := range moved {
			moved[i].SeriesID = seriesID
		}
	}
	for i := range moved {
		moved[i].OverrideReason = ""
		if len(found[i]) > 0 {
			moved[i].OverrideReason = m.OverrideReason
		}
		if err := tx.SaveAppointment(&moved[i]); err != nil {
			return res, err
		}
	}
	res.Appointments = moved
	return res, nil
}

// movePlan is a move worked out: the chosen appointment as stored, the
// appointments as they will be, their conflicts, and the original series
// slot of the first one moved.
type movePlan struct {
	chosen practice.Appointment
	moved  []practice.Appointment
	found  [][]practice.Conflict
	anchor time.Time
	shift  int // days the chosen session moved
}

// planMove works out the moved appointments and their conflicts.
func (f *facts) planMove(m Move) (movePlan, error) {
	a, err := f.tx.Appointment(m.ID)
	if err != nil {
		return movePlan{}, err
	}
	if !movable(a.Status) {
		return movePlan{}, practice.Errorf(practice.EConflict, "This appointment is marked %s; only scheduled or confirmed appointments can be moved.",
			strings.ToLower(statusWords[a.Status]))
	}
	next := a
	next.Start, next.End, next.ClinicianID, next.LocationID, next.RoomID, next.Telehealth = m.Start, m.End, m.ClinicianID, m.LocationID, m.RoomID, m.Telehealth
	if next.Telehealth {
		next.RoomID = ""
	}
	if err := next.Validate(); err != nil {
		return movePlan{}, err
	}
	if err := f.checkBookable(next); err != nil {
		return movePlan{}, err
	}
	targets, err := f.targets(a, m.Scope)
	if err != nil {
		return movePlan{}, err
	}
	mp := movePlan{chosen: a, anchor: targets[0].Occurrence, shift: daysBetween(a.Start, m.Start, f.zone)}
	clock := m.Start.In(f.zone)
	length := m.End.Sub(m.Start)
	for _, t := range targets {
		if t.ID == a.ID {
			t = next
		} else {
			base := t.Occurrence.In(f.zone)
			t.Start = time.Date(base.Year(), base.Month(), base.Day()+mp.shift, clock.Hour(), clock.Minute(), 0, 0, f.zone).UTC()
			t.End = t.Start.Add(length)
			t.ClinicianID, t.LocationID, t.RoomID, t.Telehealth = next.ClinicianID, next.LocationID, next.RoomID, next.Telehealth
		}
		if len(targets) > 1 {
			t.Occurrence = t.Start // the new pattern's slot
		}
		c, err := f.conflicts(t)
		if err != nil {
			return movePlan{}, err
		}
		mp.moved = append(mp.moved, t)
		mp.found = append(mp.found, c)
	}
	return mp, f.withSessionChecks(mp.moved, mp.found)
}

// resplit gives the moved sessions of a series their own series in the new
// pattern and ends the old one before them; when no earlier session exists
// the series itself changes. It returns the series the moved sessions
// belong to.
func (f *facts) resplit(mp movePlan) (string, error) {
	old, err := f.tx.Series(mp.chosen.SeriesID)
	if err != nil {
		return "", err
	}
	earlier, err := Occurrences(old.First, f.zone, old.Recurrence, old.First, mp.anchor)
	if err != nil {
		return "", err
	}
	moved := mp.moved
	next := old
	next.First = moved[0].Start
	next.ClinicianID, next.LocationID, next.RoomID, next.Telehealth = moved[0].ClinicianID, moved[0].LocationID, moved[0].RoomID, moved[0].Telehealth
	next.DurationMin = int(moved[0].End.Sub(moved[0].Start) / time.Minute)
	next.Recurrence = shiftedRule(old.Recurrence, mp.shift)
	if next.Recurrence.Count > 0 {
		next.Recurrence.Count -= len(earlier)
	}
	if len(earlier) == 0 {
		return next.ID, f.tx.SaveSeries(&next)
	}
	endBefore(&old, mp.anchor, f.zone)
	if err := f.tx.SaveSeries(&old); err != nil {
		return "", err
	}
	next.ID = ""
	if err := f.tx.SaveSeries(&next); err != nil {
		return "", err
	}
	return next.ID, nil
}

// endBefore ends a series the day before the session at occurrence.
func endBefore(s *practice.Series, occurrence time.Time, zone *time.Location) {
	day := occurrence.In(zone).AddDate(0, 0, -1)
	s.Recurrence.Until, s.Recurrence.Count, s.Ended = day.Format(time.DateOnly), 0, true
}

func indexOf(list []practice.Appointment, id string) int {
	for i, a := range list {
		if a.ID == id {
			return i
		}
	}
	return 0
}

// shiftedRule moves a weekly rule's days by shift days.
func shiftedRule(r practice.Recurrence, shift int) practice.Recurrence {
	if r.Frequency != practice.Weekly || shift%7 == 0 {
		return r
	}
	days := make([]int, len(r.Weekdays))
	for i, d := range r.Weekdays {
		days[i] = ((d+shift)%7 + 7) % 7
	}
	r.Weekdays = days
	return r
}

func flatten(found [][]practice.Conflict) []practice.Conflict {
	var out []practice.Conflict
	for _, c := range found {
		out = append(out, c...)
	}
	return out
}

// SetStatus applies a lifecycle change for by (lifecycle.go has the
// rules), audited. A cancellation may cover the following sessions or the
// whole series, which then ends; only the chosen session can carry a
// late-cancel fee. When it frees a future slot, the open waitlist entries
// that fit it are offered. Errors: EInvalid, EConflict, ENotFound.
func (s *Service) SetStatus(tx Store, by practice.Actor, sc StatusChange) (ChangeResult, error) {
	res, err := s.setStatus(tx, sc)
	if err != nil {
		return res, err
	}
	return res, recordWrites(tx, by, "appointment.status", res.Appointments)
}

func (s *Service) setStatus(tx Store, sc StatusChange) (ChangeResult, error) {
	f, err := s.load(tx)
	if err != nil {
		return ChangeResult{}, err
	}
	a, err := tx.Appointment(sc.ID)
	if err != nil {
		return ChangeResult{}, err
	}
	if sc.Scope != "" && sc.Scope != ThisSession && sc.Change.To != practice.Cancelled {
		return ChangeResult{}, practice.FieldProblem("scope", "Only a cancellation can apply to more than one session.")
	}
	targets, err := f.targets(a, sc.Scope)
	if err != nil {
		return ChangeResult{}, err
	}
	var res ChangeResult
	for _, t := range targets {
		c := sc.Change
		if t.ID != a.ID {
			c.WaiveFee = true
		}
		was := t.Status
		if err := Apply(&t, c, f.settings.Policy, tx.Now()); err != nil {
			return ChangeResult{}, err
		}
		if !was.Open() && t.Status.Open() {
			if err := f.checkReinstate(t); err != nil {
				return ChangeResult{}, err
			}
		}
		if err := tx.SaveAppointment(&t); err != nil {
			return ChangeResult{}, err
		}
		res.Appointments = append(res.Appointments, t)
	}
	if len(targets) > 1 {
		s, err := tx.Series(a.SeriesID)
		if err != nil {
			return res, err
		}
		if earliest := targets[0]; earliest.Occurrence.After(s.First) {
			endBefore(&s, earliest.Occurrence, f.zone)
		} else {
			s.Ended = true
		}
		if err := tx.SaveSeries(&s); err != nil {
			return res, err
		}
	}
	freed := res.Appointments[indexOf(res.Appointments, a.ID)]
	if !freed.Status.Open() && freed.Start.After(tx.Now()) {
		res.Offers, err = f.offers(freed)
	}
	return res, err
}

// checkReinstate refuses to put a cancelled or missed appointment back on
// the calendar when its slot has been given to someone else meanwhile.
func (f *facts) checkReinstate(a practice.Appointment) error {
	found, err := f.conflicts(a)
	if err != nil {
		return err
	}
	for _, c := range found {
		if c.Hard {
			return practice.Errorf(practice.EConflict, "%s Move the appointment to another time instead.", c.Message)
		}
	}
	return nil
}

// offers lists the open waitlist entries that fit a freed slot.
func (f *facts) offers(a practice.Appointment) ([]practice.WaitlistEntry, error) {
	entries, err := f.tx.Waitlist(practice.WaitlistOpen)
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	slot := Slot{ClinicianID: a.ClinicianID, LocationID: a.LocationID, RoomID: a.RoomID, Start: a.Start, End: a.End}
	if a.Telehealth {
		slot.LocationID, slot.RoomID = "", ""
	}
	entries, err = f.inNetwork(entries, a.ClinicianID, a.Start.In(f.zone))
	if err != nil {
		return nil, err
	}
	return MatchWaitlist(slot, f.clinicians[a.ClinicianID], entries, f.zone), nil
}
