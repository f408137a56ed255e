package notify

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// Template is one language's reminder wording. It may use the
// placeholders below, and nothing else reaches a reminder: no last name,
// no clinician, no kind of appointment, no note or diagnosis.
type Template struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Placeholders a reminder template may use.
var Placeholders = []string{"{firstName}", "{date}", "{time}", "{place}", "{phone}", "{practice}"}

// Languages reminders are written in.
var Languages = []string{"en", "es"}

// DefaultTemplates are supportive and brief: a reminder for someone whose
// motivation or follow-through may be low, that makes changing the time
// easy and says nothing anyone reading over a shoulder should not see.
var DefaultTemplates = map[string]Template{
	"en": {
		Subject: "Your appointment on {date}",
		Body: "Hi {firstName},\n\nThis is a friendly reminder of your appointment on {date} at {time}.\n{place}\n\n" +
			"If the time no longer works, just call us at {phone} and we will gladly find another one together.\n\nWe look forward to seeing you.\n{practice}",
	},
	"es": {
		Subject: "Su cita del {date}",
		Body: "Hola, {firstName}:\n\nLe recordamos con gusto su cita del {date} a las {time}.\n{place}\n\n" +
			"Si la hora ya no le conviene, llámenos al {phone} y con gusto buscaremos otra juntos.\n\nEsperamos verle pronto.\n{practice}",
	},
}

// ReminderFacts are everything a reminder may say.
type ReminderFacts struct {
	FirstName string
	Start     time.Time // in the practice's zone
	Place     string    // the office's address; empty for a video session
	VideoLink string    // for a video session, if the clinician or appointment has one
	Phone     string
	Practice  string
	// Forms: the patient has intake forms to fill in on the office's
	// tablet before this session (in the office only).
	Forms bool
	// CheckinCode starts those forms on the tablet with the patient's
	// date of birth ("" when there is none to give: a locked code).
	CheckinCode string
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// Validate checks a template: only known placeholders, and the date and
// time present so no reminder leaves without them.
func (t Template) Validate(p practice.Problems, field string) {
	for _, ph := range placeholder.FindAllString(t.Subject+t.Body, -1) {
		if !contains(Placeholders, ph) {
			p.Add(field, fmt.Sprintf("%s is not a placeholder Quietdesk knows; use %s.", ph, strings.Join(Placeholders, ", ")))
		}
	}
	if strings.TrimSpace(t.Subject) == "" || strings.ContainsAny(t.Subject, "\r\n") {
		p.Add(field+".subject", "Write a one-line subject.")
	}
	if !strings.Contains(t.Body, "{date}") || !strings.Contains(t.Body, "{time}") {
		p.Add(field+".body", "The message needs {date} and {time}.")
	}
	if len(t.Subject) > 200 || len(t.Body) > 4000 {
		p.Add(field+".body", "Keep the message under 4,000 characters.")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Render fills a template in one language: the subject, the plain text
// and the HTML.
func Render(t Template, lang string, f ReminderFacts) (subject, text, htmlBody string) {
	place := placeLine(lang, f)
	r := strings.NewReplacer("{firstName}", f.FirstName, "{date}", longDate(lang, f.Start), "{time}", clock(lang, f.Start),
		"{place}", place, "{phone}", f.Phone, "{practice}", f.Practice)
	subject = strings.Join(strings.Fields(r.Replace(t.Subject)), " ")
	text = strings.TrimSpace(r.Replace(t.Body)) + "\n"
	if f.Forms {
		text += "\n" + formsNudge[lang] + "\n"
		if f.CheckinCode != "" {
			text += "\n" + strings.ReplaceAll(codeLine[lang], "{code}", f.CheckinCode) + "\n"
		}
	}
	esc := html.EscapeString(text)
	if f.VideoLink != "" {
		link := html.EscapeString(f.VideoLink)
		esc = strings.ReplaceAll(esc, link, `<a href="`+link+`">`+link+`</a>`)
	}
	return subject, text, paragraphs(esc)
}

// paragraphs is escaped plain text as simple HTML: blank lines part
// paragraphs, single newlines break lines.
func paragraphs(escaped string) string {
	var b strings.Builder
	b.WriteString(`<div style="font-family:sans-serif;font-size:15px;line-height:1.5">`)
	for _, para := range strings.Split(strings.TrimSpace(escaped), "\n\n") {
		b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>") + "</p>")
	}
	b.WriteString("</div>")
	return b.String()
}

// formsNudge follows the practice's wording when the patient has intake
// forms to do: come early, and what to bring. Not editable: it says what
// the office's tablet needs, and only when it is true.
var formsNudge = map[string]string{
	"en": "Before this session we ask you to fill in a few forms. Please arrive 15 minutes early to complete them on the tablet at our front desk, and bring a photo ID and your insurance card.",
	"es": "Antes de esta sesión le pedimos que llene unos formularios. Por favor llegue 15 minutos antes para completarlos en la tableta de nuestra recepción, y traiga una identificación con foto y su tarjeta de seguro.",
}

// codeLine gives the check-in code: with the patient's date of birth it
// starts their forms on the tablet, on the day of the session only.
var codeLine = map[string]string{
	"en": "At the tablet, type your check-in code, {code}, and your date of birth. The code works on the day of this session only.",
	"es": "En la tableta, escriba su código de registro, {code}, y su fecha de nacimiento. El código sirve solo el día de esta sesión.",
}

func placeLine(lang string, f ReminderFacts) string {
	es := lang == "es"
	switch {
	case f.Place != "" && es:
		return "Lugar: " + f.Place
	case f.Place != "":
		return "Where: " + f.Place
	case f.VideoLink != "" && es:
		return "Es una sesión por video: " + f.VideoLink
	case f.VideoLink != "":
		return "This is a video session: " + f.VideoLink
	case es:
		return "Es una sesión por video; le enviaremos el enlace."
	}
	return "This is a video session; we will send you the link."
}

var (
	esDays   = []string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
	esMonths = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
)

// longDate is "Thursday, December 3" or "jueves 3 de diciembre".
func longDate(lang string, t time.Time) string {
	if lang == "es" {
		return fmt.Sprintf("%s %d de %s", esDays[t.Weekday()], t.Day(), esMonths[t.Month()-1])
	}
	return t.Format("Monday, January 2")
}

// clock is "9:00 AM" or "9:00".
func clock(lang string, t time.Time) string {
	if lang == "es" {
		return t.Format("15:04")
	}
	return t.Format("3:04 PM")
}

// oneLine is an address on one line.
func oneLine(a practice.Address) string {
	var parts []string
	for _, s := range []string{a.Line1, a.Line2, a.City, strings.TrimSpace(a.State + " " + a.Zip)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
