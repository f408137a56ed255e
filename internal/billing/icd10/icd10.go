// Package icd10 checks that a diagnosis code is shaped like an ICD-10-CM
// code, writes it one way (upper case, the dot after the category), and
// offers a short hand-curated list of codes a mental-health practice uses
// for a picker.
//
// It does not hold the whole code set (about 74,000 codes that change
// every 1 October). A well-formed code that is not on the list is accepted
// with a warning, since a clinician may rightly use one; a malformed code
// is refused with the rule it breaks; a category that has codes under it
// on the list (F32, F43.2) is refused, because payers deny a claim that
// stops short of a complete code.
package icd10

import (
	"fmt"
	"sort"
	"strings"
)

// Reason is why a code was refused.
type Reason string

const (
	Empty        Reason = "empty"
	FirstLetter  Reason = "first-letter"  // must start with a letter
	SecondDigit  Reason = "second-digit"  // the second character is a digit
	ThirdChar    Reason = "third-char"    // the third is a letter or digit
	DotPlace     Reason = "dot-place"     // the dot goes after the third character
	TooLong      Reason = "too-long"      // at most four characters after the dot
	BadCharacter Reason = "bad-character" // something other than a letter, digit or one dot
	Incomplete   Reason = "incomplete"    // a category with codes under it
)

// Error is a refused code with a message naming the rule.
type Error struct {
	Reason  Reason
	Message string
}

func (e *Error) Error() string { return e.Message }

// Result is a code that may be used.
type Result struct {
	Code string `json:"code"` // normalized: F43.10
	// Description is the list's words; "" for a code not on it.
	Description string `json:"description"`
	// Warning is set for a well-formed code not on the list.
	Warning string `json:"warning"`
}

// Check normalizes and checks one code.
//
// Errors are *Error, one Reason per rule: Empty, FirstLetter, SecondDigit,
// ThirdChar, DotPlace, TooLong, BadCharacter, Incomplete.
func Check(s string) (Result, error) {
	code, err := Normalize(s)
	if err != nil {
		return Result{}, err
	}
	if d, ok := common[code]; ok {
		return Result{Code: code, Description: d}, nil
	}
	if sub := subcodes(code); len(sub) > 0 {
		return Result{}, &Error{Incomplete, fmt.Sprintf("%s is a category, not a complete code; choose one of %s.", code, strings.Join(sub, ", "))}
	}
	return Result{Code: code, Warning: fmt.Sprintf("%s is not on Quietdesk's list of common codes; check that it is a complete, current ICD-10-CM code.", code)}, nil
}

// Normalize writes a code the one way Quietdesk stores it: spaces trimmed,
// upper case, a dot after the third character when more follow (F4310 and
// f43.10 are both F43.10). It checks the shape only.
func Normalize(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", &Error{Empty, "The diagnosis code is missing."}
	}
	// Characters first: the dot's place is counted in bytes, which is
	// right only once every character is ASCII.
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.') {
			return "", &Error{BadCharacter, fmt.Sprintf("%q is not allowed in a diagnosis code: only letters, digits and one dot.", r)}
		}
	}
	if strings.Count(s, ".") > 1 {
		return "", &Error{BadCharacter, "A diagnosis code holds one dot at most, as in F43.10."}
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if i != 3 {
			return "", &Error{DotPlace, fmt.Sprintf("In %s the dot is misplaced: it goes after the third character, as in F41.1.", s)}
		}
		s = s[:3] + s[4:]
		if len(s) == 3 {
			return "", &Error{DotPlace, "A dot must be followed by at least one character, as in F41.1."}
		}
	}
	switch {
	case s[0] < 'A' || s[0] > 'Z':
		return "", &Error{FirstLetter, "An ICD-10-CM code starts with a letter, as in F41.1."}
	case len(s) < 3:
		return "", &Error{ThirdChar, "An ICD-10-CM code has at least three characters, as in F39."}
	case s[1] < '0' || s[1] > '9':
		return "", &Error{SecondDigit, "The second character of an ICD-10-CM code is a digit, as in F41.1."}
	case len(s) > 7:
		return "", &Error{TooLong, "An ICD-10-CM code has at most four characters after the dot, as in F50.010."}
	}
	// The third character is a letter or digit: checked with the rest.
	if len(s) == 3 {
		return s, nil
	}
	return s[:3] + "." + s[3:], nil
}

// Undotted is a normalized code as X12 writes it (HI segments carry no
// dot): F43.10 is F4310.
func Undotted(code string) string { return strings.Replace(code, ".", "", 1) }

// Code is one entry of the picker's list.
type Code struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Common is the picker's list, sorted by code.
func Common() []Code {
	out := make([]Code, 0, len(common))
	for c, d := range common {
		out = append(out, Code{c, d})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// subcodes are the listed codes under a category, sorted.
func subcodes(category string) []string {
	var out []string
	for c := range common {
		if len(c) > len(category) && strings.HasPrefix(c, category) && (len(category) != 3 || c[3] == '.') {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
