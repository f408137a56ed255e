package practice

import (
	"bytes"
	"image/png"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Language is the language a patient chose on the tablet's first screen.
type Language string

const (
	English Language = "en"
	Spanish Language = "es"
)

// Languages are the languages every built-in form is written in.
var Languages = []Language{English, Spanish}

// Localized is one text in every language a form is offered in.
type Localized struct {
	EN string `json:"en"`
	ES string `json:"es"`
}

// In returns the text in lang (English when lang is unknown).
func (l Localized) In(lang Language) string {
	if lang == Spanish {
		return l.ES
	}
	return l.EN
}

// QuestionKind is what kind of answer a question takes.
type QuestionKind string

const (
	ShortText QuestionKind = "short"  // one line, at most MaxShortAnswer characters
	LongText  QuestionKind = "long"   // a paragraph, at most MaxLongAnswer characters
	YesNo     QuestionKind = "yesno"  // "yes" or "no"
	Single    QuestionKind = "single" // one of Options
	Multiple  QuestionKind = "multi"  // any of Options
	DateQ     QuestionKind = "date"   // YYYY-MM-DD
)

// Answer length limits: enough for a history in a patient's words, small
// enough that a pasted document is refused with a message.
const (
	MaxShortAnswer = 200
	MaxLongAnswer  = 4000
)

// Option is one choice of a single- or multiple-choice question. Value is
// what is stored (a questionnaire's item score, "0".."3").
type Option struct {
	Value string    `json:"value"`
	Label Localized `json:"label"`
}

// Question is one question of a form.
type Question struct {
	ID       string       `json:"id"`
	Kind     QuestionKind `json:"kind"`
	Text     Localized    `json:"text"`
	Options  []Option     `json:"options,omitempty"`
	Required bool         `json:"required"`
	// Field names the patient-record field a demographics question
	// proposes a change to ("contact.phone"); staff accept it field by
	// field, nothing is overwritten silently.
	Field string `json:"field,omitempty"`
	// Practice marks a question the owner added (FormEdit), not one of
	// Quietdesk's own.
	Practice bool `json:"practice,omitempty"`
}

// FormKind says how a form is filled in.
type FormKind string

const (
	Questions     FormKind = "questions"     // answered, not signed
	Consent       FormKind = "consent"       // read and signed
	Questionnaire FormKind = "questionnaire" // a scored screening (PHQ-9, GAD-7)
)

// Form is one version of a form template. Every edit makes a new version;
// a submission records the version and the hash of the exact text shown.
type Form struct {
	ID        string     `json:"id"` // stable across versions: "phq9", "consent-treatment"
	Version   int        `json:"version"`
	Kind      FormKind   `json:"kind"`
	Title     Localized  `json:"title"`
	Body      Localized  `json:"body"` // a consent's text, a questionnaire's instructions
	Questions []Question `json:"questions"`
	Optional  bool       `json:"optional"` // a release of information may be skipped
}

// Question returns the form's question id.
func (f *Form) Question(id string) (Question, bool) {
	for _, q := range f.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// SignerRole is who signs a consent.
type SignerRole string

const (
	SignerPatient  SignerRole = "patient"
	SignerGuardian SignerRole = "guardian"
	SignerPartner  SignerRole = "partner"
)

// Signature is one signer's drawn signature on one consent.
type Signature struct {
	Role     SignerRole `json:"role"`
	Index    int        `json:"index"` // 0, or 1 for a second guardian
	Name     string     `json:"name"`  // the typed name
	Image    []byte     `json:"image"` // PNG, drawn on the screen
	SignedAt time.Time  `json:"signedAt" ts_type:"string"`
}

// MaxSignatureImage bounds a drawn signature (a few kilobytes in practice).
const MaxSignatureImage = 256 << 10

// isDrawing reports whether img is a PNG of a signature pad's size.
func isDrawing(img []byte) bool {
	c, err := png.DecodeConfig(bytes.NewReader(img))
	return err == nil && c.Width > 0 && c.Height > 0 && c.Width <= 4000 && c.Height <= 2000
}

// FormResponse is what a patient gave on one form.
type FormResponse struct {
	FormID     string              `json:"formId"`
	Version    int                 `json:"version"`
	TextHash   string              `json:"textHash"` // SHA-256 of the text shown, in the language chosen
	Answers    map[string][]string `json:"answers"`  // question id → the answer (several for a multiple choice)
	Signatures []Signature         `json:"signatures,omitempty"`
	Skipped    bool                `json:"skipped,omitempty"` // an optional form left out
}

// Value is the single answer to question id, "" when there is none.
func (r *FormResponse) Value(id string) string {
	if v := r.Answers[id]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Signer is one person who must sign a consent of a packet.
type Signer struct {
	Role  SignerRole `json:"role"`
	Index int        `json:"index"`
}

// Label names a signer in a message.
func (s Signer) Label() string {
	switch {
	case s.Role == SignerGuardian && s.Index > 0:
		return "the second guardian"
	case s.Role == SignerPartner:
		return "the partner"
	}
	return "the " + string(s.Role)
}

// CheckAnswers validates a response against the form it answers: every
// required question answered, each answer of its question's kind, texts
// bounded and free of control characters, dates real; a consent signed by
// every signer. Problems are keyed "<form>.<question>" and
// "<form>.signature.<role>.<index>", so a form shows each under its own.
func CheckAnswers(p Problems, f *Form, r *FormResponse, signers []Signer, today time.Time) {
	prefix := f.ID + "."
	if r.Skipped {
		if !f.Optional {
			p.Add(prefix+"form", "This form cannot be skipped.")
		}
		return
	}
	for id := range r.Answers {
		if _, ok := f.Question(id); !ok {
			p.Add(prefix+id, "This question is not on the form.")
		}
	}
	for _, q := range f.Questions {
		checkAnswer(p, prefix+q.ID, q, r.Answers[q.ID], today)
	}
	if f.Kind != Consent {
		if len(r.Signatures) > 0 {
			p.Add(prefix+"form", "This form is not signed.")
		}
		return
	}
	for _, s := range signers {
		field := prefix + "signature." + string(s.Role) + "." + strconv.Itoa(s.Index)
		var sig *Signature
		for i := range r.Signatures {
			if r.Signatures[i].Role == s.Role && r.Signatures[i].Index == s.Index {
				sig = &r.Signatures[i]
			}
		}
		switch {
		case sig == nil || len(sig.Image) == 0:
			p.Add(field, "Missing the signature of "+s.Label()+": please sign in the box.")
		case len(sig.Image) > MaxSignatureImage:
			p.Add(field, "This signature image is too large.")
		case !isDrawing(sig.Image):
			p.Add(field, "This signature is not a drawn image; please sign again.")
		default:
			checkText(p, field+".name", strings.TrimSpace(sig.Name), MaxName, true)
		}
	}
	if len(r.Signatures) > len(signers) {
		p.Add(prefix+"form", "This consent has more signatures than signers.")
	}
}

func checkAnswer(p Problems, field string, q Question, values []string, today time.Time) {
	if len(values) == 0 || (len(values) == 1 && strings.TrimSpace(values[0]) == "") {
		if q.Required {
			p.Add(field, "Please answer this question.")
		}
		return
	}
	if q.Kind != Multiple && len(values) > 1 {
		p.Add(field, "This question takes one answer.")
		return
	}
	v := values[0]
	switch q.Kind {
	case ShortText:
		// An answer that proposes a change to the record is checked as
		// the record checks that field.
		switch {
		case strings.HasSuffix(q.Field, ".phone"):
			checkPhone(p, field, v, q.Required)
		case q.Field == "contact.email":
			checkEmail(p, field, v, q.Required)
		default:
			checkText(p, field, v, MaxShortAnswer, q.Required)
		}
	case LongText:
		checkParagraph(p, field, v, MaxLongAnswer)
	case YesNo:
		if v != "yes" && v != "no" {
			p.Add(field, "Answer yes or no.")
		}
	case Single, Multiple:
		seen := map[string]bool{}
		for _, v := range values {
			if !hasOption(q.Options, v) {
				p.Add(field, "Choose one of the answers shown.")
				return
			}
			if seen[v] {
				p.Add(field, "The same answer is chosen twice.")
				return
			}
			seen[v] = true
		}
	case DateQ:
		checkPastDate(p, field, v, q.Required, today)
	default:
		p.Add(field, "This question cannot be answered.")
	}
}

// checkParagraph is checkText for text of several lines: line breaks and
// tabs are the writer's, every other control character is refused.
func checkParagraph(p Problems, field, v string, max int) {
	switch {
	case !utf8.ValidString(v):
		p.Add(field, "Contains characters that are not valid text.")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, "Too long: at most "+strconv.Itoa(max)+" characters.")
	case strings.IndexFunc(v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }) >= 0:
		p.Add(field, "Contains invisible control characters; please retype it.")
	}
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Packet is a named set of forms given together (a new adult patient's
// paperwork), with who signs its consents.
type Packet struct {
	ID      string    `json:"id"` // "new-adult", "new-minor", "couple", "annual"
	Name    Localized `json:"name"`
	FormIDs []string  `json:"formIds"`
	Signers []Signer  `json:"signers"`
}

// Severity band names, as the instruments' authors publish them.
const (
	BandMinimal          = "minimal"
	BandMild             = "mild"
	BandModerate         = "moderate"
	BandModeratelySevere = "moderately severe"
	BandSevere           = "severe"
)

// Score is a scored questionnaire.
type Score struct {
	FormID string `json:"formId"` // "phq9", "gad7"
	Total  int    `json:"total"`
	Max    int    `json:"max"`
	Band   string `json:"band"`
	// Difficulty is the PHQ-9's functional question, as answered ("" if
	// not); it is reported, not scored.
	Difficulty string `json:"difficulty,omitempty"`
	// SafetyFlag: PHQ-9 item 9 above 0, whatever the total.
	SafetyFlag bool `json:"safetyFlag"`
}

// SubmissionStatus is where a submission is in staff review.
type SubmissionStatus string

const (
	NeedsReview SubmissionStatus = "needs-review"
	Reviewed    SubmissionStatus = "reviewed"
)

// Submission is a patient's completed packet as it arrived.
type Submission struct {
	ID            string           `json:"id"` // made where it was filled in, so a replay is recognised
	PatientID     string           `json:"patientId"`
	AppointmentID string           `json:"appointmentId"`
	PacketID      string           `json:"packetId"`
	Language      Language         `json:"language"`
	SubmittedAt   time.Time        `json:"submittedAt" ts_type:"string"`
	Forms         []FormResponse   `json:"forms"`
	Scores        []Score          `json:"scores"`
	Status        SubmissionStatus `json:"status"`
	Review        SubmissionReview `json:"review"`
}

// Flagged reports whether any score raised a safety flag.
func (s *Submission) Flagged() bool {
	for _, sc := range s.Scores {
		if sc.SafetyFlag {
			return true
		}
	}
	return false
}

// SubmissionReview is what staff did with a submission.
type SubmissionReview struct {
	FlagAckBy  string    `json:"flagAckBy"` // account that acknowledged the safety flag
	FlagAckAt  time.Time `json:"flagAckAt" ts_type:"string"`
	ReviewedBy string    `json:"reviewedBy"`
	ReviewedAt time.Time `json:"reviewedAt" ts_type:"string"`
	// Decisions: patient-record field → "accepted" or "declined".
	Decisions map[string]string `json:"decisions,omitempty"`
}
