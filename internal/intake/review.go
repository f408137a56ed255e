package intake

import (
	"maps"
	"slices"
	"strings"

	"quietdesk/internal/practice"
)

// Staff review of what a patient changed: a demographics question that
// names a patient-record field (Question.Field) and was answered
// differently from what is on file proposes a change, shown beside the
// value on file and accepted or declined field by field. Nothing of the
// record is overwritten without a person accepting it.

// Decisions on a proposed change.
const (
	Accepted = "accepted"
	Declined = "declined"
)

// Change is one field of the patient's record that a submission answers
// differently from what is on file, and what staff decided about it.
type Change struct {
	Field    string `json:"field"` // the record's field as the question names it, e.g. "contact.phone"
	Label    string `json:"label"` // the form's title and the question, in English: "Emergency contact: Phone number"
	OnFile   string `json:"onFile"`
	Given    string `json:"given"`    // as the record would keep it (trimmed, formatted)
	Decision string `json:"decision"` // "", Accepted or Declined
}

// Review is a submission's proposed changes and where its review stands.
type Review struct {
	SubmissionID string                    `json:"submissionId"`
	PatientID    string                    `json:"patientId"`
	PatientName  string                    `json:"patientName"` // first name and last initial
	Changes      []Change                  `json:"changes"`
	Status       practice.SubmissionStatus `json:"status"`
	// Waiting says in words what keeps the review open ("" once reviewed).
	Waiting string `json:"waiting"`
}

// recordFields are the patient-record fields a demographics question may
// name, each as a pointer into a patient, so one accessor reads and writes.
var recordFields = map[string]func(p *practice.Patient) *string{
	"contact.phone":          func(p *practice.Patient) *string { return &p.Contact.Phone },
	"contact.email":          func(p *practice.Patient) *string { return &p.Contact.Email },
	"contact.address.line1":  func(p *practice.Patient) *string { return &p.Contact.Address.Line1 },
	"contact.address.city":   func(p *practice.Patient) *string { return &p.Contact.Address.City },
	"contact.address.state":  func(p *practice.Patient) *string { return &p.Contact.Address.State },
	"contact.address.zip":    func(p *practice.Patient) *string { return &p.Contact.Address.Zip },
	"identity.pronouns":      func(p *practice.Patient) *string { return &p.Identity.Pronouns },
	"emergency.name":         func(p *practice.Patient) *string { return &p.Emergency.Name },
	"emergency.relationship": func(p *practice.Patient) *string { return &p.Emergency.Relationship },
	"emergency.phone":        func(p *practice.Patient) *string { return &p.Emergency.Phone },
}

// OnFile is the record's value for a demographics question's field, and
// whether the field is one a packet may propose to change.
func OnFile(p practice.Patient, field string) (string, bool) {
	f, ok := recordFields[field]
	if !ok {
		return "", false
	}
	return *f(&p), true
}

// Changes returns a submission's proposed changes to the patient's record
// with the decisions taken so far: for the staff who keep records (the
// permission table), who see the demographic answers and nothing else of
// the submission. Audited. Errors: ENotFound, EForbidden.
func Changes(tx Store, by practice.Actor, id string) (Review, error) {
	s, p, err := reviewed(tx, by, id)
	if err != nil {
		return Review{}, err
	}
	r, err := reviewOf(tx, s, p)
	if err != nil {
		return Review{}, err
	}
	return r, tx.Audit(by.AccountID, "intake.changes", "intake_submissions", s.ID)
}

// Decide records decisions (field → Accepted or Declined) on a
// submission's proposed changes, writing each accepted value into p, the
// patient's record, which the caller saves in the same transaction (the
// patients service, so the search index follows). A review is finished —
// the submission "reviewed" — once every change is decided and any safety
// flag acknowledged; with nothing to decide, Decide with no decisions
// finishes it. A decision once taken stands. Errors: ENotFound,
// EForbidden, EInvalid (a field not proposed, a decision not one of the
// two, a field already decided).
func Decide(tx Store, by practice.Actor, id string, decisions map[string]string, p *practice.Patient) (Review, error) {
	s, _, err := reviewed(tx, by, id)
	if err != nil {
		return Review{}, err
	}
	if p.ID != s.PatientID {
		return Review{}, practice.Errorf(practice.EInvalid, "This submission is another patient's.")
	}
	r, err := reviewOf(tx, s, *p)
	if err != nil {
		return Review{}, err
	}
	proposed := map[string]Change{}
	for _, c := range r.Changes {
		proposed[c.Field] = c
	}
	for _, field := range slices.Sorted(maps.Keys(decisions)) {
		c, ok := proposed[field]
		switch d := decisions[field]; {
		case !ok:
			return Review{}, practice.FieldProblem(field, "This submission proposes no change to this field.")
		case d != Accepted && d != Declined:
			return Review{}, practice.FieldProblem(field, "Choose accept or decline.")
		case c.Decision != "":
			return Review{}, practice.FieldProblem(field, "This change was already "+c.Decision+".")
		case d == Accepted:
			*recordFields[field](p) = c.Given
		}
		if s.Review.Decisions == nil {
			s.Review.Decisions = map[string]string{}
		}
		s.Review.Decisions[field] = decisions[field]
	}
	r, err = reviewOf(tx, s, *p)
	if err != nil {
		return Review{}, err
	}
	if r.Waiting == "" && s.Status != practice.Reviewed {
		s.Status, s.Review.ReviewedBy, s.Review.ReviewedAt = practice.Reviewed, by.AccountID, tx.Now()
		r.Status = practice.Reviewed
	}
	if err := tx.SaveSubmissionReview(&s); err != nil {
		return Review{}, err
	}
	return r, tx.Audit(by.AccountID, "intake.review", "intake_submissions", s.ID)
}

// PatientOf is the patient a submission is for (no answer is opened).
// Errors: ENotFound.
func PatientOf(tx Store, id string) (string, error) {
	s, err := tx.SubmissionSummary(id)
	return s.PatientID, err
}

// reviewed reads a submission with its answers and its patient's record
// for by. Errors: ENotFound, EForbidden.
func reviewed(tx Store, by practice.Actor, id string) (practice.Submission, practice.Patient, error) {
	s, err := tx.Submission(id)
	if err != nil {
		return s, practice.Patient{}, err
	}
	if err := mayOpen(tx, by, s.PatientID); err != nil {
		return practice.Submission{}, practice.Patient{}, err
	}
	p, err := tx.Patient(s.PatientID)
	return s, p, err
}

// reviewOf compares a submission's record-field answers with p. Where the
// record would keep a value differently (a trimmed answer, a state in
// capitals), the answer is compared as the record would keep it, so a
// patient retyping what is on file proposes nothing. An empty answer
// proposes nothing: a patient leaving a field blank is not asking to
// erase it. A decided change stays listed with its decision (an accepted
// one shows the record as it is now; what it replaced is in the change log).
func reviewOf(tx Store, s practice.Submission, p practice.Patient) (Review, error) {
	b, err := LoadBook(tx)
	if err != nil {
		return Review{}, err
	}
	byID := map[string]practice.Form{}
	for _, f := range b.Seen(&s) {
		byID[f.ID] = f
	}
	r := Review{SubmissionID: s.ID, PatientID: s.PatientID, Status: s.Status, Changes: []Change{},
		PatientName: practice.ShortName(p.Identity.FirstName, p.Identity.LastName)}
	for _, resp := range s.Forms {
		form := byID[resp.FormID]
		for _, q := range form.Questions {
			field, ok := recordFields[q.Field]
			given := strings.TrimSpace(resp.Value(q.ID))
			if !ok || given == "" {
				continue
			}
			kept := p
			*field(&kept) = given
			kept.Normalize()
			given = *field(&kept)
			decision := s.Review.Decisions[q.Field]
			if onFile := *field(&p); given != onFile || decision != "" {
				r.Changes = append(r.Changes, Change{Field: q.Field, Label: form.Title.EN + ": " + q.Text.EN, OnFile: onFile, Given: given, Decision: decision})
			}
		}
	}
	var open int
	for _, c := range r.Changes {
		if c.Decision == "" {
			open++
		}
	}
	switch {
	case s.Status == practice.Reviewed:
	case open > 0:
		r.Waiting = practice.Plural(open, "change") + " to the record to accept or decline."
	case s.Flagged() && s.Review.FlagAckBy == "":
		r.Waiting = "The safety flag is not acknowledged yet."
	}
	return r, nil
}
