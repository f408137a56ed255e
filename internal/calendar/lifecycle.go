package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// Change is one step in an appointment's life, as the front desk or the
// clinician asks for it.
type Change struct {
	To          practice.Status      `json:"to"`
	ActualStart time.Time            `json:"actualStart" ts_type:"string"` // check-in or completion; zero: see Apply
	ActualEnd   time.Time            `json:"actualEnd" ts_type:"string"`   // completion; zero: now
	CancelledBy practice.CancelledBy `json:"cancelledBy"`
	Reason      string               `json:"reason"`
	WaiveFee    bool                 `json:"waiveFee"`
}

// transitions lists where each status may go.
//
//   - Check-in is optional: a telehealth session never passes the front
//     desk, so scheduled and confirmed appointments may be completed.
//   - Completed → completed corrects the actual times, which billing reads.
//   - → scheduled undoes a mistake: a wrong check-in, cancellation or
//     no-show (the front desk clicked the wrong row). It clears the actual
//     times, fee and reason. The slot may have been given away meanwhile,
//     so the caller must check conflicts again. A completed session is
//     never reopened: it may already be billed.
var transitions = map[practice.Status][]practice.Status{
	practice.Scheduled: {practice.Confirmed, practice.CheckedIn, practice.Completed, practice.Cancelled, practice.NoShow},
	practice.Confirmed: {practice.CheckedIn, practice.Completed, practice.Cancelled, practice.NoShow},
	practice.CheckedIn: {practice.Completed, practice.Scheduled},
	practice.Completed: {practice.Completed},
	practice.Cancelled: {practice.Scheduled},
	practice.NoShow:    {practice.Scheduled},
}

// actualSlack is how far the actual start may be from the scheduled one.
// It stands for "the same day" without needing the practice's time zone,
// and still allows a session that runs past midnight.
const actualSlack = 12 * time.Hour

// Apply moves a to c.To at now, or returns an error and leaves a unchanged.
//
//   - Cancelling needs who cancelled and a reason. A patient cancelling
//     within policy.LateCancelHours of the start (0: no window) is late and
//     owes the late-cancel fee unless WaiveFee; the practice never charges.
//   - A no-show is possible once the start has passed; it owes the no-show
//     fee unless WaiveFee. Its reason is optional: often nobody knows.
//   - Check-in records ActualStart (default now). Completing records
//     ActualEnd (default: the one recorded, else now) and may correct
//     ActualStart (default: the one recorded, else the scheduled start). Actual times cannot be in
//     the future, must begin within 12 hours of the scheduled start and last
//     up to practice.MaxAppointmentMinutes.
//
// Errors: EConflict for a transition the current status does not allow,
// EInvalid (with the field) for missing or impossible input.
func Apply(a *practice.Appointment, c Change, policy practice.CalendarPolicy, now time.Time) error {
	if !slices.Contains(transitions[a.Status], c.To) {
		return illegal(a.Status, c.To)
	}
	next := *a
	var err error
	switch c.To {
	case practice.Confirmed:
		next.Status = practice.Confirmed
	case practice.CheckedIn:
		err = checkIn(&next, c, now)
	case practice.Completed:
		err = complete(&next, c, now)
	case practice.Cancelled:
		err = cancel(&next, c, policy, now)
	case practice.NoShow:
		err = noShow(&next, c, policy, now)
	case practice.Scheduled:
		reinstate(&next)
	}
	if err != nil {
		return err
	}
	*a = next
	return nil
}

func checkIn(a *practice.Appointment, c Change, now time.Time) error {
	start := orTime(c.ActualStart, now)
	if err := checkActualStart(a, start, now); err != nil {
		return err
	}
	a.Status, a.ActualStart = practice.CheckedIn, start
	return nil
}

func complete(a *practice.Appointment, c Change, now time.Time) error {
	start := orTime(c.ActualStart, orTime(a.ActualStart, a.Start))
	end := orTime(c.ActualEnd, orTime(a.ActualEnd, now))
	if err := checkActualStart(a, start, now); err != nil {
		return err
	}
	switch {
	case end.After(now):
		return practice.FieldProblem("actualEnd", "The session cannot end in the future.")
	case !end.After(start):
		return practice.FieldProblem("actualEnd", "The session must end after it began.")
	case end.Sub(start) > practice.MaxAppointmentMinutes*time.Minute:
		return practice.FieldProblem("actualEnd", "A session lasts at most 8 hours; enter when it actually ended.")
	}
	a.Status, a.ActualStart, a.ActualEnd = practice.Completed, start, end
	return nil
}

func checkActualStart(a *practice.Appointment, start, now time.Time) error {
	switch {
	case start.After(now):
		return practice.FieldProblem("actualStart", "The session cannot begin in the future.")
	case start.Sub(a.Start).Abs() > actualSlack:
		return practice.FieldProblem("actualStart", "The session must begin within 12 hours of its scheduled start.")
	}
	return nil
}

func cancel(a *practice.Appointment, c Change, policy practice.CalendarPolicy, now time.Time) error {
	if c.CancelledBy != practice.ByPatient && c.CancelledBy != practice.ByPractice {
		return practice.FieldProblem("cancelledBy", "Say who cancelled: the patient or the practice.")
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return practice.FieldProblem("reason", "Give a reason for the cancellation.")
	}
	window := time.Duration(policy.LateCancelHours) * time.Hour
	late := c.CancelledBy == practice.ByPatient && window > 0 && !now.Before(a.Start.Add(-window))
	a.Status, a.CancelledBy, a.Reason, a.LateCancel = practice.Cancelled, c.CancelledBy, reason, late
	a.FeeCents = 0
	if late && !c.WaiveFee {
		a.FeeCents = policy.LateCancelFeeCents
	}
	return nil
}

func noShow(a *practice.Appointment, c Change, policy practice.CalendarPolicy, now time.Time) error {
	if now.Before(a.Start) {
		return practice.Errorf(practice.EConflict, "An appointment cannot be marked as a no-show before it starts.")
	}
	a.Status, a.Reason, a.CancelledBy, a.LateCancel = practice.NoShow, strings.TrimSpace(c.Reason), "", false
	a.FeeCents = 0
	if !c.WaiveFee {
		a.FeeCents = policy.NoShowFeeCents
	}
	return nil
}

func reinstate(a *practice.Appointment) {
	a.Status = practice.Scheduled
	a.ActualStart, a.ActualEnd = time.Time{}, time.Time{}
	a.CancelledBy, a.LateCancel, a.FeeCents, a.Reason = "", false, 0, ""
}

// Words for messages: "A <state> appointment cannot be <action>."
var (
	stateWords = map[practice.Status]string{
		practice.Scheduled: "scheduled", practice.Confirmed: "confirmed", practice.CheckedIn: "checked-in",
		practice.Completed: "completed", practice.Cancelled: "cancelled", practice.NoShow: "no-show",
	}
	actionWords = map[practice.Status]string{
		practice.Scheduled: "put back on the calendar", practice.Confirmed: "confirmed", practice.CheckedIn: "checked in",
		practice.Completed: "completed", practice.Cancelled: "cancelled", practice.NoShow: "marked as a no-show",
	}
)

func illegal(from, to practice.Status) error {
	action, ok := actionWords[to]
	switch {
	case !ok:
		return practice.Errorf(practice.EInvalid, "Unknown appointment status %q.", to)
	case from == practice.Scheduled && to == practice.Scheduled:
		return practice.Errorf(practice.EConflict, "This appointment is already scheduled.")
	case from == to:
		return practice.Errorf(practice.EConflict, "This appointment is already %s.", action)
	case from == practice.Cancelled || from == practice.NoShow:
		return practice.Errorf(practice.EConflict, "A %s appointment cannot be %s; put it back on the calendar first.", stateWords[from], action)
	}
	return practice.Errorf(practice.EConflict, "A %s appointment cannot be %s.", cmp.Or(stateWords[from], string(from)), action)
}

func orTime(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}
