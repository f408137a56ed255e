package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"quietdesk/internal/practice"
)

// The built-in forms, version 1, in English and Spanish. PHQ-9 and GAD-7
// keep their published wording (Pfizer's, free to use; the Spanish of the
// official US translations); the consents are plain-language drafts the
// owner is expected to replace with their own text.

func l(en, es string) practice.Localized { return practice.Localized{EN: en, ES: es} }

// frequency is the PHQ-9 and GAD-7 answer scale, scored 0 to 3.
var frequency = []practice.Option{
	{Value: "0", Label: l("Not at all", "Ningún día")},
	{Value: "1", Label: l("Several days", "Varios días")},
	{Value: "2", Label: l("More than half the days", "Más de la mitad de los días")},
	{Value: "3", Label: l("Nearly every day", "Casi todos los días")},
}

func scale(id, en, es string) practice.Question {
	return practice.Question{ID: id, Kind: practice.Single, Text: l(en, es), Options: frequency, Required: true}
}

// consent is a consent form: a text to sign, no questions — an empty list,
// not none, since the window iterates it (nil reached the tablet as null
// and stopped every patient at the first consent).
func consent(id, titleEN, titleES, bodyEN, bodyES string) practice.Form {
	return practice.Form{ID: id, Version: 1, Kind: practice.Consent, Title: l(titleEN, titleES), Body: l(bodyEN, bodyES),
		Questions: []practice.Question{}}
}

var builtinForms = []practice.Form{
	{ID: "demographics", Version: 1, Kind: practice.Questions, Title: l("About you", "Sobre usted"),
		Body: l("Please check what we have on file and correct anything that changed.", "Revise lo que tenemos registrado y corrija lo que haya cambiado."),
		Questions: []practice.Question{
			{ID: "phone", Kind: practice.ShortText, Text: l("Phone number", "Número de teléfono"), Field: "contact.phone"},
			{ID: "email", Kind: practice.ShortText, Text: l("E-mail", "Correo electrónico"), Field: "contact.email"},
			{ID: "line1", Kind: practice.ShortText, Text: l("Street address", "Dirección"), Field: "contact.address.line1"},
			{ID: "city", Kind: practice.ShortText, Text: l("City", "Ciudad"), Field: "contact.address.city"},
			{ID: "state", Kind: practice.ShortText, Text: l("State", "Estado"), Field: "contact.address.state"},
			{ID: "zip", Kind: practice.ShortText, Text: l("ZIP code", "Código postal"), Field: "contact.address.zip"},
			{ID: "pronouns", Kind: practice.ShortText, Text: l("Pronouns (optional)", "Pronombres (opcional)"), Field: "identity.pronouns"},
		}},
	{ID: "insurance", Version: 1, Kind: practice.Questions, Title: l("Insurance", "Seguro médico"),
		Questions: []practice.Question{
			{ID: "has", Kind: practice.YesNo, Text: l("Will you use health insurance?", "¿Usará seguro médico?"), Required: true},
			{ID: "plan", Kind: practice.ShortText, Text: l("Insurance company or plan", "Compañía o plan de seguro")},
			{ID: "member", Kind: practice.ShortText, Text: l("Member ID", "Número de miembro")},
			{ID: "group", Kind: practice.ShortText, Text: l("Group number", "Número de grupo")},
			{ID: "holder", Kind: practice.ShortText, Text: l("Policy holder, if not you", "Titular de la póliza, si no es usted")},
		}},
	{ID: "emergency", Version: 1, Kind: practice.Questions, Title: l("Emergency contact", "Contacto de emergencia"),
		Questions: []practice.Question{
			{ID: "name", Kind: practice.ShortText, Text: l("Name", "Nombre"), Required: true, Field: "emergency.name"},
			{ID: "relationship", Kind: practice.ShortText, Text: l("Relationship to you", "Relación con usted"), Field: "emergency.relationship"},
			{ID: "phone", Kind: practice.ShortText, Text: l("Phone number", "Número de teléfono"), Required: true, Field: "emergency.phone"},
		}},
	consent("consent-treatment", "Consent to treatment", "Consentimiento para el tratamiento",
		"I agree to receive counseling or therapy from this practice. I understand that I can ask questions about my care at any time, and that I can stop at any time. What I say in sessions is confidential, except when the law requires the practice to act to keep me or someone else safe, or when a court orders it.",
		"Acepto recibir consejería o terapia de esta práctica. Entiendo que puedo hacer preguntas sobre mi atención en cualquier momento y que puedo dejarla cuando quiera. Lo que digo en las sesiones es confidencial, salvo cuando la ley obliga a la práctica a actuar para protegerme a mí o a otra persona, o cuando lo ordena un tribunal."),
	consent("privacy-notice", "Notice of privacy practices", "Aviso de prácticas de privacidad",
		"I have received this practice's Notice of Privacy Practices, which explains how my health information may be used and shared, and my rights to see it, to get a copy and to ask for corrections.",
		"He recibido el Aviso de Prácticas de Privacidad de esta práctica, que explica cómo se puede usar y compartir mi información de salud, y mis derechos a verla, a obtener una copia y a pedir correcciones."),
	consent("telehealth", "Telehealth consent", "Consentimiento para telesalud",
		"Some sessions may take place by secure video. I will join from a private place. If the connection fails, my clinician will call me. Telehealth has the same confidentiality as sessions in the office.",
		"Algunas sesiones pueden ser por video seguro. Me conectaré desde un lugar privado. Si la conexión falla, mi terapeuta me llamará. La telesalud tiene la misma confidencialidad que las sesiones en la oficina."),
	// The cancellation policy's text is filled in from the calendar policy
	// ({hours}, {lateFee}, {noShowFee}); see fillPolicy.
	consent("cancellation", "Cancellation and no-show policy", "Política de cancelación y ausencias",
		"Please cancel at least {hours} hours before your appointment. A later cancellation may be charged {lateFee}; a missed appointment without notice may be charged {noShowFee}. Insurance does not pay these fees.",
		"Cancele por lo menos {hours} horas antes de su cita. Una cancelación más tarde puede costar {lateFee}; una cita perdida sin aviso puede costar {noShowFee}. El seguro no paga estos cargos."),
	{ID: "release", Version: 1, Kind: practice.Consent, Optional: true,
		Title: l("Release of information (optional)", "Autorización para compartir información (opcional)"),
		Body: l("I allow this practice to share information about my care with the person or office named below, for coordinating my care, until I withdraw this permission in writing.",
			"Autorizo a esta práctica a compartir información sobre mi atención con la persona u oficina nombrada abajo, para coordinar mi atención, hasta que retire este permiso por escrito."),
		Questions: []practice.Question{
			{ID: "recipient", Kind: practice.ShortText, Text: l("Share with (name or office)", "Compartir con (nombre u oficina)"), Required: true},
		}},
	{ID: "phq9", Version: 1, Kind: practice.Questionnaire, Title: l("PHQ-9", "PHQ-9"),
		Body: l("Over the last 2 weeks, how often have you been bothered by any of the following problems?",
			"Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"),
		Questions: []practice.Question{
			scale("1", "Little interest or pleasure in doing things", "Poco interés o placer en hacer cosas"),
			scale("2", "Feeling down, depressed, or hopeless", "Se ha sentido decaído(a), deprimido(a) o sin esperanzas"),
			scale("3", "Trouble falling or staying asleep, or sleeping too much", "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado"),
			scale("4", "Feeling tired or having little energy", "Se ha sentido cansado(a) o con poca energía"),
			scale("5", "Poor appetite or overeating", "Sin apetito o ha comido en exceso"),
			scale("6", "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
				"Se ha sentido mal con usted mismo(a) — o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia"),
			scale("7", "Trouble concentrating on things, such as reading the newspaper or watching television",
				"Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión"),
			scale("8", "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
				"¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? O lo contrario — muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal"),
			scale("9", "Thoughts that you would be better off dead or of hurting yourself in some way",
				"Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"),
			{ID: "difficulty", Kind: practice.Single,
				Text: l("If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
					"Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, encargarse de las tareas del hogar, o llevarse bien con otras personas?"),
				Options: []practice.Option{
					{Value: "not", Label: l("Not difficult at all", "No ha sido difícil")},
					{Value: "somewhat", Label: l("Somewhat difficult", "Un poco difícil")},
					{Value: "very", Label: l("Very difficult", "Muy difícil")},
					{Value: "extremely", Label: l("Extremely difficult", "Extremadamente difícil")},
				}},
		}},
	{ID: "gad7", Version: 1, Kind: practice.Questionnaire, Title: l("GAD-7", "GAD-7"),
		Body: l("Over the last 2 weeks, how often have you been bothered by the following problems?",
			"Durante las últimas 2 semanas, ¿con qué frecuencia ha sentido molestias por los siguientes problemas?"),
		Questions: []practice.Question{
			scale("1", "Feeling nervous, anxious, or on edge", "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta"),
			scale("2", "Not being able to stop or control worrying", "No ha sido capaz de parar o controlar su preocupación"),
			scale("3", "Worrying too much about different things", "Se ha preocupado demasiado por motivos diferentes"),
			scale("4", "Trouble relaxing", "Ha tenido dificultad para relajarse"),
			scale("5", "Being so restless that it is hard to sit still", "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)"),
			scale("6", "Becoming easily annoyed or irritable", "Se ha molestado o irritado fácilmente"),
			scale("7", "Feeling afraid, as if something awful might happen", "Ha tenido miedo de que algo terrible fuera a pasar"),
		}},
}

var (
	patient  = practice.Signer{Role: practice.SignerPatient}
	guardian = practice.Signer{Role: practice.SignerGuardian}
	partner  = practice.Signer{Role: practice.SignerPartner}
)

var builtinPackets = []practice.Packet{
	{ID: "new-adult", Name: l("New adult patient", "Paciente adulto nuevo"), Signers: []practice.Signer{patient},
		FormIDs: []string{"demographics", "insurance", "emergency", "consent-treatment", "privacy-notice", "telehealth", "cancellation", "release", "phq9", "gad7"}},
	// A minor signs too (assent); the guardian on file consents.
	{ID: "new-minor", Name: l("New minor patient", "Paciente menor de edad nuevo"), Signers: []practice.Signer{patient, guardian},
		FormIDs: []string{"demographics", "insurance", "emergency", "consent-treatment", "privacy-notice", "telehealth", "cancellation", "release", "phq9", "gad7"}},
	{ID: "couple", Name: l("Couple", "Pareja"), Signers: []practice.Signer{patient, partner},
		FormIDs: []string{"demographics", "emergency", "consent-treatment", "privacy-notice", "telehealth", "cancellation"}},
	{ID: "annual", Name: l("Returning patient, yearly update", "Paciente que regresa, actualización anual"), Signers: []practice.Signer{patient},
		FormIDs: []string{"demographics", "insurance", "emergency", "privacy-notice", "phq9", "gad7"}},
	// Measurement-based care: the questionnaires again every few months,
	// so a clinician sees the trend between the yearly updates.
	{ID: "progress", Name: l("Progress check (PHQ-9 and GAD-7)", "Control de progreso (PHQ-9 y GAD-7)"), Signers: []practice.Signer{patient},
		FormIDs: []string{"phq9", "gad7"}},
}

func fillPolicy(text string, p practice.CalendarPolicy) string {
	return strings.NewReplacer("{hours}", fmt.Sprint(p.LateCancelHours),
		"{lateFee}", dollars(p.LateCancelFeeCents), "{noShowFee}", dollars(p.NoShowFeeCents)).Replace(text)
}

func dollars(cents int) string { return fmt.Sprintf("$%d.%02d", cents/100, cents%100) }

// Packets returns the built-in packets.
func Packets() []practice.Packet { return builtinPackets }

// Packet returns one packet. Errors: EInvalid.
func Packet(id string) (practice.Packet, error) {
	for _, p := range builtinPackets {
		if p.ID == id {
			return p, nil
		}
	}
	return practice.Packet{}, practice.FieldProblem("packetId", "Choose one of the practice's packets.")
}

// TextHash is the SHA-256 of exactly what a patient saw of a form in
// lang: its id, version, title, body, and each question with its options.
// A submission carries it, so a consent signed is tied to its words.
func TextHash(f practice.Form, lang practice.Language) string {
	type shown struct {
		ID        string
		Version   int
		Title     string
		Body      string
		Questions [][]string
	}
	s := shown{ID: f.ID, Version: f.Version, Title: f.Title.In(lang), Body: f.Body.In(lang)}
	for _, q := range f.Questions {
		line := []string{q.ID, string(q.Kind), q.Text.In(lang)}
		for _, o := range q.Options {
			line = append(line, o.Value+"="+o.Label.In(lang))
		}
		s.Questions = append(s.Questions, line)
	}
	b, _ := json.Marshal(s) // strings and ints only: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
