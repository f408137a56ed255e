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
	v, err := p.patientAppointments(p.owner, p.maria.ID)
	if err != nil {
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

// patientAppointments reads a record's appointments as by, in a
// transaction of its own (the read writes its audit entry).
func (p *practiceFixture) patientAppointments(by practice.Actor, patientID string) (calendar.PatientVisits, error) {
	var v calendar.PatientVisits
	err := p.update(func(tx *store.Tx) error {
		var err error
		v, err = p.svc.PatientAppointments(tx, by, patientID)
		return err
	})
	return v, err
}

// TestPatientAppointmentsAccess: a clinician limited to their own caseload
// reads their own patient's appointments and is refused a colleague's
// patient's, with nothing of them returned; each read that succeeded is one
// audit entry naming the patient, a refused one none.
func TestPatientAppointmentsAccess(t *testing.T) {
	p := newPractice(t)
	p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-03 09:00")}) // María sees Ana
	ana := practice.Actor{AccountID: p.owner.AccountID, ClinicianID: p.ana.ID, OwnCaseload: true}
	ben := practice.Actor{AccountID: p.owner.AccountID, ClinicianID: p.ben.ID, OwnCaseload: true}
	audited := func() int {
		t.Helper()
		var n int
		err := p.db.View(t.Context(), func(tx *store.Tx) error {
			e, err := tx.AuditEntries(store.AuditQuery{Action: "patient.appointments", RecordID: p.maria.ID})
			n = len(e)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	v, err := p.patientAppointments(ben, p.maria.ID)
	if practice.ErrorCode(err) != practice.EForbidden {
		t.Fatalf("Ben reading María's appointments: %v, want forbidden", err)
	}
	if len(v.Upcoming)+len(v.Past) != 0 || v.FeeCents != 0 {
		t.Errorf("a refused read returned %+v", v)
	}
	if n := audited(); n != 0 {
		t.Errorf("a refused read wrote %d audit entries", n)
	}
	v, err = p.patientAppointments(ana, p.maria.ID)
	if err != nil || len(v.Upcoming) != 1 {
		t.Fatalf("Ana reading her patient's appointments: %+v, %v", v, err)
	}
	if n := audited(); n != 1 {
		t.Errorf("%d audit entries after one read, want 1", n)
	}
	if _, err := p.patientAppointments(p.owner, "no-such-patient"); practice.ErrorCode(err) != practice.ENotFound {
		t.Errorf("an unknown patient: %v, want not found", err)
	}
}
