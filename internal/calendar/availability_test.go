package calendar_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

func TestFindSlots(t *testing.T) {
	ny := zone(t, "America/New_York")
	tm := func(s string) time.Time { return at(t, ny, s) }
	// Ana: Tue 09–12 and 13–17 at main, Wed 09–17 at elm. Ben: Mon–Fri 09–17 at main.
	hours := slices.Clone(anaHours[:3])
	for wd := 1; wd <= 5; wd++ {
		hours = append(hours, practice.WorkingHours{ClinicianID: "ben", LocationID: "main", Weekday: wd, Start: "09:00", End: "17:00"})
	}
	rooms := []practice.Room{
		{ID: "r1", LocationID: "main", Name: "Room 1", Active: true},
		{ID: "r2", LocationID: "main", Name: "Room 2", Active: true},
		{ID: "r3", LocationID: "elm", Name: "Garden room", Active: true},
	}
	book := func(clinicianID, roomID, start, end string) calendar.Booked {
		return calendar.Booked{ID: clinicianID + start, ClinicianID: clinicianID, RoomID: roomID, Start: tm(start), End: tm(end)}
	}
	inPerson := func(ids ...string) calendar.SlotQuery {
		return calendar.SlotQuery{ClinicianIDs: ids, LocationID: "main", DurationMin: 50, From: tm("2026-03-03 08:00"), To: tm("2026-03-31 00:00")}
	}
	type slot struct{ clinician, location, room, start string }
	tests := []struct {
		name     string
		q        calendar.SlotQuery
		booked   []calendar.Booked
		timeOff  []practice.TimeOff
		rooms    []practice.Room
		want     []slot
		skipRoom bool
	}{
		{name: "first opening after bookings", q: inPerson("ana"), rooms: rooms,
			booked: []calendar.Booked{book("ana", "r1", "2026-03-03 09:00", "2026-03-03 09:50"), book("ana", "", "2026-03-03 09:50", "2026-03-03 10:40")},
			want:   []slot{{"ana", "main", "r1", "2026-03-03 10:45"}}},
		{name: "starts on the quarter hour after From", rooms: rooms,
			q:    func() calendar.SlotQuery { q := inPerson("ana"); q.From = tm("2026-03-03 09:07"); return q }(),
			want: []slot{{"ana", "main", "r1", "2026-03-03 09:15"}}},
		{name: "does not fit before the lunch gap, resumes after it", q: inPerson("ana"), rooms: rooms,
			booked: []calendar.Booked{book("ana", "", "2026-03-03 09:00", "2026-03-03 11:20")},
			want:   []slot{{"ana", "main", "r1", "2026-03-03 13:00"}}},
		{name: "needs a free room for the whole session", q: inPerson("ana"), rooms: rooms,
			booked: []calendar.Booked{book("ben", "r1", "2026-03-03 09:00", "2026-03-03 12:00"), book("joy", "r2", "2026-03-03 09:30", "2026-03-03 10:00")},
			want:   []slot{{"ana", "main", "r2", "2026-03-03 10:00"}}},
		{name: "a blocked room counts as taken", q: inPerson("ana"), rooms: rooms,
			timeOff: []practice.TimeOff{
				{ID: "t1", RoomID: "r1", Kind: practice.TimeOffBlocked, Start: tm("2026-03-03 00:00"), End: tm("2026-03-04 00:00")},
				{ID: "t2", RoomID: "r2", Kind: practice.TimeOffBlocked, Start: tm("2026-03-03 00:00"), End: tm("2026-03-03 11:00")},
			},
			want: []slot{{"ana", "main", "r2", "2026-03-03 11:00"}}},
		{name: "a location without rooms needs none", q: inPerson("ana"), rooms: rooms[2:],
			want: []slot{{"ana", "main", "", "2026-03-03 09:00"}}},
		{name: "time off skips to the next working day at that location", q: inPerson("ana"), rooms: rooms,
			timeOff: []practice.TimeOff{{ID: "t1", ClinicianID: "ana", Kind: practice.TimeOffAway, Start: tm("2026-03-03 00:00"), End: tm("2026-03-06 00:00")}},
			want:    []slot{{"ana", "main", "r1", "2026-03-10 09:00"}}},
		{name: "telehealth uses any location's hours and no room", rooms: rooms,
			q:    calendar.SlotQuery{ClinicianIDs: []string{"ana"}, Telehealth: true, DurationMin: 50, From: tm("2026-03-03 16:15"), To: tm("2026-03-31 00:00")},
			want: []slot{{"ana", "", "", "2026-03-04 09:00"}}},
		{name: "weekday and time-of-day preferences", rooms: rooms,
			q: func() calendar.SlotQuery {
				q := inPerson("ben")
				q.Weekdays, q.EarliestMin, q.LatestMin = []int{4}, 15*60, 16*60
				return q
			}(),
			booked: []calendar.Booked{book("ben", "", "2026-03-05 14:00", "2026-03-05 15:20")},
			want:   []slot{{"ben", "main", "r1", "2026-03-05 15:30"}}},
		{name: "latest start is inclusive", rooms: rooms,
			q: func() calendar.SlotQuery {
				q := inPerson("ben")
				q.EarliestMin, q.LatestMin = 11*60, 11*60
				return q
			}(),
			want: []slot{{"ben", "main", "r1", "2026-03-03 11:00"}}},
		{name: "several openings per clinician do not overlap", rooms: rooms,
			q:      func() calendar.SlotQuery { q := inPerson("ana"); q.PerClinician = 3; return q }(),
			booked: []calendar.Booked{book("ana", "", "2026-03-03 10:00", "2026-03-03 11:00")},
			want:   []slot{{"ana", "main", "r1", "2026-03-03 09:00"}, {"ana", "main", "r1", "2026-03-03 11:00"}, {"ana", "main", "r1", "2026-03-03 13:00"}}},
		{name: "several clinicians, ordered by start then clinician", rooms: rooms,
			q:      inPerson("ben", "ana", "cara"),
			booked: []calendar.Booked{book("ben", "", "2026-03-03 09:00", "2026-03-03 09:30")},
			want:   []slot{{"ana", "main", "r1", "2026-03-03 09:00"}, {"ben", "main", "r1", "2026-03-03 09:30"}}},
		{name: "nothing before To", rooms: rooms,
			q:      func() calendar.SlotQuery { q := inPerson("ana"); q.To = tm("2026-03-03 12:00"); return q }(),
			booked: []calendar.Booked{book("ana", "", "2026-03-03 09:00", "2026-03-03 11:15")}},
		{name: "overlapping blocks give no duplicate openings", rooms: rooms,
			q: calendar.SlotQuery{ClinicianIDs: []string{"dee"}, Telehealth: true, DurationMin: 60, PerClinician: 3,
				From: tm("2026-03-03 00:00"), To: tm("2026-03-04 00:00")},
			want: []slot{{"dee", "", "", "2026-03-03 09:00"}, {"dee", "", "", "2026-03-03 10:00"}, {"dee", "", "", "2026-03-03 11:00"}}},
		{name: "no duration, no openings", q: func() calendar.SlotQuery { q := inPerson("ana"); q.DurationMin = 0; return q }(), rooms: rooms},
	}
	deeHours := []practice.WorkingHours{
		{ClinicianID: "dee", LocationID: "main", Weekday: 2, Start: "09:00", End: "11:00"},
		{ClinicianID: "dee", LocationID: "elm", Weekday: 2, Start: "10:00", End: "12:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := calendar.FindSlots(tt.q, calendar.Schedule{Zone: ny, Hours: append(slices.Clone(hours), deeHours...),
				TimeOff: tt.timeOff, Booked: tt.booked, Rooms: tt.rooms})
			var gotSlots []slot
			for _, s := range got {
				if s.End.Sub(s.Start) != time.Duration(tt.q.DurationMin)*time.Minute || s.Start.Location() != time.UTC {
					t.Errorf("bad slot %+v", s)
				}
				gotSlots = append(gotSlots, slot{s.ClinicianID, s.LocationID, s.RoomID, s.Start.In(ny).Format("2006-01-02 15:04")})
			}
			if !slices.Equal(gotSlots, tt.want) {
				t.Errorf("got  %v\nwant %v", gotSlots, tt.want)
			}
		})
	}
}

func TestFindSlotsAcrossDSTChanges(t *testing.T) {
	ny := zone(t, "America/New_York")
	hours := []practice.WorkingHours{{ClinicianID: "ana", LocationID: "main", Weekday: 0, Start: "00:00", End: "05:00"}}
	tests := []struct {
		name   string
		day    string
		booked []calendar.Booked
		want   []string
	}{
		// 00:00–05:00 on the wall clock is four real hours that day.
		{name: "spring forward", day: "2027-03-14",
			want: []string{"00:00 EST", "01:00 EST", "03:00 EDT", "04:00 EDT"}},
		// Busy through the second 01:30. Wall-clock 01:30 and 01:45 name
		// the first, busy, pass through that hour (see Occurrences), so the
		// search must move on to 02:00 rather than loop there.
		{name: "fall back", day: "2026-11-01",
			booked: []calendar.Booked{{ID: "b1", ClinicianID: "ana", Start: at(t, ny, "2026-11-01 00:00"), End: at(t, ny, "2026-11-01 01:00").Add(90 * time.Minute)}},
			want:   []string{"02:00 EST", "03:00 EST", "04:00 EST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := calendar.SlotQuery{ClinicianIDs: []string{"ana"}, LocationID: "main", DurationMin: 60, PerClinician: 10,
				From: at(t, ny, tt.day+" 00:00"), To: at(t, ny, tt.day+" 00:00").AddDate(0, 0, 1)}
			var starts []string
			for _, s := range calendar.FindSlots(q, calendar.Schedule{Zone: ny, Hours: hours, Booked: tt.booked}) {
				starts = append(starts, s.Start.In(ny).Format("15:04 MST"))
			}
			if !slices.Equal(starts, tt.want) {
				t.Errorf("got %v, want %v", starts, tt.want)
			}
		})
	}
}

// TestFindSlotsAgreesWithCheck books every opening found in a random busy
// schedule through Check: none may clash with the clinician, a room, time
// off or working hours.
func TestFindSlotsAgreesWithCheck(t *testing.T) {
	ny := zone(t, "America/New_York")
	s, ids := busyPractice(t, ny, 8, 12, rand.New(rand.NewPCG(1, 2)))
	for _, telehealth := range []bool{false, true} {
		q := calendar.SlotQuery{ClinicianIDs: ids, LocationID: "main", Telehealth: telehealth, DurationMin: 45, PerClinician: 20,
			From: at(t, ny, "2026-03-02 07:00"), To: at(t, ny, "2026-03-30 00:00")}
		slots := calendar.FindSlots(q, s)
		if len(slots) < len(ids)*10 {
			t.Fatalf("only %d openings found", len(slots))
		}
		for _, slot := range slots {
			a := practice.Appointment{ID: "new", PatientID: "nobody", ClinicianID: slot.ClinicianID, LocationID: slot.LocationID,
				RoomID: slot.RoomID, Telehealth: telehealth, Start: slot.Start, End: slot.End}
			if telehealth == (slot.RoomID != "") {
				t.Errorf("slot %+v: room does not fit telehealth=%v", slot, telehealth)
			}
			if got := calendar.Check(a, s.Booked, calendar.Availability{Zone: ny, Hours: s.Hours, TimeOff: s.TimeOff}, calendar.Labels{}); len(got) > 0 {
				t.Errorf("opening %+v clashes: %s", slot, conflictLines(got))
			}
		}
	}
}

// busyPractice is a practice with n clinicians working Mon–Fri 08:00–20:00
// at "main" (four rooms), each with about perDay bookings a day for four
// weeks from Sun 1 Mar 2026, and a few time offs.
func busyPractice(t testing.TB, ny *time.Location, n, perDay int, rng *rand.Rand) (calendar.Schedule, []string) {
	s := calendar.Schedule{Zone: ny}
	for r := 1; r <= 4; r++ {
		s.Rooms = append(s.Rooms, practice.Room{ID: fmt.Sprintf("r%d", r), LocationID: "main", Active: true})
	}
	s.TimeOff = append(s.TimeOff, practice.TimeOff{ID: "tr", RoomID: "r1", Kind: practice.TimeOffBlocked,
		Start: at(t, ny, "2026-03-10 00:00"), End: at(t, ny, "2026-03-13 00:00")})
	var ids []string
	first := at(t, ny, "2026-03-01 00:00")
	for c := range n {
		id := fmt.Sprintf("c%02d", c)
		ids = append(ids, id)
		for wd := 1; wd <= 5; wd++ {
			s.Hours = append(s.Hours, practice.WorkingHours{ClinicianID: id, LocationID: "main", Weekday: wd, Start: "08:00", End: "20:00"})
		}
		away := first.AddDate(0, 0, rng.IntN(28))
		s.TimeOff = append(s.TimeOff, practice.TimeOff{ID: "t" + id, ClinicianID: id, Kind: practice.TimeOffAway,
			Start: away, End: away.Add(time.Duration(1+rng.IntN(48)) * time.Hour)})
		for day := range 28 {
			for k := range perDay {
				start := first.AddDate(0, 0, day).Add(8*time.Hour + time.Duration(k*24+rng.IntN(10))*time.Minute)
				room := ""
				if rng.IntN(3) > 0 {
					room = s.Rooms[rng.IntN(4)].ID
				}
				s.Booked = append(s.Booked, calendar.Booked{ID: fmt.Sprintf("%s-%d-%d", id, day, k), ClinicianID: id, RoomID: room,
					PatientID: fmt.Sprintf("p%d", rng.IntN(5000)), Start: start, End: start.Add(time.Duration(10+rng.IntN(30)) * time.Minute)})
			}
		}
	}
	return s, ids
}

// BenchmarkFindSlots is "find first available" across 25 clinicians over
// four weeks with about 30 bookings a day each: a full practice, where the
// search has to look far.
func BenchmarkFindSlots(b *testing.B) {
	ny := zone(b, "America/New_York")
	s, ids := busyPractice(b, ny, 25, 30, rand.New(rand.NewPCG(3, 4)))
	q := calendar.SlotQuery{ClinicianIDs: ids, LocationID: "main", DurationMin: 50,
		From: at(b, ny, "2026-03-02 07:00"), To: at(b, ny, "2026-03-29 00:00")}
	for b.Loop() {
		calendar.FindSlots(q, s)
	}
	b.ReportMetric(float64(len(s.Booked)), "bookings")
}
