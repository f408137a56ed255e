package billing

import (
	"errors"
	"strings"

	"quietdesk/internal/billing/coding"
	"quietdesk/internal/practice"
)

// defaultRules hands the service the pure rule packages.
type defaultRules struct{}

// DefaultRules is the rule packages Quietdesk ships.
func DefaultRules() Rules { return defaultRules{} }

// kindOf is the coding kind of an appointment type's service code: the
// type says what kind of session it was; its code is only the default.
func kindOf(typeCode string) (coding.Kind, string) {
	switch typeCode {
	case "90832", "90834", "90837":
		return coding.Psychotherapy, ""
	case "90791":
		return coding.Evaluation, ""
	case "90792":
		return coding.EvaluationMedical, ""
	case "90846":
		return coding.Family, ""
	case "90847":
		return coding.FamilyWithPatient, ""
	case "90853":
		return coding.Group, ""
	case "90839":
		return coding.Crisis, ""
	}
	if strings.HasPrefix(typeCode, "992") {
		return coding.MedicationManagement, typeCode
	}
	return coding.Kind(typeCode), ""
}

func payerRules(p practice.PayerBilling) coding.PayerRules {
	r := coding.PayerRules{VideoModifier: p.VideoModifier, AudioOnlyModifier: p.AudioModifier, LineModifiers: p.AlwaysModifiers, CodeMap: p.CodeMap}
	if p.TelehealthPOS == "11" || p.TelehealthPOS == "53" {
		r.TelehealthPOS = coding.AsInPerson
	}
	return r
}

func asPractice(err error) error {
	var ce *coding.Error
	if errors.As(err, &ce) {
		return practice.Errorf(practice.EInvalid, "%s", ce.Message)
	}
	return err
}

func (defaultRules) Code(in CodingInput) ([]practice.ClaimLine, error) {
	kind, em := kindOf(in.TypeCode)
	s := coding.Session{Kind: kind, Minutes: in.Minutes, Prescriber: in.Prescriber, EMCode: em, Place: coding.Office, CMHC: in.CMHC}
	if kind == coding.MedicationManagement {
		s.Minutes = 0 // the calendar records the visit, not its psychotherapy minutes: no add-on unless a person adds it
	}
	if in.Telehealth {
		s.Place = coding.TelehealthOther
		if in.AtHome {
			s.Place = coding.TelehealthHome
		}
	}
	res, err := coding.Code(s, payerRules(in.Payer))
	if err != nil {
		return nil, asPractice(err)
	}
	out := make([]practice.ClaimLine, 0, len(res.Lines))
	for _, l := range res.Lines {
		mods := l.Modifiers
		if mods == nil {
			mods = []string{}
		}
		out = append(out, practice.ClaimLine{Code: l.Code, Units: l.Units, Modifiers: mods, POS: res.POS, AddOn: l.AddOn})
	}
	return out, nil
}

func (defaultRules) CheckSession(lines []practice.ClaimLine, minutes int, payer practice.PayerBilling) []string {
	// The payer's replacements (an EAP's 99404) are undone first: the CPT
	// rules speak of the codes before the payer's map.
	back := map[string]string{}
	for from, to := range payer.CodeMap {
		back[to] = from
	}
	list := make([]coding.Line, 0, len(lines))
	mapped := false
	for _, l := range lines {
		code := l.Code
		if orig, ok := back[code]; ok {
			code, mapped = orig, true
		}
		list = append(list, coding.Line{Code: code, Units: max(l.Units, 1), Modifiers: l.Modifiers, AddOn: l.AddOn})
	}
	var out []string
	if err := coding.CheckLines(list); err != nil {
		out = append(out, err.Error())
	}
	if err := coding.CheckMinutes(list, minutes); err != nil {
		out = append(out, err.Error())
	}
	_ = mapped
	return out
}
