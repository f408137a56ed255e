package intake_test

import (
	"context"
	"strings"
	"testing"

	"quietdesk/internal/practice"
)

// form returns the response to formID in s.
func form(s *practice.Submission, formID string) *practice.FormResponse {
	for i := range s.Forms {
		if s.Forms[i].FormID == formID {
			return &s.Forms[i]
		}
	}
	panic("no form " + formID)
}

// Every kind of bad input gets a message against its own question or
// signature, and writes nothing.
func TestBadInputIsNamedAndWritesNothing(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name   string
		packet string
		spoil  func(s *practice.Submission)
		field  string
		msg    string
	}{
		{"MissingRequiredPHQItem", "new-adult", func(s *practice.Submission) { delete(form(s, "phq9").Answers, "9") },
			"phq9.9", "Please answer this question."},
		{"MissingRequiredEmergencyPhone", "new-adult", func(s *practice.Submission) { form(s, "emergency").Answers["phone"] = []string{"  "} },
			"emergency.phone", "Please answer this question."},
		{"TenThousandCharacterShortAnswer", "new-adult", func(s *practice.Submission) {
			form(s, "emergency").Answers["name"] = []string{strings.Repeat("a", 10000)}
		}, "emergency.name", "Too long: at most 200 characters."},
		{"TenThousandCharacterLongAnswerOnAYesNo", "new-adult", func(s *practice.Submission) {
			form(s, "insurance").Answers["has"] = []string{strings.Repeat("b", 10000)}
		}, "insurance.has", "Answer yes or no."},
		{"PhoneThatIsNotOne", "new-adult", func(s *practice.Submission) { form(s, "demographics").Answers["phone"] = []string{"call me maybe"} },
			"demographics.phone", "A phone number may contain only digits, spaces and ( ) - . +"},
		{"ControlCharacter", "new-adult", func(s *practice.Submission) { form(s, "demographics").Answers["line1"] = []string{"12 Oak\x00St"} },
			"demographics.line1", "Contains invisible control characters; please retype it."},
		{"ScaleValueOutOfRange", "new-adult", func(s *practice.Submission) { form(s, "gad7").Answers["3"] = []string{"4"} },
			"gad7.3", "Choose one of the answers shown."},
		{"TwoAnswersToOneChoice", "new-adult", func(s *practice.Submission) { form(s, "phq9").Answers["1"] = []string{"0", "1"} },
			"phq9.1", "This question takes one answer."},
		{"UnknownQuestion", "new-adult", func(s *practice.Submission) { form(s, "phq9").Answers["10"] = []string{"0"} },
			"phq9.10", "This question is not on the form."},
		{"EmptySignature", "new-adult", func(s *practice.Submission) { form(s, "consent-treatment").Signatures[0].Image = nil },
			"consent-treatment.signature.patient.0", "Missing the signature of the patient: please sign in the box."},
		{"SignatureNotAnImage", "new-adult", func(s *practice.Submission) { form(s, "telehealth").Signatures[0].Image = []byte("<svg/>") },
			"telehealth.signature.patient.0", "This signature is not a drawn image; please sign again."},
		{"SignerWithoutATypedName", "new-adult", func(s *practice.Submission) { form(s, "privacy-notice").Signatures[0].Name = " " },
			"privacy-notice.signature.patient.0.name", "This field is required."},
		{"GuardianHasNotSigned", "new-minor", func(s *practice.Submission) {
			r := form(s, "consent-treatment")
			r.Signatures = r.Signatures[:1]
		}, "consent-treatment.signature.guardian.0", "Missing the signature of the guardian: please sign in the box."},
		{"ConsentSkipped", "new-adult", func(s *practice.Submission) { form(s, "cancellation").Skipped = true },
			"cancellation.form", "This form cannot be skipped."},
		{"FormMissing", "new-adult", func(s *practice.Submission) { s.Forms = s.Forms[:len(s.Forms)-1] },
			"gad7.form", "This form of the packet is missing."},
		{"TextChangedSinceShown", "new-adult", func(s *practice.Submission) { form(s, "consent-treatment").TextHash = strings.Repeat("0", 64) },
			"consent-treatment.form", "This form changed while it was being filled in; please fill in the new version."},
		{"NoLanguage", "new-adult", func(s *practice.Submission) { s.Language = "fr" }, "language", "Choose English or Spanish."},
		{"NoID", "new-adult", func(s *practice.Submission) { s.ID = "1" }, "id", "This submission has no valid id."},
		{"UnknownPacket", "new-adult", func(s *practice.Submission) { s.PacketID = "new-alien" }, "packetId", "Choose one of the practice's packets."},
		{"AnotherPatientsAppointment", "new-minor", func(s *practice.Submission) { s.AppointmentID = f.visit.ID },
			"appointmentId", "This appointment is not the patient's."},
	}
	before, err := f.db.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			patient := f.maria.ID
			if c.packet == "new-minor" {
				patient = f.leo.ID
			}
			s := f.filled(patient, "", c.packet, practice.English, calm)
			c.spoil(&s)
			_, _, err := f.submit(s)
			e, ok := err.(*practice.Error)
			if !ok || e.Code != practice.EInvalid || e.Fields[c.field] != c.msg {
				t.Fatalf("got %v, want %s: %q", err, c.field, c.msg)
			}
		})
	}
	// Impossible dates: the practice's own date question kind, through the
	// validation every form uses.
	for value, msg := range map[string]string{
		"2001-02-30": "There is no 30 February 2001.",
		"2001-13-01": "There is no month 13; months run from 01 to 12.",
		"yesterday":  "Not a real date; use YYYY-MM-DD, e.g. 1984-03-27.",
		"2999-01-01": "This date is in the future.",
	} {
		p := practice.Problems{}
		q := practice.Form{ID: "history", Questions: []practice.Question{{ID: "since", Kind: practice.DateQ, Required: true}}}
		practice.CheckAnswers(p, &q, &practice.FormResponse{FormID: "history", Answers: map[string][]string{"since": {value}}}, nil, f.now)
		if p["history.since"] != msg {
			t.Errorf("date %q: %q, want %q", value, p["history.since"], msg)
		}
	}
	if after, _ := f.db.Digest(context.Background()); after != before {
		t.Fatal("a refused submission changed the database")
	}
	// The untouched submission goes through: the cases failed for their
	// own reason, not for something the fixture got wrong.
	if _, _, err := f.submit(f.filled(f.leo.ID, "", "new-minor", practice.English, calm)); err != nil {
		t.Fatalf("a valid minor's packet: %v", err)
	}
}
