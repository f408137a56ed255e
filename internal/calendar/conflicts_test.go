package calendar_test

import (
	"slices"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

// The fixture practice: Ana Ruiz works Tuesdays 09:00–12:00 and
// 13:00–17:00 at the Main Street office and Wednesdays 09:00–17:00 at
// Elm Park; the candidate is Maria G. with Ana in Room 1 on Tue 3 Mar 2026.
var anaHours = []practice.WorkingHours{
	{ID: "h1", ClinicianID: "ana", LocationID: "main", Weekday: 2, Start: "13:00", End: "17:00"},
	{ID: "h2", ClinicianID: "ana", LocationID: "main", Weekday: 2, Start: "09:00", End: "12:00"},
	{ID: "h3", ClinicianID: "ana", LocationID: "elm", Weekday: 3, Start: "09:00", End: "17:00"},
	{ID: "h4", ClinicianID: "ben", LocationID: "main", Weekday: 0, Start: "09:00", End: "17:00"},
}

func TestCheck(t *testing.T) {
	ny := zone(t, "America/New_York")
	tm := func(s string) time.Time { return at(t, ny, s) }
	candidate := func(start, end string) practice.Appointment {
		return practice.Appointment{ID: "new", PatientID: "maria", ClinicianID: "ana", LocationID: "main", RoomID: "r1",
			Start: tm(start), End: tm(end)}
	}
	base := candidate("2026-03-03 10:00", "2026-03-03 10:50")
	telehealth := base
	telehealth.Telehealth, telehealth.LocationID, telehealth.RoomID = true, "", ""
	booking := func(id, patientID, patient, clinicianID, clinician, roomID, start, end string) calendar.Booked {
		room := map[string]string{"r1": "Room 1", "r2": "Room 2"}[roomID]
		return calendar.Booked{ID: id, PatientID: patientID, ClinicianID: clinicianID, RoomID: roomID,
			Start: tm(start), End: tm(end), Patient: patient, Clinician: clinician, Room: room}
	}
	away := func(id, clinicianID, roomID string, kind practice.TimeOffKind, start, end string) practice.TimeOff {
		return practice.TimeOff{ID: id, ClinicianID: clinicianID, RoomID: roomID, Kind: kind, Start: tm(start), End: tm(end), Reason: "surgery"}
	}
	type want struct {
		kind    practice.ConflictKind
		otherID string
		start   string
		message string
	}
	tests := []struct {
		name    string
		a       practice.Appointment
		booked  []calendar.Booked
		timeOff []practice.TimeOff
		hours   []practice.WorkingHours
		clock   practice.Clock // "" is the default, 12-hour
		want    []want
	}{
		{name: "free slot", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "joe", "Joe K.", "ben", "Ben Ode", "r2", "2026-03-03 10:00", "2026-03-03 10:50")}},
		{name: "back to back is not a clash", a: base, hours: anaHours,
			booked: []calendar.Booked{
				booking("b1", "joe", "Joe K.", "ana", "Ana Ruiz", "r1", "2026-03-03 09:10", "2026-03-03 10:00"),
				booking("b2", "maria", "Maria G.", "ana", "Ana Ruiz", "r1", "2026-03-03 10:50", "2026-03-03 11:40"),
			}},
		{name: "clinician double-booked", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "joe", "Joe K.", "ana", "Ana Ruiz", "", "2026-03-03 10:30", "2026-03-03 11:20")},
			want:   []want{{practice.ConflictClinician, "b1", "2026-03-03 10:30", "Ana Ruiz already sees Joe K. on Tue, Mar 3, 10:30 AM – 11:20 AM."}}},
		{name: "room double-booked by another clinician", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "joe", "Joe K.", "ben", "Ben Ode", "r1", "2026-03-03 09:30", "2026-03-03 10:20")},
			want:   []want{{practice.ConflictRoom, "b1", "2026-03-03 09:30", "Room 1 is already taken by Ben Ode with Joe K. on Tue, Mar 3, 9:30 AM – 10:20 AM."}}},
		{name: "telehealth needs no room", a: telehealth, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "joe", "Joe K.", "ben", "Ben Ode", "r1", "2026-03-03 09:30", "2026-03-03 10:20")}},
		{name: "patient booked with another clinician", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "maria", "Maria G.", "ben", "Ben Ode", "", "2026-03-03 10:45", "2026-03-03 11:30")},
			want:   []want{{practice.ConflictPatient, "b1", "2026-03-03 10:45", "Maria G. already has an appointment with Ben Ode on Tue, Mar 3, 10:45 AM – 11:30 AM."}}},
		{name: "a duplicate booking clashes three ways, in kind order", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("b1", "maria", "Maria G.", "ana", "Ana Ruiz", "r1", "2026-03-03 10:00", "2026-03-03 10:50")},
			want: []want{
				{practice.ConflictClinician, "b1", "2026-03-03 10:00", "Ana Ruiz already sees Maria G. on Tue, Mar 3, 10:00 AM – 10:50 AM."},
				{practice.ConflictRoom, "b1", "2026-03-03 10:00", "Room 1 is already taken by Ana Ruiz with Maria G. on Tue, Mar 3, 10:00 AM – 10:50 AM."},
				{practice.ConflictPatient, "b1", "2026-03-03 10:00", "Maria G. already has an appointment with Ana Ruiz on Tue, Mar 3, 10:00 AM – 10:50 AM."},
			}},
		{name: "moving an appointment does not clash with itself", a: base, hours: anaHours,
			booked: []calendar.Booked{booking("new", "maria", "Maria G.", "ana", "Ana Ruiz", "r1", "2026-03-03 10:30", "2026-03-03 11:20")}},
		{name: "clinician away, reason not shown", a: base, hours: anaHours,
			timeOff: []practice.TimeOff{away("t1", "ana", "", practice.TimeOffAway, "2026-03-02 09:00", "2026-03-06 17:00")},
			want:    []want{{practice.ConflictTimeOff, "t1", "2026-03-02 09:00", "Ana Ruiz is away from Mon, Mar 2, 9:00 AM to Fri, Mar 6, 5:00 PM."}}},
		{name: "clinician's time blocked", a: base, hours: anaHours,
			timeOff: []practice.TimeOff{away("t1", "ana", "", practice.TimeOffBlocked, "2026-03-03 10:40", "2026-03-03 11:00")},
			want:    []want{{practice.ConflictTimeOff, "t1", "2026-03-03 10:40", "Ana Ruiz's time is blocked on Tue, Mar 3, 10:40 AM – 11:00 AM."}}},
		{name: "room blocked", a: base, hours: anaHours,
			timeOff: []practice.TimeOff{away("t1", "", "r1", practice.TimeOffBlocked, "2026-03-03 08:00", "2026-03-03 12:00")},
			want:    []want{{practice.ConflictTimeOff, "t1", "2026-03-03 08:00", "Room 1 is blocked on Tue, Mar 3, 8:00 AM – 12:00 PM."}}},
		{name: "blocked room and others' time off do not matter to telehealth", a: telehealth, hours: anaHours,
			timeOff: []practice.TimeOff{
				away("t1", "", "r1", practice.TimeOffBlocked, "2026-03-03 08:00", "2026-03-03 12:00"),
				away("t2", "ben", "", practice.TimeOffAway, "2026-03-03 08:00", "2026-03-03 12:00"),
			}},
		{name: "time off ending at the start is not a clash", a: base, hours: anaHours,
			timeOff: []practice.TimeOff{away("t1", "ana", "", practice.TimeOffAway, "2026-03-03 08:00", "2026-03-03 10:00")}},
		{name: "in the lunch gap, 24-hour clock", a: candidate("2026-03-03 12:00", "2026-03-03 12:50"), hours: anaHours, clock: practice.Clock24,
			want: []want{{practice.ConflictHours, "", "2026-03-03 12:00", "The session on Tue, Mar 3, 12:00 – 12:50 is outside Ana Ruiz's working hours on Tuesdays at this location (09:00 – 12:00 and 13:00 – 17:00)."}}},
		{name: "running past the end of a block", a: candidate("2026-03-03 16:30", "2026-03-03 17:20"), hours: anaHours,
			want: []want{{practice.ConflictHours, "", "2026-03-03 16:30", "The session on Tue, Mar 3, 4:30 PM – 5:20 PM is outside Ana Ruiz's working hours on Tuesdays at this location (9:00 AM – 12:00 PM and 1:00 PM – 5:00 PM)."}}},
		{name: "filling a block exactly", a: candidate("2026-03-03 13:00", "2026-03-03 17:00"), hours: anaHours},
		{name: "in person on a day worked elsewhere", a: candidate("2026-03-04 10:00", "2026-03-04 10:50"), hours: anaHours,
			want: []want{{practice.ConflictHours, "", "2026-03-04 10:00", "Ana Ruiz does not work on Wednesdays at this location."}}},
		{name: "telehealth may use any location's hours", hours: anaHours,
			a: func() practice.Appointment {
				a := telehealth
				a.Start, a.End = tm("2026-03-04 10:00"), tm("2026-03-04 10:50")
				return a
			}()},
		{name: "telehealth on a day off", hours: anaHours,
			a: func() practice.Appointment {
				a := telehealth
				a.Start, a.End = tm("2026-03-08 10:00"), tm("2026-03-08 10:50")
				return a
			}(),
			want: []want{{practice.ConflictHours, "", "2026-03-08 10:00", "Ana Ruiz does not work on Sundays."}}},
		{name: "past midnight never fits, 24-hour clock", a: candidate("2026-03-03 23:30", "2026-03-04 00:20"), clock: practice.Clock24,
			hours: []practice.WorkingHours{{ClinicianID: "ana", LocationID: "main", Weekday: 2, Start: "08:00", End: "23:59"}},
			want:  []want{{practice.ConflictHours, "", "2026-03-03 23:30", "The session from Tue, Mar 3, 23:30 to Wed, Mar 4, 00:20 is outside Ana Ruiz's working hours on Tuesdays at this location (08:00 – 23:59)."}}},
		{name: "no working hours set up: no warning", a: candidate("2026-03-08 22:00", "2026-03-08 22:50"), hours: anaHours[3:]},
		{name: "everything, ordered by start then kind", a: candidate("2026-03-03 11:30", "2026-03-03 12:30"), hours: anaHours,
			booked: []calendar.Booked{
				booking("b2", "maria", "Maria G.", "ben", "Ben Ode", "r2", "2026-03-03 12:00", "2026-03-03 12:50"),
				booking("b1", "joe", "Joe K.", "ana", "Ana Ruiz", "r1", "2026-03-03 11:00", "2026-03-03 11:50"),
			},
			timeOff: []practice.TimeOff{away("t1", "ana", "", practice.TimeOffBlocked, "2026-03-03 11:00", "2026-03-03 11:45")},
			want: []want{
				{practice.ConflictClinician, "b1", "2026-03-03 11:00", "Ana Ruiz already sees Joe K. on Tue, Mar 3, 11:00 AM – 11:50 AM."},
				{practice.ConflictRoom, "b1", "2026-03-03 11:00", "Room 1 is already taken by Ana Ruiz with Joe K. on Tue, Mar 3, 11:00 AM – 11:50 AM."},
				{practice.ConflictTimeOff, "t1", "2026-03-03 11:00", "Ana Ruiz's time is blocked on Tue, Mar 3, 11:00 AM – 11:45 AM."},
				{practice.ConflictHours, "", "2026-03-03 11:30", "The session on Tue, Mar 3, 11:30 AM – 12:30 PM is outside Ana Ruiz's working hours on Tuesdays at this location (9:00 AM – 12:00 PM and 1:00 PM – 5:00 PM)."},
				{practice.ConflictPatient, "b2", "2026-03-03 12:00", "Maria G. already has an appointment with Ben Ode on Tue, Mar 3, 12:00 PM – 12:50 PM."},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := calendar.Check(tt.a, tt.booked,
				calendar.Availability{Zone: ny, Clock: tt.clock, Hours: tt.hours, TimeOff: tt.timeOff},
				calendar.Labels{Clinician: "Ana Ruiz", Room: "Room 1"})
			var wantConflicts []practice.Conflict
			for _, w := range tt.want {
				wantConflicts = append(wantConflicts, practice.Conflict{Kind: w.kind, Hard: w.kind != practice.ConflictHours,
					Message: w.message, OtherID: w.otherID, Start: tm(w.start)})
			}
			if !slices.EqualFunc(got, wantConflicts, func(x, y practice.Conflict) bool {
				return x.Kind == y.Kind && x.Hard == y.Hard && x.Message == y.Message && x.OtherID == y.OtherID && x.Start.Equal(y.Start)
			}) {
				t.Errorf("got:\n%s\nwant:\n%s", conflictLines(got), conflictLines(wantConflicts))
			}
		})
	}
}

func conflictLines(cs []practice.Conflict) string {
	s := ""
	for _, c := range cs {
		s += "  " + string(c.Kind) + " " + c.OtherID + " " + c.Start.UTC().Format(time.RFC3339) + " " + c.Message + "\n"
	}
	return s
}
