package icd10_test

import (
	"errors"
	"strings"
	"testing"

	"quietdesk/internal/billing/icd10"
)

func reasonOf(err error) icd10.Reason {
	var e *icd10.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func TestCheck(t *testing.T) {
	tests := []struct {
		in, code string
		reason   icd10.Reason // refused
		warn     bool         // accepted with a warning
		words    string       // part of the description
	}{
		{in: "F41.1", code: "F41.1", words: "Generalized anxiety"},
		{in: "f41.1", code: "F41.1", words: "Generalized anxiety"},
		{in: " F411 ", code: "F41.1", words: "Generalized anxiety"},
		{in: "F4310", code: "F43.10", words: "Post-traumatic stress disorder, unspecified"},
		{in: "F43.12", code: "F43.12", words: "chronic"},
		{in: "F43.25", code: "F43.25", words: "emotions and conduct"},
		{in: "F32.A", code: "F32.A", words: "Depression, unspecified"},
		{in: "f32a", code: "F32.A", words: "Depression, unspecified"},
		{in: "F39", code: "F39", words: "mood"},
		{in: "Z63.0", code: "Z63.0", words: "spouse or partner"},
		{in: "Z71.9", code: "Z71.9", words: "Counseling"},
		{in: "F60.3", code: "F60.3", words: "Borderline"},
		// Well-formed, not on the list: accepted, with a warning.
		{in: "F50.810", code: "F50.810", warn: true},
		{in: "T74.11XA", code: "T74.11XA", warn: true}, // seven characters, the X placeholder
		{in: "G47.00", code: "G47.00", warn: true},
		{in: "F84.0", code: "F84.0", warn: true},
		{in: "U07.1", code: "U07.1", warn: true},
		// Categories with complete codes under them on the list.
		{in: "F32", reason: icd10.Incomplete},
		{in: "F43.2", reason: icd10.Incomplete},
		{in: "F431", reason: icd10.Incomplete},
		{in: "F90", reason: icd10.Incomplete},
		// Malformed.
		{in: "", reason: icd10.Empty},
		{in: "   ", reason: icd10.Empty},
		{in: "411.1", reason: icd10.FirstLetter},
		{in: "FF1.1", reason: icd10.SecondDigit},
		{in: "F4", reason: icd10.ThirdChar},
		{in: "F4-1", reason: icd10.BadCharacter},
		{in: "F4.11", reason: icd10.DotPlace},
		{in: "F411.1", reason: icd10.DotPlace},
		{in: "F41.", reason: icd10.DotPlace},
		{in: "F41.1.2", reason: icd10.BadCharacter},
		{in: "F41.12345", reason: icd10.TooLong},
		{in: "F4112345", reason: icd10.TooLong},
		{in: "F41,1", reason: icd10.BadCharacter},
		{in: "Ф41.1", reason: icd10.BadCharacter},
		{in: "296.32", reason: icd10.FirstLetter}, // an ICD-9 code
	}
	for _, tt := range tests {
		got, err := icd10.Check(tt.in)
		if tt.reason != "" {
			if reasonOf(err) != tt.reason {
				t.Errorf("%q: %+v, %v; want refused (%s)", tt.in, got, err, tt.reason)
			} else if err.Error() == "" {
				t.Errorf("%q: empty message", tt.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q refused: %v", tt.in, err)
			continue
		}
		if got.Code != tt.code {
			t.Errorf("%q normalized to %q, want %q", tt.in, got.Code, tt.code)
		}
		if (got.Warning != "") != tt.warn {
			t.Errorf("%q: warning %q, want warning=%v", tt.in, got.Warning, tt.warn)
		}
		if !strings.Contains(got.Description, tt.words) {
			t.Errorf("%q: description %q, want it to contain %q", tt.in, got.Description, tt.words)
		}
	}
}

func TestIncompleteNamesTheChoices(t *testing.T) {
	_, err := icd10.Check("F43.2")
	for _, want := range []string{"F43.20", "F43.21", "F43.25", "F43.29"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("F43.2's message %q does not offer %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "F43.10") {
		t.Errorf("F43.2's message offers a code from another category: %v", err)
	}
}

func TestUndotted(t *testing.T) {
	for in, want := range map[string]string{"F43.10": "F4310", "F39": "F39", "F32.A": "F32A", "T74.11XA": "T7411XA"} {
		if got := icd10.Undotted(in); got != want {
			t.Errorf("Undotted(%s) = %s, want %s", in, got, want)
		}
	}
}

// The picker's list holds what the brief asked for, every entry is itself
// accepted without a warning, and none is a category of another.
func TestCommonList(t *testing.T) {
	list := icd10.Common()
	have := map[string]bool{}
	for i, c := range list {
		have[c.Code] = true
		if i > 0 && list[i-1].Code >= c.Code {
			t.Errorf("not sorted at %s", c.Code)
		}
		got, err := icd10.Check(c.Code)
		if err != nil || got.Warning != "" || got.Code != c.Code || got.Description == "" {
			t.Errorf("%s from the list: %+v, %v", c.Code, got, err)
		}
		for _, other := range list {
			if other.Code != c.Code && strings.HasPrefix(other.Code, c.Code) {
				t.Errorf("%s is listed beside its subcode %s: a category is not billable", c.Code, other.Code)
			}
		}
	}
	for _, want := range []string{"F32.0", "F32.9", "F33.1", "F41.1", "F41.0", "F43.10", "F43.12",
		"F43.20", "F43.21", "F43.22", "F43.23", "F43.24", "F43.25", "F90.0", "F90.2", "F42.2", "F31.81",
		"F60.3", "F50.00", "Z63.0", "Z71.9"} {
		if !have[want] {
			t.Errorf("%s is missing from the list", want)
		}
	}
}
