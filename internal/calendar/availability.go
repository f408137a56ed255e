package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// SlotQuery asks for the first openings of some clinicians.
type SlotQuery struct {
	ClinicianIDs []string  `json:"clinicianIds"`
	LocationID   string    `json:"locationId"` // in person: the office; ignored for telehealth
	Telehealth   bool      `json:"telehealth"`
	DurationMin  int       `json:"durationMin"`
	From         time.Time `json:"from" ts_type:"string"` // openings lie wholly inside [From, To)
	To           time.Time `json:"to" ts_type:"string"`
	Weekdays     []int     `json:"weekdays"` // acceptable local weekdays, 0 = Sunday; empty: any
	// EarliestMin and LatestMin bound the local start time, in minutes
	// after midnight; LatestMin is the latest start. 0 and 0: any time.
	EarliestMin  int `json:"earliestMin"`
	LatestMin    int `json:"latestMin"`
	PerClinician int `json:"perClinician"` // openings wanted per clinician; 0 means 1
	// TypeID narrows the search to the clinicians who may provide the type
	// (FirstAvailable; FindSlots is given the clinicians already narrowed).
	TypeID string `json:"typeId"`
	// Recurrence asks for openings free for a whole series starting there:
	// every later session up to Schedule.Horizon must be free too, in the
	// same room. A weekly rule with no weekdays repeats on the opening's day.
	Recurrence *practice.Recurrence `json:"recurrence"`
	// WaitlistEntryID fills what the query leaves open from the person's
	// waitlist preferences (FirstAvailable).
	WaitlistEntryID string `json:"waitlistEntryId"`
}

// Slot is one opening. LocationID and RoomID are empty for telehealth.
type Slot struct {
	ClinicianID string    `json:"clinicianId"`
	LocationID  string    `json:"locationId"`
	RoomID      string    `json:"roomId"`
	Start       time.Time `json:"start" ts_type:"string"`
	End         time.Time `json:"end" ts_type:"string"`
}

// Schedule is what the search needs to know about the calendar.
type Schedule struct {
	Zone    *time.Location
	Hours   []practice.WorkingHours
	TimeOff []practice.TimeOff
	Booked  []Booked        // open appointments
	Rooms   []practice.Room // active rooms; a free one is needed in person
	// Horizon is how far ahead a series' sessions are checked: as far as
	// booking it would make them. Booked and TimeOff must cover it.
	Horizon time.Time
}

// slotStep is the grid openings start on: the quarter hour.
const slotStep = 15

// FindSlots finds each clinician's first openings ("find first
// available"): DurationMin long, starting on a quarter hour no earlier than
// From, inside one working-hours block (at the location when in person, at
// any location for telehealth), clear of the clinician's bookings and time
// off, and, in person at a location with rooms, with a room free for the
// whole session (the first free room in Rooms order). A clinician with no
// working hours has no openings: the search cannot guess when they work.
// Several openings of one clinician do not overlap. Openings of different
// clinicians are alternatives and may share a room. The result is ordered
// by start, then clinician ID. With a Recurrence, an opening is one where
// every session of the series (up to Schedule.Horizon) is clear of the
// clinician's bookings and time off and has the same room free.
func FindSlots(q SlotQuery, s Schedule) []Slot {
	if q.DurationMin <= 0 || !q.To.After(q.From) {
		return nil
	}
	f := finder{q: q, s: s, duration: time.Duration(q.DurationMin) * time.Minute, until: q.To}
	if q.Recurrence != nil {
		if s.Horizon.After(f.until) {
			f.until = s.Horizon
		}
		if q.Recurrence.Frequency == practice.Weekly && len(q.Recurrence.Weekdays) > 0 {
			// The first session falls on one of the series' days.
			f.q.Weekdays = intersect(q.Weekdays, q.Recurrence.Weekdays)
		}
	}
	f.busy = f.clinicianTimelines()
	f.rooms = f.roomTimelines()
	ids := slices.Clone(q.ClinicianIDs)
	slices.Sort(ids)
	var out []Slot
	for _, id := range slices.Compact(ids) {
		out = append(out, f.clinicianSlots(id)...)
	}
	slices.SortFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ClinicianID, b.ClinicianID))
	})
	return out
}

type finder struct {
	q        SlotQuery
	s        Schedule
	duration time.Duration
	until    time.Time           // end of the time any session may take: To, or a series' horizon
	busy     map[string]timeline // by clinician
	rooms    []roomTimeline      // empty when no room is needed
}

type roomTimeline struct {
	id string
	timeline
}

// intersect is the weekdays in both lists, an empty list meaning any day.
func intersect(a, b []int) []int {
	if len(a) == 0 {
		return b
	}
	out := []int{}
	for _, d := range a {
		if slices.Contains(b, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return []int{-1} // no day fits both: nothing is found
	}
	return out
}

// inWindow keeps only busy time that can touch the search.
func (f *finder) inWindow(start, end time.Time) bool { return overlaps(start, end, f.q.From, f.until) }

func (f *finder) clinicianTimelines() map[string]timeline {
	spans := map[string][]span{}
	for _, id := range f.q.ClinicianIDs {
		spans[id] = nil
	}
	add := func(clinicianID string, start, end time.Time) {
		if list, wanted := spans[clinicianID]; wanted && f.inWindow(start, end) {
			spans[clinicianID] = append(list, spanOf(start, end))
		}
	}
	for _, b := range f.s.Booked {
		add(b.ClinicianID, b.Start, b.End)
	}
	for _, o := range f.s.TimeOff {
		add(o.ClinicianID, o.Start, o.End)
	}
	out := make(map[string]timeline, len(spans))
	for id, list := range spans {
		out[id] = newTimeline(list)
	}
	return out
}

func (f *finder) roomTimelines() []roomTimeline {
	if f.q.Telehealth {
		return nil
	}
	var rooms []roomTimeline
	index := map[string]int{}
	spans := [][]span{}
	for _, r := range f.s.Rooms {
		if r.LocationID == f.q.LocationID {
			index[r.ID] = len(rooms)
			rooms = append(rooms, roomTimeline{id: r.ID})
			spans = append(spans, nil)
		}
	}
	add := func(roomID string, start, end time.Time) {
		if i, ok := index[roomID]; ok && roomID != "" && f.inWindow(start, end) {
			spans[i] = append(spans[i], spanOf(start, end))
		}
	}
	for _, b := range f.s.Booked {
		add(b.RoomID, b.Start, b.End)
	}
	for _, o := range f.s.TimeOff {
		add(o.RoomID, o.Start, o.End)
	}
	for i := range rooms {
		rooms[i].timeline = newTimeline(spans[i])
	}
	return rooms
}

// clinicianSlots walks the clinician's working blocks day by day.
func (f *finder) clinicianSlots(clinicianID string) []Slot {
	want := max(f.q.PerClinician, 1)
	var week [7][]block
	for wd := range week {
		if len(f.q.Weekdays) == 0 || slices.Contains(f.q.Weekdays, wd) {
			week[wd] = blocksOn(f.s.Hours, clinicianID, time.Weekday(wd), f.q.LocationID, f.q.Telehealth)
			slices.SortFunc(week[wd], func(a, b block) int { return a.start - b.start })
		}
	}
	busy := f.busy[clinicianID]
	var found []Slot
	last := dateOf(f.q.To, f.s.Zone)
	for d := dateOf(f.q.From, f.s.Zone); !d.After(last.Time); d = d.addDays(1) {
		for _, b := range week[d.Weekday()] {
			found = f.blockSlots(found, want, clinicianID, busy, d, b)
			if len(found) == want {
				return found
			}
		}
	}
	return found
}

// blockSlots appends openings in one working block of day d until found
// holds want openings.
func (f *finder) blockSlots(found []Slot, want int, clinicianID string, busy timeline, d civilDate, b block) []Slot {
	latest := b.end - f.q.DurationMin
	if f.q.LatestMin > 0 {
		latest = min(latest, f.q.LatestMin)
	}
	blockEnd := wallInstant(d, b.end*60, f.s.Zone)
	for m := roundUp(max(b.start, f.q.EarliestMin)); m <= latest; m += slotStep {
		start := wallInstant(d, m*60, f.s.Zone)
		end := start.Add(f.duration)
		switch {
		case start.Before(f.q.From) || (len(found) > 0 && start.Before(found[len(found)-1].End)):
			continue // too early, or overlapping the last opening (blocks may overlap)
		case end.After(f.q.To) || end.After(blockEnd):
			return found
		}
		if until, clash := busy.busyUntil(start, end); clash {
			m = f.resumeAt(d, until, m) - slotStep
			continue
		}
		sessions, ok := f.sessions(start, busy)
		if !ok {
			continue
		}
		room, ok := f.freeRoom(sessions)
		if !ok {
			continue
		}
		slot := Slot{ClinicianID: clinicianID, RoomID: room, Start: start.UTC(), End: end.UTC()}
		if !f.q.Telehealth {
			slot.LocationID = f.q.LocationID
		}
		found = append(found, slot)
		if len(found) == want {
			return found
		}
		m = f.resumeAt(d, end, m) - slotStep
	}
	return found
}

// resumeAt is the grid minute of day d to try after minute m, skipping to
// the first at or after t (past the end of the day when t is on a later
// day). It always moves on: in the hour repeated when clocks fall back, t's
// wall-clock minute can be one already tried.
func (f *finder) resumeAt(d civilDate, t time.Time, m int) int {
	next := 24 * 60
	if dateOf(t, f.s.Zone) == d {
		next = roundUp((secondsOfDay(t, f.s.Zone) + 59) / 60)
	}
	return max(next, m+slotStep)
}

// sessions lists the starts of the sessions an opening at start would
// book: start alone, or with a Recurrence every session of the series up
// to the horizon. It reports false when a later session clashes with the
// clinician's busy time (start itself has been checked).
func (f *finder) sessions(start time.Time, busy timeline) ([]time.Time, bool) {
	if f.q.Recurrence == nil {
		return []time.Time{start}, true
	}
	r := *f.q.Recurrence
	if r.Frequency == practice.Weekly && len(r.Weekdays) == 0 {
		r.Weekdays = []int{int(start.In(f.s.Zone).Weekday())}
	}
	starts, err := Occurrences(start, f.s.Zone, r, start, f.until)
	if err != nil || len(starts) == 0 {
		return nil, false
	}
	for _, s := range starts[1:] {
		if _, clash := busy.busyUntil(s, s.Add(f.duration)); clash {
			return nil, false
		}
	}
	return starts, true
}

// freeRoom returns the first room free for every session, or "" when no
// room is needed.
func (f *finder) freeRoom(starts []time.Time) (string, bool) {
	if len(f.rooms) == 0 {
		return "", true
	}
rooms:
	for _, r := range f.rooms {
		for _, s := range starts {
			if _, clash := r.busyUntil(s, s.Add(f.duration)); clash {
				continue rooms
			}
		}
		return r.id, true
	}
	return "", false
}

func roundUp(minutes int) int { return (minutes + slotStep - 1) / slotStep * slotStep }
