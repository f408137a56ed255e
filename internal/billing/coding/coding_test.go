package coding_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"quietdesk/internal/billing/coding"
)

// Every expected code below is written by hand from the published rules
// (CPT's time rule and crisis table, DESIGN.md's billing facts), never read
// from the package's tables. "L(code, units)" is a line as it should be.

type line struct {
	code  string
	units int
}

func codesOf(r coding.Result) []line {
	var out []line
	for _, l := range r.Lines {
		out = append(out, line{l.Code, l.Units})
	}
	return out
}

func reasonOf(err error) coding.Reason {
	var e *coding.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

var office = coding.PayerRules{} // a payer with no special rules

func TestPsychotherapyMinutesBoundaries(t *testing.T) {
	tests := []struct {
		minutes int
		want    string // "" = refused as too short
	}{
		{1, ""}, {15, ""}, // under 16: not billable as psychotherapy
		{16, "90832"}, {30, "90832"}, {37, "90832"}, // 30-minute code: 16–37
		{38, "90834"}, {45, "90834"}, {52, "90834"}, // 45-minute code: 38–52
		{53, "90837"}, {60, "90837"}, {90, "90837"}, {180, "90837"}, // 60-minute code: 53 and over, never summed
	}
	for _, tt := range tests {
		got, err := coding.Code(coding.Session{Kind: coding.Psychotherapy, Minutes: tt.minutes, Place: coding.Office}, office)
		if tt.want == "" {
			if reasonOf(err) != coding.TooShort || len(got.Lines) != 0 {
				t.Errorf("%d minutes: got %v, %v; want a TooShort refusal", tt.minutes, got.Lines, err)
			} else if !strings.Contains(err.Error(), "not billable as psychotherapy") {
				t.Errorf("%d minutes: message %q does not say why", tt.minutes, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d minutes: %v", tt.minutes, err)
			continue
		}
		if want := []line{{tt.want, 1}}; !reflect.DeepEqual(codesOf(got), want) {
			t.Errorf("%d minutes: %v, want %v", tt.minutes, codesOf(got), want)
		}
	}
}

func TestNoMinutesIsRefused(t *testing.T) {
	for _, k := range []coding.Kind{coding.Psychotherapy, coding.Evaluation, coding.Group, coding.Crisis, coding.Family} {
		if _, err := coding.Code(coding.Session{Kind: k, Minutes: 0, Place: coding.Office}, office); reasonOf(err) != coding.NoTime {
			t.Errorf("%s with 0 minutes: %v, want NoTime", k, err)
		}
	}
	if _, err := coding.Code(coding.Session{Kind: coding.Psychotherapy, Minutes: -5, Place: coding.Office}, office); reasonOf(err) != coding.NoTime {
		t.Errorf("negative minutes: %v, want NoTime", err)
	}
}

func TestEvaluationsFamilyGroup(t *testing.T) {
	tests := []struct {
		name       string
		s          coding.Session
		want       []line
		wantReason coding.Reason
	}{
		{"90791 by a therapist", coding.Session{Kind: coding.Evaluation, Minutes: 60}, []line{{"90791", 1}}, ""},
		{"90791 by a prescriber", coding.Session{Kind: coding.Evaluation, Minutes: 60, Prescriber: true}, []line{{"90791", 1}}, ""},
		{"90792 by a prescriber", coding.Session{Kind: coding.EvaluationMedical, Minutes: 60, Prescriber: true}, []line{{"90792", 1}}, ""},
		{"90792 by a therapist is refused", coding.Session{Kind: coding.EvaluationMedical, Minutes: 60}, nil, coding.NeedsPrescriber},
		{"family 25 minutes", coding.Session{Kind: coding.Family, Minutes: 25}, nil, coding.TooShort},
		{"family 26 minutes", coding.Session{Kind: coding.Family, Minutes: 26}, []line{{"90846", 1}}, ""},
		{"family 80 minutes", coding.Session{Kind: coding.Family, Minutes: 80}, []line{{"90846", 1}}, ""},
		{"conjoint 25 minutes", coding.Session{Kind: coding.FamilyWithPatient, Minutes: 25}, nil, coding.TooShort},
		{"conjoint 26 minutes", coding.Session{Kind: coding.FamilyWithPatient, Minutes: 26}, []line{{"90847", 1}}, ""},
		{"conjoint 50 minutes", coding.Session{Kind: coding.FamilyWithPatient, Minutes: 50}, []line{{"90847", 1}}, ""},
		{"group", coding.Session{Kind: coding.Group, Minutes: 90}, []line{{"90853", 1}}, ""},
		{"group, short", coding.Session{Kind: coding.Group, Minutes: 10}, []line{{"90853", 1}}, ""},
		{"unknown kind", coding.Session{Kind: "massage", Minutes: 50}, nil, coding.UnknownKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Place = coding.Office
			got, err := coding.Code(tt.s, office)
			if tt.wantReason != "" {
				if reasonOf(err) != tt.wantReason || len(got.Lines) != 0 {
					t.Fatalf("got %v, %v; want %s", got.Lines, err, tt.wantReason)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(codesOf(got), tt.want) {
				t.Fatalf("got %v, %v; want %v", codesOf(got), err, tt.want)
			}
		})
	}
}

// CPT's crisis table: under 30 minutes is psychotherapy; 30–74 is 90839;
// 75–104 adds one 90840; 105–134 two; 135–164 three; 165–194 four.
func TestCrisisBoundaries(t *testing.T) {
	tests := []struct {
		minutes int
		want    []line
	}{
		{15, nil}, // not even psychotherapy
		{16, []line{{"90832", 1}}},
		{29, []line{{"90832", 1}}},
		{30, []line{{"90839", 1}}},
		{60, []line{{"90839", 1}}},
		{74, []line{{"90839", 1}}},
		{75, []line{{"90839", 1}, {"90840", 1}}},
		{104, []line{{"90839", 1}, {"90840", 1}}},
		{105, []line{{"90839", 1}, {"90840", 2}}},
		{134, []line{{"90839", 1}, {"90840", 2}}},
		{135, []line{{"90839", 1}, {"90840", 3}}},
		{164, []line{{"90839", 1}, {"90840", 3}}},
		{165, []line{{"90839", 1}, {"90840", 4}}},
		{194, []line{{"90839", 1}, {"90840", 4}}},
		{195, []line{{"90839", 1}, {"90840", 5}}},
	}
	for _, tt := range tests {
		got, err := coding.Code(coding.Session{Kind: coding.Crisis, Minutes: tt.minutes, Place: coding.Office}, office)
		if tt.want == nil {
			if reasonOf(err) != coding.TooShort {
				t.Errorf("crisis %d minutes: %v, %v; want TooShort", tt.minutes, got.Lines, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(codesOf(got), tt.want) {
			t.Errorf("crisis %d minutes: %v, %v; want %v", tt.minutes, codesOf(got), err, tt.want)
		}
		if tt.minutes < 30 && (len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "under 30")) {
			t.Errorf("crisis %d minutes: no note says it was coded as psychotherapy: %v", tt.minutes, got.Notes)
		}
		for _, l := range got.Lines {
			if l.Code == "90840" && !l.AddOn {
				t.Errorf("90840 is not marked as an add-on")
			}
		}
	}
}

func TestPrescriberEMWithPsychotherapyAddOn(t *testing.T) {
	tests := []struct {
		name       string
		s          coding.Session
		want       []line
		wantReason coding.Reason
	}{
		{"no psychotherapy", coding.Session{EMCode: "99214", Minutes: 0, Prescriber: true}, []line{{"99214", 1}}, ""},
		{"15 minutes: E/M alone", coding.Session{EMCode: "99214", Minutes: 15, Prescriber: true}, []line{{"99214", 1}}, ""},
		{"16", coding.Session{EMCode: "99214", Minutes: 16, Prescriber: true}, []line{{"99214", 1}, {"90833", 1}}, ""},
		{"37", coding.Session{EMCode: "99213", Minutes: 37, Prescriber: true}, []line{{"99213", 1}, {"90833", 1}}, ""},
		{"38", coding.Session{EMCode: "99213", Minutes: 38, Prescriber: true}, []line{{"99213", 1}, {"90836", 1}}, ""},
		{"52", coding.Session{EMCode: "99215", Minutes: 52, Prescriber: true}, []line{{"99215", 1}, {"90836", 1}}, ""},
		{"53", coding.Session{EMCode: "99215", Minutes: 53, Prescriber: true}, []line{{"99215", 1}, {"90838", 1}}, ""},
		{"new patient", coding.Session{EMCode: "99204", Minutes: 40, Prescriber: true}, []line{{"99204", 1}, {"90836", 1}}, ""},
		{"not a prescriber", coding.Session{EMCode: "99214", Minutes: 30}, nil, coding.NeedsPrescriber},
		{"99211 takes no add-on", coding.Session{EMCode: "99211", Minutes: 30, Prescriber: true}, nil, coding.BadEMCode},
		{"a psychotherapy code as E/M", coding.Session{EMCode: "90834", Minutes: 30, Prescriber: true}, nil, coding.BadEMCode},
		{"no E/M chosen", coding.Session{Minutes: 30, Prescriber: true}, nil, coding.BadEMCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Kind, tt.s.Place = coding.MedicationManagement, coding.Office
			got, err := coding.Code(tt.s, office)
			if tt.wantReason != "" {
				if reasonOf(err) != tt.wantReason {
					t.Fatalf("got %v, %v; want %s", got.Lines, err, tt.wantReason)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(codesOf(got), tt.want) {
				t.Fatalf("got %v, %v; want %v", codesOf(got), err, tt.want)
			}
			if len(tt.want) == 1 && tt.s.Minutes > 0 && len(got.Notes) == 0 {
				t.Errorf("an E/M billed alone after %d minutes of psychotherapy has no note", tt.s.Minutes)
			}
		})
	}
}

// 90785 follows 90791, 90792, 90832–90838 and 90853 only: never crisis,
// family or an E/M without psychotherapy.
func TestInteractiveComplexityParents(t *testing.T) {
	allowed := []struct {
		s    coding.Session
		want []line
	}{
		{coding.Session{Kind: coding.Evaluation, Minutes: 60}, []line{{"90791", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.EvaluationMedical, Minutes: 60, Prescriber: true}, []line{{"90792", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.Psychotherapy, Minutes: 30}, []line{{"90832", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.Psychotherapy, Minutes: 45}, []line{{"90834", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.Psychotherapy, Minutes: 60}, []line{{"90837", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.MedicationManagement, EMCode: "99213", Minutes: 20, Prescriber: true}, []line{{"99213", 1}, {"90833", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.MedicationManagement, EMCode: "99214", Minutes: 40, Prescriber: true}, []line{{"99214", 1}, {"90836", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.MedicationManagement, EMCode: "99215", Minutes: 55, Prescriber: true}, []line{{"99215", 1}, {"90838", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.Group, Minutes: 90}, []line{{"90853", 1}, {"90785", 1}}},
		{coding.Session{Kind: coding.Crisis, Minutes: 20}, []line{{"90832", 1}, {"90785", 1}}}, // under 30: psychotherapy, which allows it
	}
	for _, tt := range allowed {
		tt.s.Place, tt.s.InteractiveComplexity = coding.Office, true
		got, err := coding.Code(tt.s, office)
		if err != nil || !reflect.DeepEqual(codesOf(got), tt.want) {
			t.Errorf("%s %d min with 90785: %v, %v; want %v", tt.s.Kind, tt.s.Minutes, codesOf(got), err, tt.want)
		}
		if last := got.Lines[len(got.Lines)-1]; !last.AddOn {
			t.Errorf("%s: 90785 not marked as an add-on", tt.s.Kind)
		}
	}
	refused := []struct {
		s    coding.Session
		want []line
	}{
		{coding.Session{Kind: coding.Crisis, Minutes: 60}, []line{{"90839", 1}}},
		{coding.Session{Kind: coding.Crisis, Minutes: 80}, []line{{"90839", 1}, {"90840", 1}}},
		{coding.Session{Kind: coding.Family, Minutes: 50}, []line{{"90846", 1}}},
		{coding.Session{Kind: coding.FamilyWithPatient, Minutes: 50}, []line{{"90847", 1}}},
		{coding.Session{Kind: coding.MedicationManagement, EMCode: "99214", Minutes: 10, Prescriber: true}, []line{{"99214", 1}}},
	}
	for _, tt := range refused {
		tt.s.Place, tt.s.InteractiveComplexity = coding.Office, true
		got, err := coding.Code(tt.s, office)
		if err != nil || !reflect.DeepEqual(codesOf(got), tt.want) {
			t.Errorf("%s %d min with 90785 asked: %v, %v; want %v", tt.s.Kind, tt.s.Minutes, codesOf(got), err, tt.want)
		}
		if !slicesContainSubstring(got.Notes, "90785") {
			t.Errorf("%s: 90785 left off without a note: %v", tt.s.Kind, got.Notes)
		}
	}
}

func slicesContainSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Four payers as practices meet them. Expected POS and modifiers by hand.
var (
	commercial = coding.PayerRules{VideoModifier: "95", AudioOnlyModifier: "93"}
	medicaid   = coding.PayerRules{VideoModifier: "GT", NoAudioOnly: true, TelehealthPOS: coding.AsInPerson,
		LicenceModifiers: map[string]string{"LCSW": "AJ", "LPC": "HO", "LMFT": "HO"}}
	eap = coding.PayerRules{VideoModifier: "95", LineModifiers: []string{"HJ"},
		CodeMap: map[string]string{"90832": "99404", "90834": "99404", "90837": "99404"}}
	fqhc = coding.PayerRules{VideoModifier: "95", AudioOnlyModifier: "FQ"}
)

func TestPlaceOfServiceAndModifiers(t *testing.T) {
	type want struct {
		pos   string
		codes []string
		mods  []string // on every line
	}
	tests := []struct {
		name  string
		payer coding.PayerRules
		s     coding.Session
		want  want
		fail  coding.Reason
	}{
		{"commercial, office", commercial, coding.Session{Place: coding.Office}, want{"11", []string{"90834"}, nil}, ""},
		{"commercial, video at home", commercial, coding.Session{Place: coding.TelehealthHome}, want{"10", []string{"90834"}, []string{"95"}}, ""},
		{"commercial, video elsewhere", commercial, coding.Session{Place: coding.TelehealthOther}, want{"02", []string{"90834"}, []string{"95"}}, ""},
		{"commercial, phone at home", commercial, coding.Session{Place: coding.TelehealthHome, AudioOnly: true}, want{"10", []string{"90834"}, []string{"93"}}, ""},
		{"commercial, CMHC office", commercial, coding.Session{Place: coding.Office, CMHC: true}, want{"53", []string{"90834"}, nil}, ""},
		{"commercial, CMHC video at home", commercial, coding.Session{Place: coding.TelehealthHome, CMHC: true}, want{"10", []string{"90834"}, []string{"95"}}, ""},
		{"commercial, 90785 carries the modifier too", commercial, coding.Session{Place: coding.TelehealthHome, InteractiveComplexity: true}, want{"10", []string{"90834", "90785"}, []string{"95"}}, ""},
		{"medicaid, office, LCSW", medicaid, coding.Session{Place: coding.Office, Licence: "LCSW"}, want{"11", []string{"90834"}, []string{"AJ"}}, ""},
		{"medicaid, video at home, LPC", medicaid, coding.Session{Place: coding.TelehealthHome, Licence: "LPC"}, want{"11", []string{"90834"}, []string{"HO", "GT"}}, ""},
		{"medicaid, video elsewhere, CMHC, PsyD", medicaid, coding.Session{Place: coding.TelehealthOther, CMHC: true, Licence: "PsyD"}, want{"53", []string{"90834"}, []string{"GT"}}, ""},
		{"medicaid refuses audio-only", medicaid, coding.Session{Place: coding.TelehealthHome, AudioOnly: true}, want{}, coding.NotCovered},
		{"EAP, office", eap, coding.Session{Place: coding.Office}, want{"11", []string{"99404"}, []string{"HJ"}}, ""},
		{"EAP, video at home", eap, coding.Session{Place: coding.TelehealthHome}, want{"10", []string{"99404"}, []string{"HJ", "95"}}, ""},
		{"EAP, intake keeps its CPT code", eap, coding.Session{Kind: coding.Evaluation, Place: coding.Office}, want{"11", []string{"90791"}, []string{"HJ"}}, ""},
		{"EAP, phone: no audio modifier set", eap, coding.Session{Place: coding.TelehealthOther, AudioOnly: true}, want{"02", []string{"99404"}, []string{"HJ"}}, ""},
		{"FQHC, phone at home", fqhc, coding.Session{Place: coding.TelehealthHome, AudioOnly: true}, want{"10", []string{"90834"}, []string{"FQ"}}, ""},
		{"FQHC, video elsewhere", fqhc, coding.Session{Place: coding.TelehealthOther}, want{"02", []string{"90834"}, []string{"95"}}, ""},
		{"no payer rules, video", office, coding.Session{Place: coding.TelehealthHome}, want{"10", []string{"90834"}, nil}, ""},
		{"audio-only in the office is a mistake", commercial, coding.Session{Place: coding.Office, AudioOnly: true}, want{}, coding.UnknownPlace},
		{"no place", commercial, coding.Session{}, want{}, coding.UnknownPlace},
		{"five modifiers", coding.PayerRules{VideoModifier: "95", LineModifiers: []string{"HJ", "U1", "U2", "U3"}}, coding.Session{Place: coding.TelehealthHome}, want{}, coding.TooManyModifiers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.s.Kind == "" {
				tt.s.Kind = coding.Psychotherapy
			}
			tt.s.Minutes = 45
			got, err := coding.Code(tt.s, tt.payer)
			if tt.fail != "" {
				if reasonOf(err) != tt.fail {
					t.Fatalf("got %+v, %v; want %s", got, err, tt.fail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.POS != tt.want.pos {
				t.Errorf("POS %q, want %q", got.POS, tt.want.pos)
			}
			var codes []string
			for _, l := range got.Lines {
				codes = append(codes, l.Code)
				if len(l.Modifiers) != len(tt.want.mods) || (len(l.Modifiers) > 0 && !reflect.DeepEqual(l.Modifiers, tt.want.mods)) {
					t.Errorf("%s modifiers %v, want %v", l.Code, l.Modifiers, tt.want.mods)
				}
			}
			if !reflect.DeepEqual(codes, tt.want.codes) {
				t.Errorf("codes %v, want %v", codes, tt.want.codes)
			}
		})
	}
}

// The result's modifiers are each line's own: changing one line's list
// does not change another's (the service may add a line-level modifier).
func TestLinesDoNotShareModifiers(t *testing.T) {
	got, err := coding.Code(coding.Session{Kind: coding.Psychotherapy, Minutes: 45, Place: coding.TelehealthHome, InteractiveComplexity: true}, commercial)
	if err != nil {
		t.Fatal(err)
	}
	got.Lines[0].Modifiers[0] = "XX"
	if got.Lines[1].Modifiers[0] != "95" {
		t.Error("two lines share one modifier slice")
	}
}

func TestCheckLinesForOverrides(t *testing.T) {
	L := func(codes ...string) []coding.Line {
		var out []coding.Line
		for _, c := range codes {
			out = append(out, coding.Line{Code: c, Units: 1})
		}
		return out
	}
	tests := []struct {
		name  string
		lines []coding.Line
		want  coding.Reason
	}{
		{"90834 alone", L("90834"), ""},
		{"90837 with 90785", L("90837", "90785"), ""},
		{"90791 with 90785", L("90791", "90785"), ""},
		{"90792 with 90785", L("90792", "90785"), ""},
		{"90832 with 90785", L("90832", "90785"), ""},
		{"90853 with 90785", L("90853", "90785"), ""},
		{"E/M with 90833 and 90785", L("99213", "90833", "90785"), ""},
		{"E/M with 90836 and 90785", L("99214", "90836", "90785"), ""},
		{"E/M with 90838 and 90785", L("99215", "90838", "90785"), ""},
		{"90839 with two 90840", []coding.Line{{Code: "90839", Units: 1}, {Code: "90840", Units: 2}}, ""},
		{"90785 alone", L("90785"), coding.NoParent},
		{"90785 with 90839", L("90839", "90785"), coding.NoParent},
		{"90785 with 90839 and 90840", L("90839", "90840", "90785"), coding.NoParent},
		{"90785 with 90846", L("90846", "90785"), coding.NoParent},
		{"90785 with 90847", L("90847", "90785"), coding.NoParent},
		{"90785 with an E/M alone", L("99214", "90785"), coding.NoParent},
		{"90840 without 90839", L("90840"), coding.NoParent},
		{"90833 without an E/M", L("90833"), coding.NoParent},
		{"90836 with 90834, no E/M", L("90834", "90836"), coding.NoParent},
		{"summed 90837 + 90832", L("90837", "90832"), coding.SummedCodes},
		{"summed 90834 + 90834", L("90834", "90834"), coding.SummedCodes},
		{"90839 with 90837", L("90839", "90837"), coding.SummedCodes},
		{"E/M with two add-ons", L("99214", "90833", "90836"), coding.SummedCodes},
		{"a typo", L("90843"), coding.UnknownCode},
		{"nothing", nil, coding.UnknownCode},
		{"two units of 90834", []coding.Line{{Code: "90834", Units: 2}}, coding.MinutesMismatch},
		{"zero units", []coding.Line{{Code: "90834", Units: 0}}, coding.MinutesMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := coding.CheckLines(tt.lines)
			if reasonOf(err) != tt.want || (tt.want == "") != (err == nil) {
				t.Fatalf("got %v (%s), want %q", err, reasonOf(err), tt.want)
			}
		})
	}
}

func TestCheckMinutes(t *testing.T) {
	L := func(code string, units int) coding.Line { return coding.Line{Code: code, Units: units} }
	tests := []struct {
		lines   []coding.Line
		minutes int
		ok      bool
	}{
		{[]coding.Line{L("90832", 1)}, 15, false},
		{[]coding.Line{L("90832", 1)}, 16, true},
		{[]coding.Line{L("90832", 1)}, 37, true},
		{[]coding.Line{L("90832", 1)}, 38, false},
		{[]coding.Line{L("90834", 1)}, 37, false},
		{[]coding.Line{L("90834", 1)}, 38, true},
		{[]coding.Line{L("90834", 1)}, 52, true},
		{[]coding.Line{L("90834", 1)}, 53, false},
		{[]coding.Line{L("90837", 1)}, 52, false},
		{[]coding.Line{L("90837", 1)}, 53, true},
		{[]coding.Line{L("99214", 1), L("90836", 1)}, 37, false},
		{[]coding.Line{L("99214", 1), L("90836", 1)}, 38, true},
		{[]coding.Line{L("90847", 1)}, 25, false},
		{[]coding.Line{L("90847", 1)}, 26, true},
		{[]coding.Line{L("90846", 1)}, 25, false},
		{[]coding.Line{L("90839", 1)}, 29, false},
		{[]coding.Line{L("90839", 1)}, 30, true},
		{[]coding.Line{L("90839", 1)}, 74, true},
		{[]coding.Line{L("90839", 1)}, 75, false}, // owes a 90840
		{[]coding.Line{L("90839", 1), L("90840", 1)}, 74, false},
		{[]coding.Line{L("90839", 1), L("90840", 1)}, 75, true},
		{[]coding.Line{L("90839", 1), L("90840", 1)}, 104, true},
		{[]coding.Line{L("90839", 1), L("90840", 1)}, 105, false},
		{[]coding.Line{L("90839", 1), L("90840", 2)}, 105, true},
		{[]coding.Line{L("90853", 1)}, 5, true},
		{[]coding.Line{L("90791", 1)}, 20, true},
	}
	for _, tt := range tests {
		err := coding.CheckMinutes(tt.lines, tt.minutes)
		if (err == nil) != tt.ok || (err != nil && reasonOf(err) != coding.MinutesMismatch) {
			t.Errorf("%v at %d minutes: %v, want ok=%v", tt.lines, tt.minutes, err, tt.ok)
		}
	}
}

func TestDescribe(t *testing.T) {
	if w, ok := coding.Describe("90837"); !ok || !strings.Contains(w, "60 minutes") {
		t.Errorf("90837: %q %v", w, ok)
	}
	if _, ok := coding.Describe("99404"); ok {
		t.Error("99404 is a payer's code, not one this package describes")
	}
	if !coding.IsAddOn("90785") || !coding.IsAddOn("90840") || !coding.IsAddOn("90833") || coding.IsAddOn("90834") {
		t.Error("IsAddOn is wrong")
	}
}

// Coding a session for every payer and kind never leaves an add-on
// without its parent: whatever Code returns, CheckLines accepts (before
// the payer's code map).
func TestCodeOutputPassesCheckLines(t *testing.T) {
	kinds := []coding.Kind{coding.Psychotherapy, coding.Evaluation, coding.EvaluationMedical, coding.Family, coding.FamilyWithPatient, coding.Group, coding.Crisis, coding.MedicationManagement}
	for _, k := range kinds {
		for m := 0; m <= 200; m++ {
			for _, ic := range []bool{false, true} {
				s := coding.Session{Kind: k, Minutes: m, Place: coding.Office, Prescriber: true, EMCode: "99214", InteractiveComplexity: ic}
				got, err := coding.Code(s, office)
				if err != nil {
					continue
				}
				if err := coding.CheckLines(got.Lines); err != nil {
					t.Fatalf("%s %d min (90785 %v): Code gave %v, CheckLines says %v", k, m, ic, codesOf(got), err)
				}
				if err := coding.CheckMinutes(got.Lines, m); err != nil {
					t.Fatalf("%s %d min: Code gave %v, CheckMinutes says %v", k, m, codesOf(got), err)
				}
			}
		}
	}
}
