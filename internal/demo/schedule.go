package demo

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The demo schedule: each clinician's week is a grid of hour slots, and
// each slot holds one recurring series after another (an episode of care:
// an intake, then weekly or fortnightly sessions), so the calendar is full
// but never double-booked. Past sessions were completed, cancelled or
// missed at behavioral-health rates; sessions from today on are booked, and
// episodes still running are open-ended series materialized a year ahead.

// demoPolicy is the demo practice's cancellation policy.
var demoPolicy = practice.CalendarPolicy{LateCancelHours: 24, LateCancelFeeCents: 50_00, NoShowFeeCents: 75_00}

// slotHours are the session start times of a working day (sessions of
// up to 53 minutes on the hour, lunch at noon).
var slotHours = []int{8, 9, 10, 11, 13, 14, 15, 16, 17}

var demoTypes = []practice.AppointmentType{
	{Name: "Intake assessment", DurationMin: 50, ServiceCode: "90791", TelehealthAllowed: true, Color: "#7c3aed", Active: true},
	{Name: "Individual therapy 53 min", DurationMin: 53, ServiceCode: "90837", TelehealthAllowed: true, Color: "#2563eb", Active: true, ProvidedBy: practice.TherapistOnly},
	{Name: "Individual therapy 45 min", DurationMin: 45, ServiceCode: "90834", TelehealthAllowed: true, Color: "#0891b2", Active: true, ProvidedBy: practice.TherapistOnly},
	{Name: "Family therapy", DurationMin: 50, ServiceCode: "90847", TelehealthAllowed: true, Color: "#059669", Active: true, ProvidedBy: practice.TherapistOnly},
	{Name: "Medication management", DurationMin: 25, ServiceCode: "99214", TelehealthAllowed: true, Color: "#d97706", Active: true, ProvidedBy: practice.PrescriberOnly},
	{Name: "Group therapy", DurationMin: 90, ServiceCode: "90853", TelehealthAllowed: false, Color: "#db2777", Active: true, ProvidedBy: practice.TherapistOnly},
}

const (
	typeIntake = iota
	typeIndividual53
	typeIndividual45
	typeFamily
	typeMedication
)

// episode is one series: a patient seen in one grid cell for a while.
type episode struct {
	clinician int
	weekday   int
	hour      int
	first     time.Time // local date of the first session (midnight)
	interval  int       // weeks
	sessions  int       // 0: still running (open-ended)
	typ       int
	patient   int
}

// cellDays is how long an episode of n sessions every interval weeks occupies its cell.
func cellDays(n, interval int) int { return n * interval * 7 }

// planEpisodes fills every clinician's grid from the start of the history
// to today: episode after episode with short gaps between them.
func planEpisodes(g gen, clinicians []practice.Clinician, start, today time.Time) []episode {
	var out []episode
	for c := range clinicians {
		for weekday := 1; weekday <= 5; weekday++ {
			for _, hour := range slotHours {
				day := start.AddDate(0, 0, (weekday-int(start.Weekday())+7)%7+7*g.r.IntN(4))
				for day.Before(today) {
					e := episode{clinician: c, weekday: weekday, hour: hour, first: day, interval: 1, typ: typeIndividual53}
					switch x := g.r.IntN(100); {
					case x < 10:
						e.interval = 2
					case x < 30:
						e.typ = typeIndividual45
					case x < 38:
						e.typ = typeFamily
					}
					if clinicians[c].Prescriber {
						e.typ, e.interval = typeMedication, 4
					}
					e.sessions = 6 + g.r.IntN(40)
					end := day.AddDate(0, 0, cellDays(e.sessions, e.interval))
					if !end.Before(today) {
						e.sessions = 0 // still in care: an open-ended series
					}
					out = append(out, e)
					day = end.AddDate(0, 0, 7*g.r.IntN(2))
				}
			}
		}
	}
	return out
}

// patientQueue hands out patients who are not in another episode, the one
// free longest first.
type patientQueue []patientFree

type patientFree struct {
	patient int
	freeAt  time.Time
}

func (q patientQueue) Len() int           { return len(q) }
func (q patientQueue) Less(i, j int) bool { return q[i].freeAt.Before(q[j].freeAt) }
func (q patientQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *patientQueue) Push(x any)        { *q = append(*q, x.(patientFree)) }
func (q *patientQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// assignPatients gives each episode (in order of start) a patient free at
// its start, so no patient is ever in two places; an episode with nobody
// free is dropped.
func assignPatients(g gen, eps []episode, patients int) []episode {
	sortEpisodes(eps)
	q := make(patientQueue, patients)
	for i, p := range g.r.Perm(patients) {
		q[i] = patientFree{patient: p}
	}
	heap.Init(&q)
	kept := eps[:0]
	for _, e := range eps {
		if q.Len() == 0 || q[0].freeAt.After(e.first) {
			continue
		}
		pf := heap.Pop(&q).(patientFree)
		e.patient = pf.patient
		busy := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		if e.sessions > 0 {
			busy = e.first.AddDate(0, 0, cellDays(e.sessions, e.interval)+1)
		}
		heap.Push(&q, patientFree{patient: pf.patient, freeAt: busy})
		kept = append(kept, e)
	}
	return kept
}

// sortEpisodes puts episodes in order of start: they are planned cell by
// cell, and the patient queue needs time order.
func sortEpisodes(eps []episode) {
	slices.SortStableFunc(eps, func(a, b episode) int { return a.first.Compare(b.first) })
}

// calendarRefs are the ids the schedule refers to.
type calendarRefs struct {
	types      []string
	clinicians []string
	home       []string   // each clinician's location
	rooms      [][]string // by location index
	locations  []string
	patients   []string
	propensity []float64 // each patient's chance of missing a session
}

// roomFor is the room a clinician uses on a weekday, or "" when every room
// at their office is taken that day (they see patients by video). Rooms
// rotate through the week so everyone gets office days.
func roomFor(r calendarRefs, clinician, weekday int) string {
	loc := clinician % len(r.locations)
	var peers []int
	for c := range r.clinicians {
		if c%len(r.locations) == loc {
			peers = append(peers, c)
		}
	}
	me := 0
	for i, c := range peers {
		if c == clinician {
			me = i
		}
	}
	slot := (me + weekday) % len(peers)
	if rooms := r.rooms[loc]; slot < len(rooms) {
		return rooms[slot]
	}
	return ""
}

// makeSchedule sets up the calendar and books sz.history years of sessions
// up to today and a year ahead.
func makeSchedule(ctx context.Context, db *store.DB, g gen, p *plan, sz sizeSpec, patientIDs []string) error {
	var refs calendarRefs
	var now time.Time
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		now = tx.Now()
		refs, err = setUpCalendar(tx, g, p, patientIDs)
		return err
	})
	if err != nil {
		return err
	}
	zone := p.Settings.Zone()
	local := now.In(zone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, zone)
	eps := assignPatients(g, planEpisodes(g, p.Clinicians, today.AddDate(-sz.history, 0, 0), today), len(patientIDs))
	_, err = writeSchedule(ctx, db, g, refs, eps, zone, now)
	return err
}

// setUpCalendar writes the appointment types, working hours, policy and a
// small waitlist, and returns the ids the schedule needs.
func setUpCalendar(tx *store.Tx, g gen, p *plan, patientIDs []string) (calendarRefs, error) {
	r := calendarRefs{patients: patientIDs}
	settings, err := tx.Settings()
	if err != nil {
		return r, err
	}
	for i := range demoTypes {
		t := demoTypes[i]
		if err := tx.SaveAppointmentType(&t); err != nil {
			return r, fmt.Errorf("appointment type %s: %w", t.Name, err)
		}
		r.types = append(r.types, t.ID)
	}
	settings.Policy = demoPolicy
	settings.DefaultTypeID = r.types[typeIndividual53] // what the front desk books most
	if err := tx.SaveSettings(&settings); err != nil {
		return r, err
	}
	for _, lp := range p.Locations {
		r.locations = append(r.locations, lp.Location.ID)
		r.rooms = append(r.rooms, nil)
	}
	rooms, err := tx.Rooms()
	if err != nil {
		return r, err
	}
	for _, room := range rooms {
		for i, id := range r.locations {
			if room.LocationID == id && room.Name != "Group Room" {
				r.rooms[i] = append(r.rooms[i], room.ID)
			}
		}
	}
	for i, c := range p.Clinicians {
		r.clinicians = append(r.clinicians, c.ID)
		r.home = append(r.home, r.locations[i%len(r.locations)])
		var week []practice.WorkingHours
		for weekday := 1; weekday <= 5; weekday++ {
			week = append(week,
				practice.WorkingHours{LocationID: r.home[i], Weekday: weekday, Start: "08:00", End: "12:00"},
				practice.WorkingHours{LocationID: r.home[i], Weekday: weekday, Start: "13:00", End: "18:00"})
		}
		if err := tx.SetWorkingHours(c.ID, week); err != nil {
			return r, fmt.Errorf("working hours: %w", err)
		}
	}
	for range patientIDs {
		// most patients rarely miss; a few miss often (the 20–50% rates
		// reported for behavioral health come from a minority)
		r.propensity = append(r.propensity, []float64{0.08, 0.12, 0.18, 0.25, 0.3, 0.4, 0.5}[g.weighted([]int{20, 20, 15, 15, 12, 10, 8})])
	}
	return r, addWaitlist(tx, g, r)
}

func addWaitlist(tx *store.Tx, g gen, r calendarRefs) error {
	for i := range 12 {
		w := practice.WaitlistEntry{Priority: 1 + g.r.IntN(3), Telehealth: pick(g, []string{"any", "any", "only", "never"}),
			Weekdays: []int{1 + g.r.IntN(5), 1 + g.r.IntN(5)}, EarliestTime: "09:00", LatestTime: pick(g, []string{"17:00", "13:00", "18:00"})}
		if i%3 == 0 {
			w.Name = pick(g, femaleFirst) + " " + g.lastName()
			w.Phone = g.phone("503")
			w.Specialty = pick(g, specialties)
		} else {
			w.PatientID = r.patients[g.r.IntN(len(r.patients))]
		}
		if g.chance(0.3) {
			w.Language = "Spanish"
		}
		if g.chance(0.4) {
			w.ClinicianIDs = []string{r.clinicians[g.r.IntN(len(r.clinicians))]}
		}
		if err := tx.SaveWaitlistEntry(&w); err != nil {
			return fmt.Errorf("waitlist: %w", err)
		}
	}
	return nil
}

// writeSchedule stores the episodes as series and their sessions, in
// transactions of about appointmentBatch appointments, and returns how many
// appointments it made.
func writeSchedule(ctx context.Context, db *store.DB, g gen, r calendarRefs, eps []episode, zone *time.Location, now time.Time) (int, error) {
	const appointmentBatch = 5000
	total := 0
	for len(eps) > 0 {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, made := 0, 0
		err := db.Update(ctx, func(tx *store.Tx) error {
			for ; n < len(eps) && made < appointmentBatch; n++ {
				k, err := writeEpisode(tx, g, r, eps[n], zone, now)
				if err != nil {
					return err
				}
				made += k
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("demo schedule: %w", err)
		}
		total += made
		eps = eps[n:]
	}
	return total, nil
}

// writeEpisode stores one episode's series and sessions and returns how
// many appointments it made.
func writeEpisode(tx *store.Tx, g gen, r calendarRefs, e episode, zone *time.Location, now time.Time) (int, error) {
	room := roomFor(r, e.clinician, e.weekday)
	tele := room == "" || g.chance(0.2)
	if tele {
		room = ""
	}
	loc := r.home[e.clinician]
	if tele {
		loc = ""
	}
	first := time.Date(e.first.Year(), e.first.Month(), e.first.Day(), e.hour, 0, 0, 0, zone)
	length := time.Duration(demoTypes[e.typ].DurationMin) * time.Minute
	s := practice.Series{PatientID: r.patients[e.patient], ClinicianID: r.clinicians[e.clinician], TypeID: r.types[e.typ],
		LocationID: loc, RoomID: room, Telehealth: tele, First: first, DurationMin: demoTypes[e.typ].DurationMin,
		Recurrence: practice.Recurrence{Frequency: practice.Weekly, Interval: e.interval, Weekdays: []int{e.weekday}, Count: e.sessions}}
	until := now.AddDate(1, 0, 0)
	starts, err := calendar.Occurrences(first, zone, s.Recurrence, first, until)
	if err != nil {
		return 0, err
	}
	s.MaterializedUntil, s.Ended = until, e.sessions > 0
	if err := tx.SaveSeries(&s); err != nil {
		return 0, err
	}
	made := 0
	for _, start := range starts {
		if closedOn(start.In(zone)) {
			continue
		}
		a := practice.Appointment{SeriesID: s.ID, Occurrence: start, PatientID: s.PatientID, ClinicianID: s.ClinicianID,
			TypeID: s.TypeID, LocationID: loc, RoomID: room, Telehealth: tele, Start: start, End: start.Add(length)}
		if made == 0 && e.typ != typeMedication {
			a.TypeID = r.types[typeIntake]
		}
		outcome(g, &a, r.propensity[e.patient], now)
		if _, err := tx.AddOccurrence(&a); err != nil {
			return made, err
		}
		made++
	}
	return made, nil
}

// outcome decides what became of a session: past ones were completed,
// cancelled or missed; the next few days' are mostly confirmed.
func outcome(g gen, a *practice.Appointment, missRate float64, now time.Time) {
	if a.Start.After(now) {
		a.Status = practice.Scheduled
		if a.Start.Sub(now) < 72*time.Hour && g.chance(0.6) {
			a.Status = practice.Confirmed
		}
		return
	}
	switch x := g.r.Float64(); {
	case x < missRate:
		a.Status, a.FeeCents = practice.NoShow, demoPolicy.NoShowFeeCents
	case x < missRate+0.03:
		a.Status, a.CancelledBy, a.LateCancel, a.FeeCents = practice.Cancelled, practice.ByPatient, true, demoPolicy.LateCancelFeeCents
		a.Reason = pick(g, []string{"Sick", "Work conflict", "Childcare fell through", "Car trouble"})
	case x < missRate+0.09:
		a.Status, a.CancelledBy = practice.Cancelled, practice.ByPatient
		a.Reason = pick(g, []string{"Vacation", "Schedule change", "Feeling better this week", "Family event"})
	case x < missRate+0.11:
		a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPractice, "Clinician away"
	default:
		a.Status = practice.Completed
		a.ActualStart = a.Start.Add(time.Duration(g.r.IntN(6)) * time.Minute)
		a.ActualEnd = a.End.Add(time.Duration(g.r.IntN(5)-2) * time.Minute)
	}
}
