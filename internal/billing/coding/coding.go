// Package coding picks the CPT/HCPCS lines, place of service and modifiers
// for one completed session, from what happened (its kind, the actual
// face-to-face minutes, where the patient was) and the payer's rules.
//
// It is pure: plain structs in, plain results out, no store and no clock,
// so the billing service, the scrubber and the tests all ask the same rules.
// Mental-health codes are time-based, and a wrong duration, modifier or place
// of service is what gets a claim denied; so every refusal is a typed *Error
// that says why, never an empty result.
//
// The time thresholds follow CPT's rule that a timed code is reported once
// the midpoint of its stated time is passed (30-minute psychotherapy from 16
// minutes, 45 from 38, 60 from 53; the 50-minute family codes from 26), and
// CPT's crisis table (90839 for 30–74 minutes, one 90840 for each further 30
// from 75). One session gets one psychotherapy code: codes are never summed
// to reach a length (75 minutes is 90837, not 90834 + 90832).
package coding

import (
	"fmt"
	"slices"
)

// Kind is what the session was, as the appointment type says.
type Kind string

const (
	Psychotherapy        Kind = "psychotherapy"         // individual: 90832/90834/90837
	Evaluation           Kind = "evaluation"            // diagnostic evaluation: 90791
	EvaluationMedical    Kind = "evaluation-medical"    // with medical services: 90792, prescribers only
	Family               Kind = "family"                // family psychotherapy without the patient: 90846
	FamilyWithPatient    Kind = "family-with-patient"   // conjoint, patient present: 90847
	Group                Kind = "group"                 // group psychotherapy: 90853
	Crisis               Kind = "crisis"                // 90839 (+ 90840 units)
	MedicationManagement Kind = "medication-management" // prescriber's E/M, with a psychotherapy add-on when there was 16+ minutes of it
)

// Place is where the patient was during the session.
type Place string

const (
	Office          Place = "office"           // in person at the practice
	TelehealthHome  Place = "telehealth-home"  // telehealth, the patient at home (POS 10)
	TelehealthOther Place = "telehealth-other" // telehealth, the patient elsewhere (POS 02)
)

// Places of service (CMS's code set) this package assigns.
const (
	POSTelehealthOther = "02"
	POSTelehealthHome  = "10"
	POSOffice          = "11"
	POSCMHC            = "53"
)

// Session is one completed session as billing sees it.
type Session struct {
	Kind Kind
	// Minutes is the actual face-to-face time. For MedicationManagement it
	// is the psychotherapy time alone (the add-on's time excludes the E/M's).
	Minutes int
	// Prescriber says the rendering clinician may prescribe (MD, DO, NP,
	// PA): 90792 and E/M codes need one.
	Prescriber bool
	// EMCode is the prescriber's E/M level for MedicationManagement
	// (99202–99205, 99212–99215): chosen by medical decision making, which
	// minutes cannot tell, so the clinician picks it.
	EMCode string
	// InteractiveComplexity asks for 90785 (an interpreter, a guardian
	// whose behaviour complicates care, a sentinel event, play equipment).
	InteractiveComplexity bool
	Place                 Place
	// AudioOnly: telehealth by telephone, no video.
	AudioOnly bool
	// Licence is the rendering clinician's licence type (LCSW, LPC, PsyD…),
	// which some payers turn into a modifier (PayerRules.LicenceModifiers).
	Licence string
	// CMHC: the practice is a community mental health center (POS 53 for
	// sessions at the practice).
	CMHC bool
}

// TelehealthPOS says which place of service a payer wants on a telehealth
// line.
type TelehealthPOS string

const (
	// PatientLocation: 10 when the patient is at home, 02 elsewhere (CMS's
	// codes, the default).
	PatientLocation TelehealthPOS = ""
	// AsInPerson: the place of service the session would have had in
	// person (11, or 53 for a CMHC), the modifier saying it was telehealth.
	// Some commercial payers and Medicaid plans ask for this.
	AsInPerson TelehealthPOS = "as-in-person"
)

// PayerRules is how one payer wants sessions billed. Payers differ, so none
// of this is a constant of the package; the billing setup stores one per
// payer.
type PayerRules struct {
	// VideoModifier marks a line done by audio-video telehealth: "95"
	// (commercial payers, Medicare), "GT" (some Medicaid plans), or "".
	VideoModifier string
	// AudioOnlyModifier marks a line done by telephone: "93", "FQ", or "".
	AudioOnlyModifier string
	// NoAudioOnly: the payer does not pay for audio-only sessions.
	NoAudioOnly   bool
	TelehealthPOS TelehealthPOS
	// LineModifiers go on every line, e.g. "HJ" for an employee
	// assistance program that asks for it.
	LineModifiers []string
	// LicenceModifiers maps the clinician's licence to a modifier, e.g.
	// Medicaid's "HO" for master's-level clinicians.
	LicenceModifiers map[string]string
	// CodeMap replaces a CPT code with the payer's own code after coding,
	// e.g. an EAP that takes 99404 for every counselling session.
	CodeMap map[string]string
}

// Line is one service line of a claim.
type Line struct {
	Code      string   `json:"code"`
	Units     int      `json:"units"`
	Modifiers []string `json:"modifiers"`
	// AddOn: the line is an add-on code, billable only with its parent.
	AddOn bool `json:"addOn"`
}

// Result is a session's coding.
type Result struct {
	Lines []Line `json:"lines"`
	POS   string `json:"pos"`
	// Notes say what the rules did that a biller would ask about: a crisis
	// under 30 minutes coded as psychotherapy, an add-on left off.
	Notes []string `json:"notes"`
}

// Reason is why a session cannot be coded.
type Reason string

const (
	TooShort         Reason = "too-short"        // fewer minutes than any code of its kind needs
	NoTime           Reason = "no-time"          // no face-to-face minutes recorded
	NeedsPrescriber  Reason = "needs-prescriber" // 90792 or an E/M by a non-prescriber
	BadEMCode        Reason = "bad-em-code"      // not an E/M code the add-ons accept
	UnknownKind      Reason = "unknown-kind"
	UnknownPlace     Reason = "unknown-place"
	NotCovered       Reason = "not-covered"        // audio-only for a payer that does not pay for it
	TooManyModifiers Reason = "too-many-modifiers" // a claim line holds four
	UnknownCode      Reason = "unknown-code"       // an override code this package does not know
	NoParent         Reason = "no-parent"          // an add-on without an allowed primary code
	SummedCodes      Reason = "summed-codes"       // two primary psychotherapy codes for one session
	MinutesMismatch  Reason = "minutes-mismatch"
)

// Error is a refusal with the reason and a sentence a biller can act on.
type Error struct {
	Reason  Reason
	Message string
}

func (e *Error) Error() string { return e.Message }

func fail(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Message: fmt.Sprintf(format, args...)}
}

// Code codes one completed session for a payer.
//
// Errors are *Error: TooShort (psychotherapy under 16 minutes, family
// psychotherapy under 26), NoTime, NeedsPrescriber, BadEMCode, UnknownKind,
// UnknownPlace, NotCovered, TooManyModifiers.
func Code(s Session, r PayerRules) (Result, error) {
	var res Result
	if s.Minutes < 0 {
		return Result{}, fail(NoTime, "The session's minutes cannot be negative (%d).", s.Minutes)
	}
	pos, err := placeOfService(s, r)
	if err != nil {
		return Result{}, err
	}
	res.POS = pos
	primary, err := primaryLines(s, &res)
	if err != nil {
		return Result{}, err
	}
	res.Lines = primary
	if s.InteractiveComplexity {
		codes := make([]string, len(res.Lines))
		for i, l := range res.Lines {
			codes[i] = l.Code
		}
		if complexityParent(codes) != "" {
			res.Lines = append(res.Lines, Line{Code: "90785", Units: 1, AddOn: true})
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("Interactive complexity (90785) was not added: CPT allows it only with 90791, 90792, 90832–90838 or 90853, not with %s.", codes[0]))
		}
	}
	mods, err := modifiers(s, r)
	if err != nil {
		return Result{}, err
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		l.Modifiers = slices.Clone(mods)
		if to, ok := r.CodeMap[l.Code]; ok && to != "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%s is billed as %s, as this payer asks.", l.Code, to))
			l.Code = to
		}
	}
	return res, nil
}

// primaryLines are the session's codes before 90785 and modifiers.
func primaryLines(s Session, res *Result) ([]Line, error) {
	one := func(code string) []Line { return []Line{{Code: code, Units: 1}} }
	// An E/M visit may hold no psychotherapy at all; every other kind is
	// face-to-face time.
	if s.Minutes == 0 && s.Kind != MedicationManagement {
		return nil, fail(NoTime, "No face-to-face minutes are recorded for this session; record when it began and ended.")
	}
	switch s.Kind {
	case Psychotherapy:
		code, err := psychotherapyCode(s.Minutes)
		if err != nil {
			return nil, err
		}
		return one(code), nil
	case Evaluation:
		return one("90791"), nil
	case EvaluationMedical:
		if !s.Prescriber {
			return nil, fail(NeedsPrescriber, "90792 (evaluation with medical services) needs a prescribing clinician; code this evaluation as 90791.")
		}
		return one("90792"), nil
	case Family, FamilyWithPatient:
		if s.Minutes < 26 {
			return nil, fail(TooShort, "%d minutes is under the 26 minutes family psychotherapy (90846/90847) needs: not billable as family psychotherapy.", s.Minutes)
		}
		if s.Kind == Family {
			return one("90846"), nil
		}
		return one("90847"), nil
	case Group:
		return one("90853"), nil
	case Crisis:
		if s.Minutes < 30 {
			// CPT: under 30 minutes of crisis psychotherapy is reported
			// with the psychotherapy codes.
			code, err := psychotherapyCode(s.Minutes)
			if err != nil {
				return nil, err
			}
			res.Notes = append(res.Notes, fmt.Sprintf("Crisis psychotherapy under 30 minutes is coded as psychotherapy (%s).", code))
			return one(code), nil
		}
		lines := one("90839")
		if s.Minutes >= 75 {
			lines = append(lines, Line{Code: "90840", Units: (s.Minutes - 45) / 30, AddOn: true})
		}
		return lines, nil
	case MedicationManagement:
		if !s.Prescriber {
			return nil, fail(NeedsPrescriber, "An E/M visit (%s) needs a prescribing clinician.", s.EMCode)
		}
		if !isEM(s.EMCode) {
			return nil, fail(BadEMCode, "%q is not an office E/M code; choose one of 99202–99205 (new patient) or 99212–99215 (established).", s.EMCode)
		}
		lines := one(s.EMCode)
		switch {
		case s.Minutes >= 53:
			lines = append(lines, Line{Code: "90838", Units: 1, AddOn: true})
		case s.Minutes >= 38:
			lines = append(lines, Line{Code: "90836", Units: 1, AddOn: true})
		case s.Minutes >= 16:
			lines = append(lines, Line{Code: "90833", Units: 1, AddOn: true})
		default:
			res.Notes = append(res.Notes, fmt.Sprintf("%d minutes of psychotherapy is under the 16 the add-on 90833 needs: the E/M is billed alone.", s.Minutes))
		}
		return lines, nil
	}
	return nil, fail(UnknownKind, "This kind of session (%q) has no billing code; set the appointment type's billing kind.", s.Kind)
}

// psychotherapyCode is the one individual psychotherapy code for minutes.
func psychotherapyCode(minutes int) (string, error) {
	switch {
	case minutes >= 53:
		return "90837", nil
	case minutes >= 38:
		return "90834", nil
	case minutes >= 16:
		return "90832", nil
	}
	return "", fail(TooShort, "%d minutes is under the 16 minutes 90832 needs: not billable as psychotherapy.", minutes)
}

func isEM(code string) bool {
	return slices.Contains(emCodes, code)
}

// emCodes are the office/outpatient E/M codes a prescriber's visit with a
// psychotherapy add-on is billed with (99211 needs no physician work and
// takes no add-on).
var emCodes = []string{"99202", "99203", "99204", "99205", "99212", "99213", "99214", "99215"}

// placeOfService is the POS of a session for a payer.
func placeOfService(s Session, r PayerRules) (string, error) {
	inPerson := POSOffice
	if s.CMHC {
		inPerson = POSCMHC
	}
	switch s.Place {
	case Office:
		if s.AudioOnly {
			return "", fail(UnknownPlace, "A session at the office cannot be audio-only; mark it as telehealth or clear audio-only.")
		}
		return inPerson, nil
	case TelehealthHome, TelehealthOther:
		if s.AudioOnly && r.NoAudioOnly {
			return "", fail(NotCovered, "This payer does not pay for audio-only sessions.")
		}
		if r.TelehealthPOS == AsInPerson {
			return inPerson, nil
		}
		if s.Place == TelehealthHome {
			return POSTelehealthHome, nil
		}
		return POSTelehealthOther, nil
	}
	return "", fail(UnknownPlace, "Say where the patient was (office, telehealth at home, telehealth elsewhere); %q is not one.", s.Place)
}

// modifiers are the modifiers on every line of the session: the licence's
// first (Medicaid prices by it), then the payer's own, then how telehealth
// was delivered.
func modifiers(s Session, r PayerRules) ([]string, error) {
	var mods []string
	add := func(m string) {
		if m != "" && !slices.Contains(mods, m) {
			mods = append(mods, m)
		}
	}
	add(r.LicenceModifiers[s.Licence])
	for _, m := range r.LineModifiers {
		add(m)
	}
	if s.Place == TelehealthHome || s.Place == TelehealthOther {
		if s.AudioOnly {
			add(r.AudioOnlyModifier)
		} else {
			add(r.VideoModifier)
		}
	}
	if len(mods) > 4 {
		return nil, fail(TooManyModifiers, "A claim line holds at most four modifiers; this payer's rules give %d (%v).", len(mods), mods)
	}
	return mods, nil
}
