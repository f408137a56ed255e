package calendar_test

import (
	"testing"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestPatientAppointments: a patient's record lists what is coming (soonest
// first) and what is past (latest first) with status and type, and adds up
// the fees charged.
func TestPatientAppointments(t *testing.T) {
	p := newPractice(t)
	today := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-01 09:00")}).Appointments[0]
	missed := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")}).Appointments[0]
	later := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-16 10:00")}).Appointments[0]
	next := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-09 10:00")}).Appointments[0]
	p.mustBook(calendar.Booking{Appointment: p.session(p.noah, "2027-03-03 10:00")}) // someone else's
	p.clock.Set(p.at("2027-03-02 12:00"))
	err := p.update(func(tx *store.Tx) error {
		_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: missed.ID, Change: calendar.Change{To: practice.NoShow}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var v calendar.PatientVisits
	if err := p.db.View(t.Context(), func(tx *store.Tx) error {
		var err error
		v, err = calendar.PatientAppointments(tx, p.maria.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ids := func(list []calendar.Visit) []string {
		var out []string
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	if got, want := ids(v.Upcoming), []string{next.ID, later.ID}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("upcoming %v, want 9 then 16 March", got)
	}
	if got, want := ids(v.Past), []string{missed.ID, today.ID}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("past %v, want 2 then 1 March", got)
	}
	if v.FeeCents != 7500 {
		t.Errorf("fees %d cents, want the $75 no-show fee", v.FeeCents)
	}
	if m := v.Past[0]; m.Status != practice.NoShow || m.Type != "Individual 53" || m.Clinician != "Ana Ruiz" || m.Place != "Main Street, Room 1" {
		t.Errorf("the missed session reads %+v", m)
	}
}
