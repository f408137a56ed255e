package calendar_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

var (
	statuses = []practice.Status{practice.Scheduled, practice.Confirmed, practice.CheckedIn, practice.Completed, practice.Cancelled, practice.NoShow}
	policy   = practice.CalendarPolicy{LateCancelHours: 24, LateCancelFeeCents: 50_00, NoShowFeeCents: 75_00}
	// lifeNow is "now" in lifecycle tests: 20 minutes into a 10:00–10:50 session.
	lifeNow     = time.Date(2026, 3, 3, 15, 20, 0, 0, time.UTC)
	lifeStart   = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)
	checkedInAt = lifeStart.Add(-5 * time.Minute)
)

// appointmentIn is a 10:00–10:50 session in the given status, with what
// that status records.
func appointmentIn(s practice.Status) practice.Appointment {
	a := practice.Appointment{ID: "a1", Start: lifeStart, End: lifeStart.Add(50 * time.Minute), Status: s}
	switch s {
	case practice.CheckedIn:
		a.ActualStart = checkedInAt
	case practice.Completed:
		a.ActualStart, a.ActualEnd = lifeStart, lifeStart.Add(15*time.Minute)
	case practice.Cancelled:
		a.CancelledBy, a.LateCancel, a.FeeCents, a.Reason = practice.ByPatient, true, 50_00, "Sick"
	case practice.NoShow:
		a.FeeCents, a.Reason = 75_00, "No answer"
	}
	return a
}

// TestApplyEveryTransition tries every status against every target.
func TestApplyEveryTransition(t *testing.T) {
	const ok = ""
	// want[from][to] is "" when allowed, else the exact message.
	want := map[practice.Status]map[practice.Status]string{
		practice.Scheduled: {
			practice.Scheduled: "This appointment is already scheduled.",
			practice.Confirmed: ok, practice.CheckedIn: ok, practice.Completed: ok, practice.Cancelled: ok, practice.NoShow: ok,
		},
		practice.Confirmed: {
			practice.Scheduled: "A confirmed appointment cannot be put back on the calendar.",
			practice.Confirmed: "This appointment is already confirmed.",
			practice.CheckedIn: ok, practice.Completed: ok, practice.Cancelled: ok, practice.NoShow: ok,
		},
		practice.CheckedIn: {
			practice.Scheduled: ok,
			practice.Confirmed: "A checked-in appointment cannot be confirmed.",
			practice.CheckedIn: "This appointment is already checked in.",
			practice.Completed: ok,
			practice.Cancelled: "A checked-in appointment cannot be cancelled.",
			practice.NoShow:    "A checked-in appointment cannot be marked as a no-show.",
		},
		practice.Completed: {
			practice.Scheduled: "A completed appointment cannot be put back on the calendar.",
			practice.Confirmed: "A completed appointment cannot be confirmed.",
			practice.CheckedIn: "A completed appointment cannot be checked in.",
			practice.Completed: ok,
			practice.Cancelled: "A completed appointment cannot be cancelled.",
			practice.NoShow:    "A completed appointment cannot be marked as a no-show.",
		},
		practice.Cancelled: {
			practice.Scheduled: ok,
			practice.Confirmed: "A cancelled appointment cannot be confirmed; put it back on the calendar first.",
			practice.CheckedIn: "A cancelled appointment cannot be checked in; put it back on the calendar first.",
			practice.Completed: "A cancelled appointment cannot be completed; put it back on the calendar first.",
			practice.Cancelled: "This appointment is already cancelled.",
			practice.NoShow:    "A cancelled appointment cannot be marked as a no-show; put it back on the calendar first.",
		},
		practice.NoShow: {
			practice.Scheduled: ok,
			practice.Confirmed: "A no-show appointment cannot be confirmed; put it back on the calendar first.",
			practice.CheckedIn: "A no-show appointment cannot be checked in; put it back on the calendar first.",
			practice.Completed: "A no-show appointment cannot be completed; put it back on the calendar first.",
			practice.Cancelled: "A no-show appointment cannot be cancelled; put it back on the calendar first.",
			practice.NoShow:    "This appointment is already marked as a no-show.",
		},
	}
	change := func(to practice.Status) calendar.Change {
		return calendar.Change{To: to, CancelledBy: practice.ByPatient, Reason: "Car broke down"}
	}
	for _, from := range statuses {
		for _, to := range append(statuses, "archived") {
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				a := appointmentIn(from)
				before := a
				err := calendar.Apply(&a, change(to), policy, lifeNow)
				msg, known := want[from][to]
				switch {
				case !known:
					assertError(t, err, practice.EInvalid, `Unknown appointment status "archived".`)
					assertUnchanged(t, a, before)
				case msg != ok:
					assertError(t, err, practice.EConflict, msg)
					assertUnchanged(t, a, before)
				case err != nil:
					t.Fatalf("unexpected error: %v", err)
				case a.Status != to:
					t.Fatalf("status = %s, want %s", a.Status, to)
				}
			})
		}
	}
}

// TestApply checks what each allowed transition records.
func TestApply(t *testing.T) {
	at := sessionDay(t)
	tests := []struct {
		name   string
		from   practice.Status
		change calendar.Change
		now    time.Time
		policy practice.CalendarPolicy
		want   func(a *practice.Appointment) // edits appointmentIn(from) into the expected result
	}{
		{name: "confirm", from: practice.Scheduled, change: calendar.Change{To: practice.Confirmed}, now: at("09:00"),
			want: func(a *practice.Appointment) { a.Status = practice.Confirmed }},
		{name: "check in now", from: practice.Confirmed, change: calendar.Change{To: practice.CheckedIn}, now: at("14:55"),
			want: func(a *practice.Appointment) { a.Status, a.ActualStart = practice.CheckedIn, at("14:55") }},
		{name: "check in at a given time", from: practice.Scheduled, change: calendar.Change{To: practice.CheckedIn, ActualStart: at("14:50")}, now: at("15:10"),
			want: func(a *practice.Appointment) { a.Status, a.ActualStart = practice.CheckedIn, at("14:50") }},
		{name: "complete now, keeping the check-in time", from: practice.CheckedIn, change: calendar.Change{To: practice.Completed}, now: at("15:50"),
			want: func(a *practice.Appointment) { a.Status, a.ActualEnd = practice.Completed, at("15:50") }},
		{name: "complete correcting the start", from: practice.CheckedIn, change: calendar.Change{To: practice.Completed, ActualStart: at("15:02"), ActualEnd: at("15:55")}, now: at("16:30"),
			want: func(a *practice.Appointment) {
				a.Status, a.ActualStart, a.ActualEnd = practice.Completed, at("15:02"), at("15:55")
			}},
		{name: "complete telehealth without check-in starts at the scheduled time", from: practice.Confirmed, change: calendar.Change{To: practice.Completed}, now: at("15:53"),
			want: func(a *practice.Appointment) {
				a.Status, a.ActualStart, a.ActualEnd = practice.Completed, at("15:00"), at("15:53")
			}},
		{name: "correct a completed session's end", from: practice.Completed, change: calendar.Change{To: practice.Completed, ActualEnd: at("15:45")}, now: at("18:00"),
			want: func(a *practice.Appointment) { a.ActualEnd = at("15:45") }},
		{name: "patient cancels early: no fee", from: practice.Confirmed, now: at("09:00").AddDate(0, 0, -2), policy: policy,
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "  Moving away "},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPatient, "Moving away"
			}},
		{name: "patient cancels one second outside the window: no fee", from: practice.Scheduled, now: lifeStart.Add(-24*time.Hour - time.Second), policy: policy,
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick"},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPatient, "Sick"
			}},
		{name: "patient cancels exactly 24 hours ahead: late", from: practice.Scheduled, now: at("15:00").AddDate(0, 0, -1), policy: policy,
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick"},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason, a.LateCancel, a.FeeCents = practice.Cancelled, practice.ByPatient, "Sick", true, 50_00
			}},
		{name: "late cancel with fee waived", from: practice.Confirmed, now: at("12:00"), policy: policy,
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick", WaiveFee: true},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason, a.LateCancel = practice.Cancelled, practice.ByPatient, "Sick", true
			}},
		{name: "practice cancels late: never a fee", from: practice.Confirmed, now: at("14:00"), policy: policy,
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPractice, Reason: "Clinician ill"},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPractice, "Clinician ill"
			}},
		{name: "no late window in the policy", from: practice.Scheduled, now: at("14:59"), policy: practice.CalendarPolicy{LateCancelFeeCents: 50_00},
			change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick"},
			want: func(a *practice.Appointment) {
				a.Status, a.CancelledBy, a.Reason = practice.Cancelled, practice.ByPatient, "Sick"
			}},
		{name: "no-show at the start time, reason optional", from: practice.Confirmed, now: at("15:00"), policy: policy,
			change: calendar.Change{To: practice.NoShow},
			want:   func(a *practice.Appointment) { a.Status, a.FeeCents = practice.NoShow, 75_00 }},
		{name: "no-show with fee waived", from: practice.Scheduled, now: at("15:30"), policy: policy,
			change: calendar.Change{To: practice.NoShow, Reason: "Hospitalized", WaiveFee: true},
			want:   func(a *practice.Appointment) { a.Status, a.Reason = practice.NoShow, "Hospitalized" }},
		{name: "reinstate a no-show clears fee and reason", from: practice.NoShow, now: at("15:30"), change: calendar.Change{To: practice.Scheduled},
			want: func(a *practice.Appointment) { *a = appointmentIn(practice.Scheduled) }},
		{name: "reinstate a cancellation clears who, late, fee, reason", from: practice.Cancelled, now: at("15:30"), change: calendar.Change{To: practice.Scheduled},
			want: func(a *practice.Appointment) { *a = appointmentIn(practice.Scheduled) }},
		{name: "undo a check-in", from: practice.CheckedIn, now: at("15:30"), change: calendar.Change{To: practice.Scheduled},
			want: func(a *practice.Appointment) { *a = appointmentIn(practice.Scheduled) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appointmentIn(tt.from)
			want := appointmentIn(tt.from)
			tt.want(&want)
			if err := calendar.Apply(&a, tt.change, tt.policy, tt.now); err != nil {
				t.Fatal(err)
			}
			if a != want {
				t.Errorf("got  %+v\nwant %+v", a, want)
			}
		})
	}
}

func TestApplyRejectsBadInput(t *testing.T) {
	at := sessionDay(t)
	tests := []struct {
		name   string
		from   practice.Status
		change calendar.Change
		now    time.Time
		code   string
		field  string
		msg    string
	}{
		{"cancel without who", practice.Scheduled, calendar.Change{To: practice.Cancelled, Reason: "Sick"}, at("09:00"),
			practice.EInvalid, "cancelledBy", "Say who cancelled: the patient or the practice."},
		{"cancel without reason", practice.Scheduled, calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPractice, Reason: "  "}, at("09:00"),
			practice.EInvalid, "reason", "Give a reason for the cancellation."},
		{"no-show before the start", practice.Confirmed, calendar.Change{To: practice.NoShow}, at("14:59"),
			practice.EConflict, "", "An appointment cannot be marked as a no-show before it starts."},
		{"check in tomorrow's session", practice.Scheduled, calendar.Change{To: practice.CheckedIn}, at("15:00").AddDate(0, 0, -1),
			practice.EInvalid, "actualStart", "The session must begin within 12 hours of its scheduled start."},
		{"check in at a future time", practice.Scheduled, calendar.Change{To: practice.CheckedIn, ActualStart: at("15:10")}, at("15:00"),
			practice.EInvalid, "actualStart", "The session cannot begin in the future."},
		{"complete ending in the future", practice.CheckedIn, calendar.Change{To: practice.Completed, ActualEnd: at("16:00")}, at("15:50"),
			practice.EInvalid, "actualEnd", "The session cannot end in the future."},
		{"complete ending before it began", practice.CheckedIn, calendar.Change{To: practice.Completed, ActualStart: at("15:10"), ActualEnd: at("15:10")}, at("15:50"),
			practice.EInvalid, "actualEnd", "The session must end after it began."},
		{"complete a day later without an end time", practice.CheckedIn, calendar.Change{To: practice.Completed}, at("15:00").AddDate(0, 0, 1),
			practice.EInvalid, "actualEnd", "A session lasts at most 8 hours; enter when it actually ended."},
		{"complete with a start on another day", practice.CheckedIn, calendar.Change{To: practice.Completed, ActualStart: at("02:00")}, at("15:50"),
			practice.EInvalid, "actualStart", "The session must begin within 12 hours of its scheduled start."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := appointmentIn(tt.from)
			before := a
			err := calendar.Apply(&a, tt.change, policy, tt.now)
			if tt.field == "" {
				assertError(t, err, tt.code, tt.msg)
			} else {
				assertFieldError(t, err, tt.field, tt.msg)
			}
			assertUnchanged(t, a, before)
		})
	}
}

// sessionDay parses "15:04" as a UTC time on the day of the session.
func sessionDay(t *testing.T) func(hhmm string) time.Time {
	return func(hhmm string) time.Time {
		t.Helper()
		v, err := time.Parse("2006-01-02 15:04", "2026-03-03 "+hhmm)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func assertError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if practice.ErrorCode(err) != code || practice.ErrorMessage(err) != msg {
		t.Fatalf("err = %s %q, want %s %q", practice.ErrorCode(err), practice.ErrorMessage(err), code, msg)
	}
}

func assertFieldError(t *testing.T, err error, field, msg string) {
	t.Helper()
	var e *practice.Error
	if !errors.As(err, &e) || e.Code != practice.EInvalid || e.Fields[field] != msg {
		t.Fatalf("err = %v, want %s on %s: %q", err, practice.EInvalid, field, msg)
	}
}

func assertUnchanged(t *testing.T, got, before practice.Appointment) {
	t.Helper()
	if got != before {
		t.Errorf("appointment changed on error:\n got    %+v\n before %+v", got, before)
	}
}
