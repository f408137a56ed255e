package intake_test

import (
	"context"
	"testing"

	"quietdesk/internal/calendar"
	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// A packet that arrives for one of today's appointments still to come
// checks it in when the practice has asked for that, through the
// calendar's rules; otherwise, or for another day's appointment or a
// cancelled one, the appointment is left as it was and the packet is
// filed all the same.
func TestArrivalChecksInTodaysAppointmentWhenThePracticeWants(t *testing.T) {
	cal := calendar.NewService()
	for _, c := range []struct {
		name    string
		on      bool
		change  func(a *practice.Appointment)
		want    practice.Status
		audited int
	}{
		{name: "Off", want: practice.Scheduled},
		{name: "On", on: true, want: practice.CheckedIn, audited: 1},
		{name: "OnConfirmed", on: true, change: func(a *practice.Appointment) { a.Status = practice.Confirmed }, want: practice.CheckedIn, audited: 1},
		{name: "OnTomorrow", on: true, change: func(a *practice.Appointment) {
			a.Start, a.End = a.Start.AddDate(0, 0, 1), a.End.AddDate(0, 0, 1)
		}, want: practice.Scheduled},
		{name: "OnCancelled", on: true, change: func(a *practice.Appointment) {
			a.Status, a.CancelledBy = practice.Cancelled, practice.ByPatient
		}, want: practice.Cancelled},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			if err := f.db.Update(ctx, func(tx *store.Tx) error {
				s, err := tx.Settings()
				if err != nil {
					return err
				}
				s.CheckInOnIntake = c.on
				if err := tx.SaveSettings(&s); err != nil {
					return err
				}
				if c.change == nil {
					return nil
				}
				c.change(&f.visit)
				return tx.SaveAppointment(&f.visit)
			}); err != nil {
				t.Fatal(err)
			}
			s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, []int{0, 0, 0, 0, 0, 0, 0, 0, 0})
			for range 2 { // a replay changes nothing more
				if err := f.db.Update(ctx, func(tx *store.Tx) error {
					_, _, err := intake.Submit(tx, practice.Actor{}, s, cal)
					return err
				}); err != nil {
					t.Fatalf("submitting: %v", err)
				}
			}
			var got practice.Appointment
			var filed []practice.Submission
			if err := f.db.View(ctx, func(tx *store.Tx) (err error) {
				if got, err = tx.Appointment(f.visit.ID); err != nil {
					return err
				}
				filed, err = tx.PatientSubmissions(f.maria.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want {
				t.Errorf("the appointment is %s, want %s", got.Status, c.want)
			}
			if c.want == practice.CheckedIn && !got.ActualStart.Equal(f.now) {
				t.Errorf("checked in at %v, want the arrival's time %v", got.ActualStart, f.now)
			}
			if len(filed) != 1 {
				t.Errorf("%d submissions filed, want 1", len(filed))
			}
			if n := len(f.audited("appointment.status")); n != c.audited {
				t.Errorf("%d status changes audited, want %d", n, c.audited)
			}
		})
	}
}
