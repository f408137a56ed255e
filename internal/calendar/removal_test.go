package calendar_test

import (
	"testing"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestRemoveBookingMadeInError: a booking made in error can be removed
// (with a reason), freeing its slot; a session that took place cannot.
func TestRemoveBookingMadeInError(t *testing.T) {
	p := newPractice(t)
	remove := func(r calendar.Removal) ([]practice.Appointment, error) {
		var out []practice.Appointment
		err := p.update(func(tx *store.Tx) error {
			var err error
			out, err = p.svc.RemoveBooking(tx, p.owner, r)
			return err
		})
		return out, err
	}
	status := func(id string, to practice.Status) {
		t.Helper()
		err := p.update(func(tx *store.Tx) error {
			_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: id, Change: calendar.Change{To: to, CancelledBy: practice.ByPractice, Reason: "Clinician ill"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(day string) int { return len(p.appointments(day+" 00:00", day+" 23:59")) }

	t.Run("OneOffFreesItsSlot", func(t *testing.T) {
		a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")}).Appointments[0]
		removed, err := remove(calendar.Removal{ID: a.ID, Reason: calendar.BookedTwice})
		if err != nil || len(removed) != 1 || removed[0].ID != a.ID {
			t.Fatalf("removed %v, %v", removed, err)
		}
		if n := count("2027-03-02"); n != 0 {
			t.Fatalf("%d appointments left on the day", n)
		}
		again := p.mustBook(calendar.Booking{Appointment: p.session(p.noah, "2027-03-02 10:00")})
		if len(again.Conflicts) != 0 {
			t.Fatalf("the freed slot clashes: %+v", again.Conflicts)
		}
	})
	t.Run("CancelledByThePracticeCanGo", func(t *testing.T) {
		a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-03 10:00")}).Appointments[0]
		status(a.ID, practice.Cancelled)
		if _, err := remove(calendar.Removal{ID: a.ID, Reason: calendar.WrongPatient}); err != nil {
			t.Fatal(err)
		}
		if n := count("2027-03-03"); n != 0 {
			t.Fatalf("%d appointments left on the day", n)
		}
	})
	t.Run("ErrReasonRequired", func(t *testing.T) {
		a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-04 10:00")}).Appointments[0]
		for _, reason := range []calendar.RemovalReason{"", "because"} {
			_, err := remove(calendar.Removal{ID: a.ID, Reason: reason})
			assertFieldError(t, err, "reason", "Say why the booking is removed: booked twice, wrong patient, wrong details or a test booking.")
		}
		if n := count("2027-03-04"); n != 1 {
			t.Fatalf("%d appointments on the day, want the one still there", n)
		}
	})
	t.Run("ErrTookPlace", func(t *testing.T) {
		a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-01 10:00")}).Appointments[0]
		p.clock.Set(p.at("2027-03-01 09:55"))
		status(a.ID, practice.CheckedIn)
		_, err := remove(calendar.Removal{ID: a.ID, Reason: calendar.WrongDetails})
		assertError(t, err, practice.EConflict, "This session is checked-in: it took place and stays on the record. Correct its status instead.")
		if got := p.appointment(a.ID); got.Status != practice.CheckedIn {
			t.Fatalf("status %s after a refused removal", got.Status)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := remove(calendar.Removal{ID: "01a00000-0000-7000-8000-000000000000", Reason: calendar.PracticeBooking})
		if practice.ErrorCode(err) != practice.ENotFound {
			t.Fatalf("err = %v, want ENotFound", err)
		}
	})
	t.Run("OneSessionOfASeriesIsNotMadeAgain", func(t *testing.T) {
		res := p.mustBook(calendar.Booking{Appointment: p.session(p.zoey, "2027-03-05 10:00"), Recurrence: weeklyOn(5)})
		second := res.Appointments[1] // 12 March
		if _, err := remove(calendar.Removal{ID: second.ID, Reason: calendar.BookedTwice}); err != nil {
			t.Fatal(err)
		}
		if err := p.update(func(tx *store.Tx) error { _, err := calendar.Materialize(tx); return err }); err != nil {
			t.Fatal(err)
		}
		if n, m := count("2027-03-12"), count("2027-03-19"); n != 0 || m != 1 {
			t.Fatalf("12 March has %d sessions (want 0), 19 March %d (want 1)", n, m)
		}
	})
	t.Run("WholeSeriesEnds", func(t *testing.T) {
		res := p.mustBook(calendar.Booking{Appointment: p.session(p.noah, "2027-03-04 14:00"), Recurrence: weeklyOn(4)})
		removed, err := remove(calendar.Removal{ID: res.Appointments[0].ID, Scope: calendar.WholeSeries, Reason: calendar.WrongDetails})
		if err != nil {
			t.Fatal(err)
		}
		if len(removed) != len(res.Appointments) {
			t.Fatalf("removed %d of the series' %d sessions", len(removed), len(res.Appointments))
		}
		p.clock.AddDate(0, 2, 0) // the horizon moves on: an ended series makes nothing
		if err := p.update(func(tx *store.Tx) error { _, err := calendar.Materialize(tx); return err }); err != nil {
			t.Fatal(err)
		}
		for _, a := range p.appointments("2027-03-01 00:00", "2028-06-01 00:00") {
			if a.SeriesID == res.SeriesID {
				t.Fatalf("session %v of the removed series is back", a.Start.In(p.zone))
			}
		}
	})
}
