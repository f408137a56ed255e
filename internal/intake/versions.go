package intake

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"quietdesk/internal/practice"
)

// Every form has versions: the built-in one (version 1) and each edit the
// owner saved. A patient is shown the current version; a submission is
// checked, reviewed and printed against the version it names, so an edit
// made while a patient fills in a packet (or while a tablet's outbox
// waits) neither refuses their answers nor changes the words they signed.

// Book is every version of every form, as the practice's calendar policy
// fills them in.
type Book struct {
	versions map[string][]practice.FormVersion // form id → versions, oldest first
	policy   practice.CalendarPolicy
}

// FormStore is what reading and editing the forms needs.
type FormStore interface {
	Settings() (practice.Settings, error)
	FormVersions() ([]practice.FormVersion, error)
	AddFormVersion(v *practice.FormVersion) error
	Audit(accountID, action, table, id string) error
	Now() time.Time
}

// LoadBook reads every form's versions.
func LoadBook(tx FormStore) (Book, error) {
	settings, err := tx.Settings()
	if err != nil {
		return Book{}, err
	}
	edits, err := tx.FormVersions()
	if err != nil {
		return Book{}, err
	}
	return BookOf(settings.Policy, edits), nil
}

// BookOf is the built-in forms with the owner's edits, ordered by version
// then time, as FormVersions lists them: the last of a form is current.
func BookOf(policy practice.CalendarPolicy, edits []practice.FormVersion) Book {
	b := Book{versions: map[string][]practice.FormVersion{}, policy: policy}
	for _, f := range builtinForms {
		b.versions[f.ID] = []practice.FormVersion{{Form: f}}
	}
	for _, v := range edits {
		if _, ok := b.versions[v.Form.ID]; ok {
			b.versions[v.Form.ID] = append(b.versions[v.Form.ID], v)
		}
	}
	return b
}

// Current is the version of every form a patient is shown now, in the
// built-in order, filled in.
func (b Book) Current() []practice.Form {
	out := make([]practice.Form, 0, len(builtinForms))
	for _, f := range builtinForms {
		out = append(out, b.fill(b.latest(f.ID).Form))
	}
	return out
}

// Edition is the current version of a form as the owner edits it: the
// cancellation policy's {placeholders} unfilled, with who saved it.
type Edition struct {
	Form     practice.Form `json:"form"`
	Editable bool          `json:"editable"` // PHQ-9 and GAD-7 keep their published wording
	EditedBy string        `json:"editedBy"` // the editor's name, "" for the built-in version
	EditedAt time.Time     `json:"editedAt" ts_type:"string"`
}

// Editions lists every form's current version for the owner's editor.
func Editions(tx interface {
	FormStore
	Account(id string) (practice.Account, error)
}) ([]Edition, error) {
	b, err := LoadBook(tx)
	if err != nil {
		return nil, err
	}
	out := make([]Edition, 0, len(builtinForms))
	for _, f := range builtinForms {
		v := b.latest(f.ID)
		e := Edition{Form: v.Form, Editable: editable(f), EditedAt: v.EditedAt}
		if v.EditedBy != "" {
			if a, err := tx.Account(v.EditedBy); err == nil {
				e.EditedBy = a.DisplayName
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// All is every version of every form, filled in: what a submission may
// have been shown.
func (b Book) All() []practice.Form {
	var out []practice.Form
	for _, f := range builtinForms {
		for _, v := range b.versions[f.ID] {
			out = append(out, b.fill(v.Form))
		}
	}
	return out
}

// Seen is, for each form s answers, the version the patient saw (by its
// version and text hash), in the order of s's responses. A response
// naming no kept version is left out.
func (b Book) Seen(s *practice.Submission) []practice.Form {
	all := b.All()
	var out []practice.Form
	for _, r := range s.Forms {
		if f, ok := seenVersion(all, r, s.Language); ok {
			out = append(out, f)
		}
	}
	return out
}

// seenVersion is the version of r's form whose number and text hash r
// carries. Two offline edits may share a number; the hash tells them apart.
func seenVersion(forms []practice.Form, r practice.FormResponse, lang practice.Language) (practice.Form, bool) {
	for _, f := range forms {
		if f.ID == r.FormID && f.Version == r.Version && TextHash(f, lang) == r.TextHash {
			return f, true
		}
	}
	return practice.Form{}, false
}

func (b Book) latest(id string) practice.FormVersion {
	vs := b.versions[id]
	return vs[len(vs)-1]
}

// fill puts the calendar policy into the cancellation form's text.
func (b Book) fill(f practice.Form) practice.Form {
	if f.ID == "cancellation" {
		f.Body = l(fillPolicy(f.Body.EN, b.policy), fillPolicy(f.Body.ES, b.policy))
	}
	return f
}

// EditForm saves the owner's edit of a form as its next version and
// returns it. The form's own questions stay as they are (the record
// fields they propose changes to and the scores depend on them); the
// practice's questions follow them. An edit that changes nothing saves
// nothing.
//
// Errors: EInvalid (keyed as FormEdit.Check, "formId" for a form that
// cannot be edited), EConflict (a newer version was saved since
// BaseVersion).
func EditForm(tx FormStore, by practice.Actor, e practice.FormEdit) (practice.Form, error) {
	b, err := LoadBook(tx)
	if err != nil {
		return practice.Form{}, err
	}
	vs, ok := b.versions[e.FormID]
	if !ok {
		return practice.Form{}, practice.FieldProblem("formId", "Choose one of the practice's forms.")
	}
	cur := vs[len(vs)-1].Form
	if !editable(cur) {
		return practice.Form{}, practice.FieldProblem("formId", cur.Title.EN+" keeps its published wording, which its scores are based on; it cannot be edited.")
	}
	if e.BaseVersion != cur.Version {
		return practice.Form{}, practice.Errorf(practice.EConflict,
			"Someone saved version %d of this form after you opened it. Open it again to see their change, then make yours.", cur.Version)
	}
	e.Normalize()
	if err := e.Check(); err != nil {
		return practice.Form{}, err
	}
	if cur.Kind == practice.Consent && (e.Body.EN == "" || e.Body.ES == "") {
		p := practice.Problems{}
		for _, lang := range practice.Languages {
			if e.Body.In(lang) == "" {
				p.Add("body."+string(lang), "A consent needs its text in English and in Spanish.")
			}
		}
		return practice.Form{}, p.Err()
	}
	next := cur
	next.Title, next.Body = e.Title, e.Body
	questions, err := practiceQuestions(vs, cur, e.Questions)
	if err != nil {
		return practice.Form{}, err
	}
	next.Questions = questions
	if same(next, cur) {
		return b.fill(cur), nil
	}
	next.Version = cur.Version + 1 // the current version is the highest (BookOf)
	v := practice.FormVersion{Form: next, EditedBy: by.AccountID, EditedAt: tx.Now()}
	if err := tx.AddFormVersion(&v); err != nil {
		return practice.Form{}, err
	}
	return b.fill(next), tx.Audit(by.AccountID, "intake.form.edit", "intake_forms", e.FormID)
}

// editable: every form but the scored questionnaires, whose published
// wording the scores are based on.
func editable(f practice.Form) bool { return f.Kind != practice.Questionnaire }

// practiceQuestions is the form's own questions followed by the owner's.
// A question the owner kept keeps its id and its answers' values; a new
// one, or a new answer of a choice, is given an id no version of the form
// has used, so answers to different questions are never taken for one.
func practiceQuestions(vs []practice.FormVersion, cur practice.Form, given []practice.Question) ([]practice.Question, error) {
	var out []practice.Question
	used := map[string]bool{}
	for _, v := range vs {
		for _, q := range v.Form.Questions {
			used[q.ID] = true
		}
	}
	for _, q := range cur.Questions {
		if !q.Practice {
			out = append(out, q)
		}
	}
	p := practice.Problems{}
	kept := map[string]bool{}
	for i, q := range given {
		was, ok := cur.Question(q.ID)
		switch {
		case q.ID == "":
			q.ID = unused(used, "p")
		case !ok || !was.Practice || kept[q.ID]:
			p.Add("questions."+strconv.Itoa(i+1), "This question is not one of the form's practice questions; add it as a new one.")
			continue
		}
		kept[q.ID] = true
		q.Practice, q.Field = true, ""
		values := map[string]bool{}
		for _, o := range was.Options {
			values[o.Value] = true
		}
		for j := range q.Options {
			if o := &q.Options[j]; o.Value == "" || !values[o.Value] {
				o.Value = unused(values, "o")
			}
		}
		out = append(out, q)
	}
	return out, p.Err()
}

// unused returns prefix followed by the first number not in used, and
// marks it used.
func unused(used map[string]bool, prefix string) string {
	for n := 1; ; n++ {
		if id := prefix + strconv.Itoa(n); !used[id] {
			used[id] = true
			return id
		}
	}
}

// same reports whether two versions of a form would show a patient the
// same thing and ask the same of them.
func same(a, b practice.Form) bool {
	a.Version, b.Version = 0, 0
	ja, _ := json.Marshal(a) // plain data: cannot fail
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
