package practice

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// FormEdit is the owner's change to one form: its title and text in every
// language, and the practice's own questions, which follow the form's
// built-in ones. Each edit saved is a new version of the form.
type FormEdit struct {
	FormID string `json:"formId"`
	// BaseVersion is the version the owner opened: an edit made over a
	// version someone else has since replaced is refused, not merged.
	BaseVersion int       `json:"baseVersion"`
	Title       Localized `json:"title"`
	Body        Localized `json:"body"`
	// Questions are the practice's questions, in order. A question with
	// an id keeps it (answers to it stay comparable across versions); one
	// without is new and is given one.
	Questions []Question `json:"questions"`
}

// FormVersion is one saved version of a form and who saved it. Version 1
// of a built-in form is Quietdesk's own and has no editor.
type FormVersion struct {
	Form     Form      `json:"form"`
	EditedBy string    `json:"editedBy"` // account id, "" for the built-in version
	EditedAt time.Time `json:"editedAt" ts_type:"string"`
}

// Limits of what the owner writes into a form: a consent may run to a few
// pages, a question to a few sentences.
const (
	MaxFormTitle         = 120
	MaxFormBody          = 20000
	MaxQuestionText      = 500
	MaxPracticeQuestions = 30
	MaxOptions           = 12
)

// PracticeKinds are the kinds of question the owner may add.
var PracticeKinds = []QuestionKind{ShortText, LongText, YesNo, Single, Multiple, DateQ}

// Normalize trims every text of the edit.
func (e *FormEdit) Normalize() {
	trimLocalized := func(l *Localized) { Trim(&l.EN, &l.ES) }
	trimLocalized(&e.Title)
	trimLocalized(&e.Body)
	for i := range e.Questions {
		q := &e.Questions[i]
		trimLocalized(&q.Text)
		for j := range q.Options {
			trimLocalized(&q.Options[j].Label)
		}
	}
}

// Check validates the edit's own content: a title and text in every
// language, bounded and free of control characters; each practice
// question of a kind the owner may add, worded in every language, a
// choice question with two to MaxOptions distinct answers. Problems are
// keyed "title.en", "body.es", "questions.<n>.text.en",
// "questions.<n>.options" (n from 1, as the screen numbers them).
func (e *FormEdit) Check() error {
	p := Problems{}
	for _, lang := range Languages {
		checkText(p, "title."+string(lang), e.Title.In(lang), MaxFormTitle, true)
		checkParagraph(p, "body."+string(lang), e.Body.In(lang), MaxFormBody)
	}
	if len(e.Questions) > MaxPracticeQuestions {
		p.Add("questions", "At most "+strconv.Itoa(MaxPracticeQuestions)+" practice questions on one form.")
	}
	for i, q := range e.Questions {
		prefix := "questions." + strconv.Itoa(i+1) + "."
		if !slices.Contains(PracticeKinds, q.Kind) {
			p.Add(prefix+"kind", "Choose what kind of answer the question takes.")
		}
		for _, lang := range Languages {
			checkText(p, prefix+"text."+string(lang), q.Text.In(lang), MaxQuestionText, true)
		}
		checkOptions(p, prefix+"options", q)
	}
	return p.Err()
}

func checkOptions(p Problems, field string, q Question) {
	if q.Kind != Single && q.Kind != Multiple {
		if len(q.Options) > 0 {
			p.Add(field, "Only a choice question has answers to choose from.")
		}
		return
	}
	if len(q.Options) < 2 || len(q.Options) > MaxOptions {
		p.Add(field, "A choice question needs between 2 and "+strconv.Itoa(MaxOptions)+" answers.")
		return
	}
	seen := map[string]bool{}
	for _, o := range q.Options {
		for _, lang := range Languages {
			label := o.Label.In(lang)
			checkText(p, field, label, MaxShort, true)
			key := string(lang) + "\x00" + strings.ToLower(label)
			if seen[key] {
				p.Add(field, "The answer “"+label+"” is listed twice.")
			}
			seen[key] = true
		}
	}
}
