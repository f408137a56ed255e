package coding

import (
	"fmt"
	"slices"
	"strings"
)

// codeInfo is what this package knows of a code: words for a superbill
// and a picker, whether it is an add-on and which primaries it may follow.
type codeInfo struct {
	words   string
	parents []string // add-ons only: the codes it may be billed with
}

// complexityParents are the codes CPT lets 90785 follow: diagnostic
// evaluations, individual psychotherapy (alone or as an E/M add-on) and
// group psychotherapy. Not crisis (90839/90840), family (90846/90847),
// nor an E/M without psychotherapy.
var complexityParents = []string{"90791", "90792", "90832", "90833", "90834", "90836", "90837", "90838", "90853"}

var codes = map[string]codeInfo{
	"90791": {words: "Psychiatric diagnostic evaluation"},
	"90792": {words: "Psychiatric diagnostic evaluation with medical services"},
	"90832": {words: "Psychotherapy, 30 minutes"},
	"90834": {words: "Psychotherapy, 45 minutes"},
	"90837": {words: "Psychotherapy, 60 minutes"},
	"90833": {words: "Psychotherapy, 30 minutes, with an E/M visit", parents: emCodes},
	"90836": {words: "Psychotherapy, 45 minutes, with an E/M visit", parents: emCodes},
	"90838": {words: "Psychotherapy, 60 minutes, with an E/M visit", parents: emCodes},
	"90839": {words: "Psychotherapy for crisis, first 60 minutes"},
	"90840": {words: "Psychotherapy for crisis, each further 30 minutes", parents: []string{"90839"}},
	"90846": {words: "Family psychotherapy without the patient, 50 minutes"},
	"90847": {words: "Family psychotherapy with the patient, 50 minutes"},
	"90853": {words: "Group psychotherapy"},
	"90785": {words: "Interactive complexity", parents: complexityParents},
	"99202": {words: "Office visit, new patient, straightforward"},
	"99203": {words: "Office visit, new patient, low complexity"},
	"99204": {words: "Office visit, new patient, moderate complexity"},
	"99205": {words: "Office visit, new patient, high complexity"},
	"99212": {words: "Office visit, established patient, straightforward"},
	"99213": {words: "Office visit, established patient, low complexity"},
	"99214": {words: "Office visit, established patient, moderate complexity"},
	"99215": {words: "Office visit, established patient, high complexity"},
}

// oneServicePerSession are the codes of which a session has at most one:
// each describes the whole psychotherapy of a session, so two would be
// summing.
var oneServicePerSession = []string{"90791", "90792", "90832", "90834", "90837", "90833", "90836", "90838", "90839", "90846", "90847", "90853"}

// Describe gives a code's words for a superbill or a picker; ok is false
// for a code this package does not know (a payer's own code, say).
func Describe(code string) (words string, ok bool) {
	c, ok := codes[code]
	return c.words, ok
}

// IsAddOn reports whether code is billable only with a primary code.
func IsAddOn(code string) bool { return len(codes[code].parents) > 0 }

// complexityParent is the first of codes that 90785 may follow, or "".
func complexityParent(list []string) string {
	for _, c := range list {
		if slices.Contains(complexityParents, c) {
			return c
		}
	}
	return ""
}

// CheckLines checks the CPT lines of one session, as a staff override
// leaves them, before the payer's CodeMap: every code known, every add-on
// with a primary it may follow, one psychotherapy service (never summed),
// units of one except 90840's.
//
// Errors are *Error: UnknownCode, NoParent, SummedCodes, MinutesMismatch
// (units).
func CheckLines(lines []Line) error {
	if len(lines) == 0 {
		return fail(UnknownCode, "A session needs at least one code.")
	}
	list := make([]string, len(lines))
	for i, l := range lines {
		list[i] = l.Code
	}
	var services []string
	for _, l := range lines {
		info, ok := codes[l.Code]
		if !ok {
			return fail(UnknownCode, "%q is not a code Quietdesk bills for a session; check for a typo.", l.Code)
		}
		if slices.Contains(oneServicePerSession, l.Code) {
			services = append(services, l.Code)
		}
		if len(info.parents) > 0 && !slices.ContainsFunc(list, func(c string) bool { return slices.Contains(info.parents, c) }) {
			return fail(NoParent, "%s is an add-on code and needs one of %s on the same session.", l.Code, strings.Join(info.parents, ", "))
		}
		if l.Units < 1 || (l.Units > 1 && l.Code != "90840") {
			return fail(MinutesMismatch, "%s is billed as one unit, not %d.", l.Code, l.Units)
		}
	}
	if len(services) > 1 {
		return fail(SummedCodes, "%s describe the same session's psychotherapy: bill one code for the whole session.", strings.Join(services, " and "))
	}
	return nil
}

// CheckMinutes checks a session's time-based lines against its actual
// minutes (for MedicationManagement, the psychotherapy minutes), as the
// scrubber does after an override: 90832/90833 16–37, 90834/90836 38–52,
// 90837/90838 53+, 90846/90847 26+, 90839 30–74 alone or with as many
// 90840 units as CPT's crisis table gives. Untimed codes always pass.
//
// Errors are *Error with Reason MinutesMismatch.
func CheckMinutes(lines []Line, minutes int) error {
	crisisUnits := 0
	crisis := false
	for _, l := range lines {
		lo, hi := 0, 0 // hi 0: no upper bound
		switch l.Code {
		case "90832", "90833":
			lo, hi = 16, 37
		case "90834", "90836":
			lo, hi = 38, 52
		case "90837", "90838":
			lo = 53
		case "90846", "90847":
			lo = 26
		case "90839":
			crisis = true
			continue
		case "90840":
			crisisUnits += l.Units
			continue
		default:
			continue
		}
		if minutes < lo || (hi > 0 && minutes > hi) {
			want := fmt.Sprintf("%d or more", lo)
			if hi > 0 {
				want = fmt.Sprintf("%d–%d", lo, hi)
			}
			return fail(MinutesMismatch, "%s needs %s minutes; the session had %d.", l.Code, want, minutes)
		}
	}
	if crisis {
		want := 0
		if minutes >= 75 {
			want = (minutes - 45) / 30
		}
		if minutes < 30 {
			return fail(MinutesMismatch, "90839 needs 30 minutes or more; the session had %d (under 30, bill psychotherapy).", minutes)
		}
		if crisisUnits != want {
			return fail(MinutesMismatch, "A %d-minute crisis session is 90839 with %d unit(s) of 90840, not %d.", minutes, want, crisisUnits)
		}
	}
	return nil
}
