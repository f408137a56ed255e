package calendar_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Booking checks as a higher area would register them: one that warns
// about every session, and one that refuses Ben's (as credentialing would
// for a payer he is not in network with), reading him through the
// booking's own transaction.
const (
	warning  = "The authorization has 2 sessions left."
	refusal  = "Ben Okafor is not credentialed with this payer."
	kindAuth = practice.ConflictKind("authorization")
	kindCred = practice.ConflictKind("credential")
)

func warnEverySession(tx calendar.Store, a practice.Appointment) ([]practice.Conflict, error) {
	return []practice.Conflict{{Kind: kindAuth, Message: warning, Start: a.Start}}, nil
}

func refuseBen(ben string) calendar.BookingCheck {
	return func(tx calendar.Store, a practice.Appointment) ([]practice.Conflict, error) {
		if a.ClinicianID != ben {
			return nil, nil
		}
		c, err := tx.Clinician(a.ClinicianID)
		if err != nil {
			return nil, err
		}
		return []practice.Conflict{{Kind: kindCred, Hard: true, Message: c.FirstName + " " + c.LastName + " is not credentialed with this payer.", Start: a.Start}}, nil
	}
}

func TestBookingChecks(t *testing.T) {
	p := newPractice(t)
	p.svc = calendar.NewService(warnEverySession, refuseBen(p.ben.ID))

	t.Run("WarningOnly", func(t *testing.T) {
		res := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")})
		if len(res.Conflicts) != 1 || res.Conflicts[0].Kind != kindAuth || res.Conflicts[0].Hard || res.Conflicts[0].Message != warning {
			t.Fatalf("conflicts %+v: want the check's warning alone", res.Conflicts)
		}
	})

	withBen := p.session(p.noah, "2027-03-03 10:00")
	withBen.ClinicianID = p.ben.ID

	t.Run("CheckBookingShowsBoth", func(t *testing.T) {
		var found []practice.Conflict
		if err := p.db.View(context.Background(), func(tx *store.Tx) error {
			var err error
			found, err = p.svc.CheckBooking(tx, calendar.Booking{Appointment: withBen})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(found) != 2 || found[0].Kind != kindAuth || found[1].Kind != kindCred || !found[1].Hard {
			t.Fatalf("conflicts %+v: want the warning, then the hard credential conflict", found)
		}
	})

	t.Run("ErrHardConflictNeedsReason", func(t *testing.T) {
		_, err := p.book(calendar.Booking{Appointment: withBen})
		var pe *practice.Error
		if practice.ErrorCode(err) != practice.EConflict || !errors.As(err, &pe) || pe.Message != refusal || pe.Fields["overrideReason"] == "" {
			t.Fatalf("booking Ben: %v; want EConflict %q asking for an override reason", err, refusal)
		}
		if n := len(p.appointments("2027-03-03 00:00", "2027-03-04 00:00")); n != 0 {
			t.Fatalf("%d appointments after a refused booking, want 0", n)
		}
	})

	t.Run("OverrideBooks", func(t *testing.T) {
		over := withBen
		over.OverrideReason = "Self-pay session"
		res := p.mustBook(calendar.Booking{Appointment: over})
		if got := p.appointment(res.Appointments[0].ID); got.OverrideReason != "Self-pay session" {
			t.Fatalf("override reason %q not kept", got.OverrideReason)
		}
	})

	t.Run("ErrMoveToBen", func(t *testing.T) {
		ana := p.appointments("2027-03-02 00:00", "2027-03-03 00:00")[0]
		err := p.update(func(tx *store.Tx) error {
			_, err := p.svc.Move(tx, p.owner, calendar.Move{ID: ana.ID, Start: ana.Start.Add(2 * time.Hour), End: ana.End.Add(2 * time.Hour),
				ClinicianID: p.ben.ID, LocationID: ana.LocationID, RoomID: ana.RoomID})
			return err
		})
		if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(err.Error(), refusal) {
			t.Fatalf("moving Ana's session to Ben: %v; want the credential conflict", err)
		}
		if got := p.appointment(ana.ID); got.ClinicianID != p.ana.ID || !got.Start.Equal(ana.Start) {
			t.Fatalf("a refused move changed the appointment: %+v", got)
		}
	})
}
