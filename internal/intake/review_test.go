package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// answer sets one question's answer in a filled submission.
func answer(s *practice.Submission, formID, questionID, value string) {
	for i := range s.Forms {
		if s.Forms[i].FormID == formID {
			s.Forms[i].Answers[questionID] = []string{value}
		}
	}
}

// decide runs intake.Decide and saves the patient in one transaction, as
// the facade does through the patients service.
func (f *fixture) decide(by practice.Actor, id string, d map[string]string) (intake.Review, error) {
	var r intake.Review
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		p, err := tx.Patient(f.maria.ID)
		if err != nil {
			return err
		}
		if r, err = intake.Decide(tx, by, id, d, &p); err != nil {
			return err
		}
		return tx.UpdatePatient(&p)
	})
	return r, err
}

func (f *fixture) changes(by practice.Actor, id string) (intake.Review, error) {
	var r intake.Review
	err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		r, err = intake.Changes(tx, by, id)
		return err
	})
	return r, err
}

func (f *fixture) patient(id string) practice.Patient {
	f.t.Helper()
	var p practice.Patient
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) { p, err = tx.Patient(id); return }); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// TestReviewChangesFieldByField: Maria's packet gives a new phone, an
// address where none is on file (the state typed in lower case), an
// emergency contact, and her e-mail as it is on file with spaces around
// it. The front desk sees exactly the seven changes beside what is on
// file, accepts the phone and declines the address; the record then has
// the new phone and still no address, and the review stays open until the
// emergency contact is decided too.
func TestReviewChangesFieldByField(t *testing.T) {
	f := newFixture(t)
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		f.maria.Contact.Email = "maria@example.com"
		return tx.UpdatePatient(&f.maria)
	}); err != nil {
		t.Fatal(err)
	}
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.Spanish, make([]int, 9))
	answer(&s, "demographics", "phone", "(503) 555-0199")
	answer(&s, "demographics", "email", "  maria@example.com ")
	answer(&s, "demographics", "line1", "12 Oak St")
	answer(&s, "demographics", "city", "Portland")
	answer(&s, "demographics", "state", "or")
	answer(&s, "demographics", "zip", "97201")
	if _, _, err := f.submit(s); err != nil {
		t.Fatal(err)
	}

	got, err := f.changes(f.desk, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []intake.Change{
		{Field: "contact.phone", Label: "About you: Phone number", OnFile: "(503) 555-0101", Given: "(503) 555-0199"},
		{Field: "contact.address.line1", Label: "About you: Street address", Given: "12 Oak St"},
		{Field: "contact.address.city", Label: "About you: City", Given: "Portland"},
		{Field: "contact.address.state", Label: "About you: State", Given: "OR"},
		{Field: "contact.address.zip", Label: "About you: ZIP code", Given: "97201"},
		{Field: "emergency.name", Label: "Emergency contact: Name", Given: "Someone"},
		{Field: "emergency.phone", Label: "Emergency contact: Phone number", Given: "(503) 555-0142"},
	}
	if !reflect.DeepEqual(got.Changes, want) {
		t.Fatalf("changes\n got %+v\nwant %+v", got.Changes, want)
	}
	if got.PatientName != "Maria L." || got.Waiting != "7 changes to the record to accept or decline." {
		t.Fatalf("review reads %q, waiting %q", got.PatientName, got.Waiting)
	}

	r, err := f.decide(f.desk, s.ID, map[string]string{
		"contact.phone": intake.Accepted, "contact.address.line1": intake.Declined, "contact.address.city": intake.Declined,
		"contact.address.state": intake.Declined, "contact.address.zip": intake.Declined,
	})
	if err != nil {
		t.Fatal(err)
	}
	p := f.patient(f.maria.ID)
	if p.Contact.Phone != "(503) 555-0199" || p.Contact.Address != (practice.Address{}) || p.Emergency.Name != "" {
		t.Fatalf("record after accepting the phone and declining the address: %+v / %+v", p.Contact, p.Emergency)
	}
	if r.Status != practice.NeedsReview || r.Waiting != "2 changes to the record to accept or decline." {
		t.Fatalf("after five decisions: status %s, waiting %q", r.Status, r.Waiting)
	}
	if c := r.Changes[0]; c.Decision != intake.Accepted || c.OnFile != "(503) 555-0199" {
		t.Fatalf("the accepted phone reads %+v", c)
	}

	r, err = f.decide(f.desk, s.ID, map[string]string{"emergency.name": intake.Accepted, "emergency.phone": intake.Accepted})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != practice.Reviewed || r.Waiting != "" {
		t.Fatalf("every change decided, no flag: status %s, waiting %q", r.Status, r.Waiting)
	}
	if p := f.patient(f.maria.ID); p.Emergency.Name != "Someone" || p.Emergency.Phone != "(503) 555-0142" {
		t.Fatalf("emergency contact after accepting: %+v", p.Emergency)
	}
}

// TestReviewRefusesBadDecisions: a field the submission does not propose,
// a decision that is neither, a change decided twice, a colleague's
// patient — each refused with its reason, and nothing written.
func TestReviewRefusesBadDecisions(t *testing.T) {
	f := newFixture(t)
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, make([]int, 9))
	answer(&s, "demographics", "phone", "(503) 555-0199")
	if _, _, err := f.submit(s); err != nil {
		t.Fatal(err)
	}
	if _, err := f.decide(f.desk, s.ID, map[string]string{"contact.phone": intake.Accepted}); err != nil {
		t.Fatal(err)
	}
	before := f.patient(f.maria.ID)
	for _, c := range []struct {
		name  string
		by    practice.Actor
		d     map[string]string
		code  string
		field string
	}{
		{"a field not proposed", f.desk, map[string]string{"identity.lastName": intake.Accepted}, practice.EInvalid, "identity.lastName"},
		{"neither accept nor decline", f.desk, map[string]string{"emergency.name": "maybe"}, practice.EInvalid, "emergency.name"},
		{"decided twice", f.desk, map[string]string{"contact.phone": intake.Declined}, practice.EInvalid, "contact.phone"},
		{"with one good decision beside a bad one", f.desk, map[string]string{"emergency.name": intake.Accepted, "nope": intake.Accepted}, practice.EInvalid, "nope"},
		{"a clinician who does not see Maria", f.ben, map[string]string{"emergency.name": intake.Accepted}, practice.EForbidden, ""},
	} {
		_, err := f.decide(c.by, s.ID, c.d)
		var pe *practice.Error
		if practice.ErrorCode(err) != c.code || (c.field != "" && (!errors.As(err, &pe) || pe.Fields[c.field] == "")) {
			t.Errorf("%s: got %v, want %s on %q", c.name, err, c.code, c.field)
		}
	}
	if after := f.patient(f.maria.ID); !reflect.DeepEqual(after, before) {
		t.Fatalf("refused decisions changed the record:\n%+v\n%+v", before, after)
	}
	r, err := f.changes(f.desk, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Waiting != "2 changes to the record to accept or decline." { // the emergency contact's name and phone
		t.Fatalf("refused decisions were kept: waiting %q", r.Waiting)
	}
}

// TestReviewWaitsForTheSafetyFlag: a packet whose changes are decided but
// whose safety flag is open is not reviewed; acknowledging the flag then
// finishes it.
func TestReviewWaitsForTheSafetyFlag(t *testing.T) {
	f := newFixture(t)
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, []int{0, 0, 0, 0, 0, 0, 0, 0, 1})
	answer(&s, "demographics", "phone", f.maria.Contact.Phone)
	if _, _, err := f.submit(s); err != nil {
		t.Fatal(err)
	}
	r, err := f.decide(f.desk, s.ID, map[string]string{"emergency.name": intake.Declined, "emergency.phone": intake.Declined})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != practice.NeedsReview || r.Waiting != "The safety flag is not acknowledged yet." {
		t.Fatalf("flag open: status %s, waiting %q", r.Status, r.Waiting)
	}
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		_, err := intake.Acknowledge(tx, f.ana, s.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if r, err = f.changes(f.desk, s.ID); err != nil || r.Status != practice.Reviewed || r.Waiting != "" {
		t.Fatalf("flag acknowledged with nothing else left, the review is not finished: %+v, %v", r, err)
	}
}

// TestFinishingAReviewWithNothingToDecide: a packet that changes nothing
// and raised no flag is finished by a person saying so (no decisions).
func TestFinishingAReviewWithNothingToDecide(t *testing.T) {
	f := newFixture(t)
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		f.maria.Emergency = practice.RelatedPerson{Name: "Someone", Phone: "(503) 555-0142"} // as filled answers it
		return tx.UpdatePatient(&f.maria)
	}); err != nil {
		t.Fatal(err)
	}
	s := f.filled(f.maria.ID, f.visit.ID, "new-adult", practice.English, make([]int, 9))
	if _, _, err := f.submit(s); err != nil {
		t.Fatal(err)
	}
	r, err := f.changes(f.desk, s.ID)
	if err != nil || len(r.Changes) != 0 || r.Waiting != "" || r.Status != practice.NeedsReview {
		t.Fatalf("nothing to decide, not yet finished: %+v, %v", r, err)
	}
	if r, err = f.decide(f.desk, s.ID, nil); err != nil || r.Status != practice.Reviewed {
		t.Fatalf("finished with no decisions: %+v, %v", r, err)
	}
}

// TestFormsReachTheWindowWithLists: every form's questions (and every
// question's options) reach the window as a JSON list, never null — the
// tablet iterates them, and a consent's null questions once stopped every
// patient at the first consent.
func TestFormsReachTheWindowWithLists(t *testing.T) {
	b, err := json.Marshal(intake.BookOf(practice.DefaultCalendarPolicy, nil).Current())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"questions":null`)) {
		t.Fatalf("a form's questions are null: %s", b)
	}
}
