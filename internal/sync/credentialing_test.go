package sync_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestOfflineFollowUpNotesBothSurvive: two office machines, disconnected,
// each record a follow-up note on the same enrollment; once they
// reconnect (real TLS over loopback) both machines hold both notes, in
// the order they were written, and the enrollment is still one row.
func TestOfflineFollowUpNotesBothSurvive(t *testing.T) {
	a := newPractice(t, "A")
	unlock(t, a)
	var enrollment practice.Enrollment
	if err := a.db.Update(context.Background(), func(tx *store.Tx) error {
		c := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		if err := tx.SaveClinician(&c); err != nil {
			return err
		}
		y := practice.Payer{Name: "Aetna", Kind: practice.PayerInsurance, Active: true}
		if err := tx.SavePayer(&y); err != nil {
			return err
		}
		enrollment = practice.Enrollment{ClinicianID: c.ID, PayerID: y.ID, Status: practice.EnrollInProcess}
		if err := tx.SaveEnrollment(&enrollment); err != nil {
			return err
		}
		return tx.AddEnrollmentEvent(&practice.EnrollmentEvent{EnrollmentID: enrollment.ID, Status: enrollment.Status, Note: "Application mailed"})
	}); err != nil {
		t.Fatal(err)
	}
	b := join(t, a, "B")
	unlock(t, b)

	// B goes offline (its service stops, so neither machine can reach the
	// other); B's note is written first, then A's.
	b.svc.Stop()
	note := func(m *machine, text string) {
		t.Helper()
		if err := m.db.Update(context.Background(), func(tx *store.Tx) error {
			return tx.AddEnrollmentEvent(&practice.EnrollmentEvent{EnrollmentID: enrollment.ID, Status: practice.EnrollInProcess, Note: text})
		}); err != nil {
			t.Fatal(err)
		}
	}
	note(b, "B: payer says two more weeks")
	time.Sleep(5 * time.Millisecond) // distinct milliseconds, so the time order is unambiguous
	note(a, "A: sent the missing W-9")

	notes := func(m *machine) []string {
		var out []string
		if err := m.db.View(context.Background(), func(tx *store.Tx) error {
			list, err := tx.EnrollmentEvents(enrollment.ID)
			for _, ev := range list {
				out = append(out, ev.Note)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := []string{"Application mailed", "B: payer says two more weeks", "A: sent the missing W-9"}
	if got := notes(a); len(got) != 2 {
		t.Fatalf("A before reconnecting holds %q; want its own two notes", got)
	}

	b.start(t) // B dials A's remembered address
	for _, m := range []*machine{a, b} {
		eventually(t, 10*time.Second, m.name+" did not receive the other machine's note", func() bool { return len(notes(m)) == 3 })
		if got := notes(m); !slices.Equal(got, want) {
			t.Errorf("%s's history %q; want %q", m.name, got, want)
		}
	}
	eventually(t, 5*time.Second, "digests differ", func() bool { return digestsEqual(a, b) })
	if err := b.db.View(context.Background(), func(tx *store.Tx) error {
		list, err := tx.Enrollments("")
		if len(list) != 1 {
			t.Errorf("B holds %d enrollments, want 1", len(list))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
