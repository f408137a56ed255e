package app_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"quietdesk/internal/practice"
	"quietdesk/internal/testutil"
)

// writeCanaryIntake submits patient A's new-adult packet through the
// facade with a marker in every answer, typed name and signature image
// (PHQ-9 item 9 above 0, so a safety flag is raised and acknowledged), a
// refused submission with markers too, and reads the kept one back.
func writeCanaryIntake(t *testing.T, e *env, mk *markers, w canaryPractice) {
	t.Helper()
	// The owner's own consent text and question (intake_forms.content),
	// and the patient's answer to it.
	edited, err := e.Intake.EditForm(practice.FormEdit{FormID: "consent-treatment", BaseVersion: 1,
		Title: practice.Localized{EN: mk.text("intake.form.title.en"), ES: mk.text("intake.form.title.es")},
		Body:  practice.Localized{EN: mk.text("intake.form.body.en"), ES: mk.text("intake.form.body.es")},
		Questions: []practice.Question{{Kind: practice.LongText,
			Text: practice.Localized{EN: mk.text("intake.form.question.en"), ES: mk.text("intake.form.question.es")}}}})
	if err != nil || edited.Version != 2 {
		t.Fatalf("Intake.EditForm: %+v, %v", edited, err)
	}
	forms, err := e.Intake.Forms()
	if err != nil {
		t.Fatal(err)
	}
	phone := mk.digits("intake.demographics.phone", 10)
	answers := map[string]map[string][]string{
		"demographics": {"phone": {phone}, "email": {mk.email("intake.demographics.email")},
			"line1": {mk.text("intake.demographics.line1")}, "city": {mk.text("intake.demographics.city")}, "state": {"OR"},
			"zip": {mk.zip("intake.demographics.zip")}, "pronouns": {mk.text("intake.demographics.pronouns")}},
		"insurance": {"has": {"yes"}, "plan": {mk.text("intake.insurance.plan")}, "member": {mk.text("intake.insurance.member")},
			"group": {mk.text("intake.insurance.group")}, "holder": {mk.text("intake.insurance.holder")}},
		"emergency": {"name": {mk.text("intake.emergency.name")}, "relationship": {mk.text("intake.emergency.relationship")},
			"phone": {mk.digits("intake.emergency.phone", 10)}},
		"release":           {"recipient": {mk.text("intake.release.recipient")}},
		"consent-treatment": {edited.Questions[0].ID: {mk.text("intake.consent.practice-answer")}},
		"phq9":              {"1": {"2"}, "2": {"1"}, "3": {"0"}, "4": {"0"}, "5": {"0"}, "6": {"0"}, "7": {"0"}, "8": {"0"}, "9": {"1"}, "difficulty": {"very"}},
		"gad7":              {"1": {"3"}, "2": {"3"}, "3": {"0"}, "4": {"0"}, "5": {"0"}, "6": {"0"}, "7": {"0"}},
	}
	s := practice.Submission{ID: uuid.NewString(), PatientID: w.patients[0].ID, PacketID: "new-adult", Language: practice.Spanish}
	for _, f := range forms.Forms {
		r := practice.FormResponse{FormID: f.ID, Version: f.Version, TextHash: forms.Hashes[f.ID][practice.Spanish], Answers: answers[f.ID]}
		if r.Answers == nil {
			r.Answers = map[string][]string{}
		}
		if f.Kind == practice.Consent {
			r.Signatures = []practice.Signature{{Role: practice.SignerPatient, Name: mk.text("intake." + f.ID + ".signer"),
				Image: testutil.SignaturePNG(mk.text("intake." + f.ID + ".signature")), SignedAt: e.Clock.Now()}}
		}
		s.Forms = append(s.Forms, r)
	}

	// Refused first (an empty signature): nothing of it is kept.
	bad := s
	bad.ID = uuid.NewString()
	bad.Forms = append([]practice.FormResponse(nil), s.Forms...)
	for i := range bad.Forms {
		if bad.Forms[i].FormID == "consent-treatment" {
			bad.Forms[i].Signatures = []practice.Signature{{Role: practice.SignerPatient, Name: mk.text("intake.rejected.signer")}}
		}
		if bad.Forms[i].FormID == "emergency" {
			bad.Forms[i].Answers = map[string][]string{"name": {mk.text("intake.rejected.emergency")}, "phone": {"555-0101-9999"}}
		}
	}
	if _, err := e.Intake.Submit(bad); codeOf(t, err) != practice.EInvalid {
		t.Fatalf("an unsigned consent was accepted: %v", err)
	}

	res, err := e.Intake.Submit(s)
	if err != nil || !res.New || !res.SomeoneWillCome {
		t.Fatalf("Intake.Submit: %+v, %v", res, err)
	}
	mine, err := e.Alerts.Mine()
	if err != nil {
		t.Fatal(err)
	}
	var flagged bool
	for _, a := range mine {
		flagged = flagged || (a.Area == "intake" && strings.Contains(a.Title, w.patients[0].Identity.FirstName))
	}
	if !flagged {
		t.Fatalf("the owner has no intake alert: %+v", mine)
	}
	if _, err := e.Intake.Acknowledge(s.ID); err != nil {
		t.Fatalf("Intake.Acknowledge: %v", err)
	}
	opened, err := e.Intake.Submission(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	back := opened.Submission
	if !reflect.DeepEqual(back.Forms, s.Forms) {
		t.Fatalf("the submission read back differs:\n got %+v\nwant %+v", back.Forms, s.Forms)
	}
	// Hand-added: PHQ-9 2+1+1 = 4 (minimal, flagged), GAD-7 3+3 = 6 (mild).
	if len(back.Scores) != 2 || back.Scores[0].Total != 4 || !back.Scores[0].SafetyFlag || back.Scores[1].Total != 6 || back.Scores[1].Band != "mild" {
		t.Fatalf("scores read back: %+v", back.Scores)
	}
	if list, err := e.Intake.List(1); err != nil || len(list) != 1 || list[0].ID != s.ID {
		t.Fatalf("Intake.List: %+v, %v", list, err)
	}

	// The review: the new phone accepted into the record — and so into the
	// search index, which finds the patient by it — the rest declined.
	review, err := e.Intake.Changes(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	decisions := map[string]string{}
	for _, c := range review.Changes {
		decisions[c.Field] = "declined"
	}
	if _, ok := decisions["contact.phone"]; !ok {
		t.Fatalf("the new phone is not among the changes: %+v", review.Changes)
	}
	decisions["contact.phone"] = "accepted"
	if r, err := e.Intake.Decide(s.ID, decisions); err != nil || r.Status != practice.Reviewed {
		t.Fatalf("Intake.Decide: %+v, %v", r, err)
	}
	w.patients[0].Contact.Phone = phone // the record's round trip now expects it (the slice is the caller's)
	found, err := e.Patients.Search(phone)
	if err != nil || len(found.Patients) != 1 || found.Patients[0].ID != w.patients[0].ID {
		t.Fatalf("searching the accepted phone finds %+v, %v", found.Patients, err)
	}
}
