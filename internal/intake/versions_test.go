package intake_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/intake"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func (f *fixture) editForm(e practice.FormEdit) (practice.Form, error) {
	var out practice.Form
	err := f.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		out, err = intake.EditForm(tx, f.owner, e)
		return err
	})
	return out, err
}

// fieldOf is err's message for field, "" when it has none.
func fieldOf(err error, field string) string {
	var e *practice.Error
	if errors.As(err, &e) {
		return e.Fields[field]
	}
	return ""
}

func (f *fixture) formVersions() []practice.FormVersion {
	f.t.Helper()
	var out []practice.FormVersion
	if err := f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.FormVersions()
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) pdfText(submissionID string) string {
	f.t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		f.t.Skip("pdftotext is not installed (apt install poppler-utils)")
	}
	var pdf bytes.Buffer
	if err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		return intake.ExportPDF(tx, f.owner, submissionID, &pdf)
	}); err != nil {
		f.t.Fatal(err)
	}
	path := filepath.Join(f.t.TempDir(), "packet.pdf")
	if err := os.WriteFile(path, pdf.Bytes(), 0o600); err != nil {
		f.t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		f.t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// The owner's consent text and questions, written here by hand.
const (
	ownConsentEN = "I agree to counseling at Test Practice. Sessions are 50 minutes."
	ownConsentES = "Acepto recibir consejería en Test Practice. Las sesiones duran 50 minutos."
)

func ownQuestions() []practice.Question {
	opt := func(en, es string) practice.Option { return practice.Option{Label: practice.Localized{EN: en, ES: es}} }
	return []practice.Question{
		{Kind: practice.ShortText, Text: practice.Localized{EN: "Who referred you?", ES: "¿Quién le refirió?"}},
		{Kind: practice.LongText, Text: practice.Localized{EN: "What brings you in?", ES: "¿Qué le trae aquí?"}, Required: true},
		{Kind: practice.YesNo, Text: practice.Localized{EN: "Have you had therapy before?", ES: "¿Ha tenido terapia antes?"}},
		{Kind: practice.Single, Text: practice.Localized{EN: "Preferred time", ES: "Horario preferido"},
			Options: []practice.Option{opt("Morning", "Mañana"), opt("Evening", "Tarde")}},
		{Kind: practice.Multiple, Text: practice.Localized{EN: "How may we reach you?", ES: "¿Cómo podemos contactarle?"},
			Options: []practice.Option{opt("Phone", "Teléfono"), opt("Text", "Mensaje"), opt("E-mail", "Correo")}},
		{Kind: practice.DateQ, Text: practice.Localized{EN: "Date of your last physical", ES: "Fecha de su último examen físico"}},
	}
}

// An edit is a new version; a packet filled in on the old version is
// still accepted and printed with the words the patient signed, and one
// on the new version is checked against the practice's questions.
func TestAnEditIsANewVersionAndEverySubmissionKeepsTheWordsItWasShown(t *testing.T) {
	f := newFixture(t)
	before := f.filled(f.maria.ID, "", "new-adult", practice.English, calm)

	got, err := f.editForm(practice.FormEdit{FormID: "consent-treatment", BaseVersion: 1,
		Title:     practice.Localized{EN: "Consent to counseling", ES: "Consentimiento para consejería"},
		Body:      practice.Localized{EN: "  " + ownConsentEN + "\n", ES: ownConsentES},
		Questions: ownQuestions()})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Body.EN != ownConsentEN || len(got.Questions) != 6 {
		t.Fatalf("the edit saved version %d, body %q, %d questions; want 2, the trimmed text, 6", got.Version, got.Body.EN, len(got.Questions))
	}
	wantIDs := []string{"p1", "p2", "p3", "p4", "p5", "p6"}
	for i, q := range got.Questions {
		if q.ID != wantIDs[i] || !q.Practice {
			t.Errorf("question %d: id %q, practice %v; want %q, true", i+1, q.ID, q.Practice, wantIDs[i])
		}
	}
	if o := got.Questions[4].Options; o[0].Value != "o1" || o[2].Value != "o3" {
		t.Errorf("a new choice's answers are %+v, want values o1…o3", o)
	}
	if vs := f.formVersions(); len(vs) != 1 || vs[0].EditedBy != f.owner.AccountID || !vs[0].EditedAt.Equal(f.now) {
		t.Fatalf("kept versions: %+v", vs)
	}

	// The packet prepared before the edit arrives after it.
	if _, created, err := f.submit(before); err != nil || !created {
		t.Fatalf("a packet filled in on version 1 was refused after the edit: %v", err)
	}
	if text := f.pdfText(before.ID); !strings.Contains(text, "I agree to receive counseling or therapy from this practice.") ||
		strings.Contains(text, ownConsentEN) {
		t.Errorf("the version 1 packet's PDF does not show the words signed: %s", text)
	}

	after := f.filled(f.maria.ID, "", "new-adult", practice.Spanish, calm)
	answer := func(id string, v ...string) {
		for i := range after.Forms {
			if after.Forms[i].FormID == "consent-treatment" {
				after.Forms[i].Answers[id] = v
			}
		}
	}
	answer("p2", "Me cuesta dormir.")
	answer("p5", "o1", "o3")
	answer("p6", "2027-02-30")
	_, _, err = f.submit(after)
	if practice.ErrorCode(err) != practice.EInvalid || fieldOf(err, "consent-treatment.p6") != "There is no 30 February 2027." {
		t.Fatalf("an impossible date on a practice question: %v", err)
	}
	answer("p2")
	answer("p6", "2026-11-15")
	_, _, err = f.submit(after)
	if fieldOf(err, "consent-treatment.p2") != "Please answer this question." {
		t.Fatalf("a required practice question left blank: %v", err)
	}
	answer("p2", "Me cuesta dormir.")
	if _, created, err := f.submit(after); err != nil || !created {
		t.Fatalf("a packet on version 2: %v", err)
	}
	text := f.pdfText(after.ID)
	for _, want := range []string{ownConsentES, "Consentimiento para consejería", "¿Qué le trae aquí? → Me cuesta dormir.",
		"¿Cómo podemos contactarle? → Teléfono; Correo", "Form consent-treatment, version 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the version 2 packet's PDF lacks %q: %s", want, text)
		}
	}
}

// A question the owner removed keeps its id to itself: a later question
// is given a new one, so answers to the two are never taken for one.
func TestARemovedQuestionsIDIsNotReused(t *testing.T) {
	f := newFixture(t)
	title := practice.Localized{EN: "Emergency contact", ES: "Contacto de emergencia"}
	q := practice.Question{Kind: practice.ShortText, Text: practice.Localized{EN: "Their e-mail", ES: "Su correo"}}
	v2, err := f.editForm(practice.FormEdit{FormID: "emergency", BaseVersion: 1, Title: title, Questions: []practice.Question{q}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(v2.Questions); n != 4 || v2.Questions[0].ID != "name" || v2.Questions[3].ID != "p1" {
		t.Fatalf("version 2's questions: %+v", v2.Questions)
	}
	// Kept, reworded: same id.
	kept := v2.Questions[3]
	kept.Text.EN = "Their e-mail address"
	v3, err := f.editForm(practice.FormEdit{FormID: "emergency", BaseVersion: 2, Title: title, Questions: []practice.Question{kept}})
	if err != nil || v3.Questions[3].ID != "p1" || v3.Questions[3].Text.EN != "Their e-mail address" {
		t.Fatalf("a kept question: %+v, %v", v3.Questions, err)
	}
	if _, err := f.editForm(practice.FormEdit{FormID: "emergency", BaseVersion: 3, Title: title}); err != nil {
		t.Fatal(err)
	}
	v5, err := f.editForm(practice.FormEdit{FormID: "emergency", BaseVersion: 4, Title: title, Questions: []practice.Question{q}})
	if err != nil || v5.Version != 5 || v5.Questions[3].ID != "p2" {
		t.Fatalf("a question added after p1 was removed: %+v, %v", v5, err)
	}
	// Saving it again unchanged makes no version.
	same := practice.FormEdit{FormID: "emergency", BaseVersion: 5, Title: title, Questions: []practice.Question{v5.Questions[3]}}
	if again, err := f.editForm(same); err != nil || again.Version != 5 || len(f.formVersions()) != 4 {
		t.Fatalf("an edit changing nothing: version %d, %d kept, %v", again.Version, len(f.formVersions()), err)
	}
}

// Every bad edit is refused with a message for its field and saves nothing.
func TestABadEditIsRefusedAndSavesNothing(t *testing.T) {
	f := newFixture(t)
	title := practice.Localized{EN: "Consent", ES: "Consentimiento"}
	body := practice.Localized{EN: "Text.", ES: "Texto."}
	single := func(options ...string) practice.Question {
		q := practice.Question{Kind: practice.Single, Text: practice.Localized{EN: "Pick", ES: "Elija"}}
		for _, o := range options {
			q.Options = append(q.Options, practice.Option{Label: practice.Localized{EN: o, ES: o}})
		}
		return q
	}
	// Version 2 of the emergency contact has one practice question.
	v2, err := f.editForm(practice.FormEdit{FormID: "emergency", BaseVersion: 1, Title: title,
		Questions: []practice.Question{{Kind: practice.YesNo, Text: practice.Localized{EN: "Ok?", ES: "¿Bien?"}}}})
	if err != nil {
		t.Fatal(err)
	}
	twice := v2.Questions[3]
	for _, c := range []struct {
		name, field, want string
		code              string
		edit              practice.FormEdit
	}{
		{"no Spanish title", "title.es", "This field is required.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: practice.Localized{EN: "Telehealth"}, Body: body}},
		{"a consent without text", "body.es", "A consent needs its text in English and in Spanish.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: practice.Localized{EN: "Text."}}},
		{"a control character", "body.en", "Contains invisible control characters; please retype it.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: practice.Localized{EN: "Te\x07xt", ES: "Texto"}}},
		{"a body too long", "body.en", "Too long: at most 20000 characters.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: practice.Localized{EN: strings.Repeat("a", 20001), ES: "Texto"}}},
		{"one answer to choose", "questions.1.options", "A choice question needs between 2 and 12 answers.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: body, Questions: []practice.Question{single("Yes")}}},
		{"an answer twice", "questions.2.options", "The answer “tarde” is listed twice.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: body, Questions: []practice.Question{single("A", "B"), single("Tarde", "tarde")}}},
		{"a kind not offered", "questions.1.kind", "Choose what kind of answer the question takes.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: body, Questions: []practice.Question{{Kind: "signature", Text: title}}}},
		{"a question not worded in Spanish", "questions.1.text.es", "This field is required.", practice.EInvalid,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 1, Title: title, Body: body, Questions: []practice.Question{{Kind: practice.YesNo, Text: practice.Localized{EN: "Ok?"}}}}},
		{"someone else's question", "questions.1", "This question is not one of the form's practice questions; add it as a new one.", practice.EInvalid,
			practice.FormEdit{FormID: "emergency", BaseVersion: 2, Title: title, Questions: []practice.Question{{ID: "phone", Kind: practice.ShortText, Text: title}}}},
		{"a question given twice", "questions.2", "This question is not one of the form's practice questions; add it as a new one.", practice.EInvalid,
			practice.FormEdit{FormID: "emergency", BaseVersion: 2, Title: title, Questions: []practice.Question{twice, twice}}},
		{"PHQ-9", "formId", "PHQ-9 keeps its published wording, which its scores are based on; it cannot be edited.", practice.EInvalid,
			practice.FormEdit{FormID: "phq9", BaseVersion: 1, Title: title, Body: body}},
		{"no such form", "formId", "Choose one of the practice's forms.", practice.EInvalid,
			practice.FormEdit{FormID: "intake-essay", BaseVersion: 1, Title: title, Body: body}},
		{"an old version", "", "Someone saved version 1 of this form after you opened it. Open it again to see their change, then make yours.", practice.EConflict,
			practice.FormEdit{FormID: "telehealth", BaseVersion: 0, Title: title, Body: body}},
	} {
		_, err := f.editForm(c.edit)
		var got string
		if c.field != "" {
			got = fieldOf(err, c.field)
		} else {
			got = practice.ErrorMessage(err)
		}
		if practice.ErrorCode(err) != c.code || got != c.want {
			t.Errorf("%s: %v (%s: %q), want %s %q", c.name, err, c.field, got, c.code, c.want)
		}
	}
	if vs := f.formVersions(); len(vs) != 1 {
		t.Fatalf("refused edits saved %d versions", len(vs)-1)
	}
}
