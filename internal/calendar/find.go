package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// searchWindow bounds "find first available" when the caller gives no end.
const searchWindow = 28 * 24 * time.Hour

// schedule loads what FindSlots needs for the clinicians over [from, to).
func (f *facts) schedule(clinicianIDs []string, from, to time.Time) (Schedule, error) {
	s := Schedule{Zone: f.zone}
	for _, id := range clinicianIDs {
		s.Hours = append(s.Hours, f.hours[id]...)
	}
	var err error
	if s.TimeOff, err = f.tx.TimeOffBetween(from, to); err != nil {
		return s, err
	}
	// Every open booking in range: room use is shared by all clinicians.
	appts, err := f.tx.AppointmentsBetween(from.Add(-practice.MaxAppointmentMinutes*time.Minute), to, store.AppointmentFilter{})
	if err != nil {
		return s, err
	}
	for _, a := range appts {
		if a.Status.Open() {
			s.Booked = append(s.Booked, Booked{ID: a.ID, PatientID: a.PatientID, ClinicianID: a.ClinicianID, RoomID: roomOf(a), Start: a.Start, End: a.End})
		}
	}
	for _, r := range f.rooms {
		if r.Active {
			s.Rooms = append(s.Rooms, r)
		}
	}
	// By name, so that the room offered does not depend on map order.
	slices.SortFunc(s.Rooms, func(a, b practice.Room) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return s, nil
}

func roomOf(a practice.Appointment) string {
	if a.Telehealth {
		return ""
	}
	return a.RoomID
}

// activeClinicians lists the ids of clinicians who can be booked, or of
// those listed in only when it is not empty.
func (f *facts) activeClinicians(only []string) []string {
	var ids []string
	for id, c := range f.clinicians {
		if c.Active && (len(only) == 0 || slices.Contains(only, id)) {
			ids = append(ids, id)
		}
	}
	return ids
}

// FirstAvailable finds the earliest free slots for the query across the
// listed clinicians (every active clinician when none is listed), narrowed
// to those who may provide the query's type and, from the waitlist, to the
// person's preferred clinicians, days, times and telehealth choice. With a
// Recurrence every session of the series must be free.
// Errors: EInvalid, ENotFound (the type or waitlist entry).
func FirstAvailable(tx Store, q SlotQuery) ([]Slot, error) {
	f, err := load(tx)
	if err != nil {
		return nil, err
	}
	if q.WaitlistEntryID != "" {
		e, err := tx.WaitlistEntry(q.WaitlistEntryID)
		if err != nil {
			return nil, err
		}
		q = withPreferences(q, e)
	}
	p := practice.Problems{}
	if q.DurationMin < practice.MinAppointmentMinutes || q.DurationMin > practice.MaxAppointmentMinutes {
		p.Add("durationMin", "Choose a length between 5 minutes and 8 hours.")
	}
	if !q.Telehealth && q.LocationID == "" {
		p.Add("locationId", "Choose a location, or look for telehealth slots.")
	}
	if q.Recurrence != nil {
		r := *q.Recurrence
		if r.Frequency == practice.Weekly && len(r.Weekdays) == 0 {
			r.Weekdays = []int{0} // the opening's own day, checked per opening
		}
		r.Validate(p, time.Time{})
	}
	ids := f.activeClinicians(q.ClinicianIDs)
	if q.TypeID != "" {
		t, ok := f.types[q.TypeID]
		switch {
		case !ok:
			p.Add("typeId", "Choose an existing appointment type.")
		case q.Telehealth && !t.TelehealthAllowed:
			p.Add("telehealth", t.Name+" sessions are in person only.")
		default:
			ids = slices.DeleteFunc(ids, func(id string) bool { return !t.Provides(f.clinicians[id]) })
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if q.From.Before(tx.Now()) {
		q.From = tx.Now()
	}
	if !q.To.After(q.From) {
		q.To = q.From.Add(searchWindow)
	}
	q.ClinicianIDs = ids
	until := q.To
	if q.Recurrence != nil {
		until = horizon(tx.Now()) // as far as booking the series would make it
	}
	s, err := f.schedule(q.ClinicianIDs, q.From, until)
	if err != nil {
		return nil, err
	}
	s.Horizon = until
	return FindSlots(q, s), nil
}

// withPreferences fills what q leaves open from a waitlist entry: the
// clinicians asked for, the acceptable days and start times, and telehealth
// when the person wants only that (or never).
func withPreferences(q SlotQuery, e practice.WaitlistEntry) SlotQuery {
	if len(q.ClinicianIDs) == 0 {
		q.ClinicianIDs = e.ClinicianIDs
	}
	if len(q.Weekdays) == 0 {
		q.Weekdays = e.Weekdays
	}
	if m, ok := practice.ClockMinutes(e.EarliestTime); ok && q.EarliestMin == 0 {
		q.EarliestMin = m
	}
	if m, ok := practice.ClockMinutes(e.LatestTime); ok && q.LatestMin == 0 {
		q.LatestMin = m
	}
	switch e.Telehealth {
	case "only":
		q.Telehealth = true
	case "never":
		q.Telehealth = false
	}
	return q
}

// MatchClinicians ranks active clinicians for a new patient by what they
// need, whether they are in network with the patient's payer today (with
// a network rule registered) and how soon each can see them.
func (s *Service) MatchClinicians(tx Store, need Need, locationID string, durationMin int) ([]ClinicianMatch, error) {
	f, err := s.load(tx)
	if err != nil {
		return nil, err
	}
	need.Zone, need.Clock = f.zone, f.settings.Clock
	ids := f.activeClinicians(nil)
	if need.PayerID != "" && f.network != nil {
		need.Network = map[string]NetworkAnswer{}
		for _, id := range ids {
			in, why, err := f.network(tx, id, need.PayerID, tx.Now().In(f.zone))
			if err != nil {
				return nil, err
			}
			need.Network[id] = NetworkAnswer{In: in, Why: why}
		}
	}
	q := SlotQuery{ClinicianIDs: ids, LocationID: locationID, Telehealth: need.Telehealth == "only" || locationID == "",
		DurationMin: durationMin, From: tx.Now(), To: tx.Now().Add(searchWindow)}
	sched, err := f.schedule(ids, q.From, q.To)
	if err != nil {
		return nil, err
	}
	firstFree := map[string]time.Time{}
	for _, slot := range FindSlots(q, sched) {
		if _, seen := firstFree[slot.ClinicianID]; !seen {
			firstFree[slot.ClinicianID] = slot.Start
		}
	}
	var list []practice.Clinician
	for _, id := range ids {
		list = append(list, f.clinicians[id])
	}
	return RankClinicians(need, list, firstFree), nil
}
