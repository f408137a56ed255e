// Package npi checks National Provider Identifiers the way NPPES makes
// them: ten digits, the first 1 or 2, the last a Luhn check digit computed
// over the nine before it prefixed with 80840 (the ISO health-industry
// issuer prefix for the United States). A typo in an NPI is the commonest
// reason a clearinghouse rejects a whole claim file, so the billing setup
// and the scrubber both ask here and say which rule failed.
package npi

import "fmt"

// Reason is which rule an NPI breaks.
type Reason string

const (
	Empty      Reason = "empty"
	Length     Reason = "length"      // not ten characters
	NotDigits  Reason = "not-digits"  // something other than 0–9
	FirstDigit Reason = "first-digit" // NPIs start with 1 or 2
	CheckDigit Reason = "check-digit" // the last digit does not match
)

// Error says why an NPI was refused, in words a biller can act on.
type Error struct {
	Reason  Reason
	Message string
}

func (e *Error) Error() string { return e.Message }

// prefixSum is the Luhn contribution of "80840" ahead of the nine digits:
// counted from the right of the 14-digit number, its digits fall on the
// undoubled, doubled, undoubled, doubled, undoubled positions:
// 8 + (0·2) + 8 + (4·2) + 0 = 24.
const prefixSum = 24

// Check returns nil for a valid NPI and an *Error saying which rule
// failed otherwise.
func Check(s string) error {
	switch {
	case s == "":
		return &Error{Empty, "The NPI is missing."}
	case len(s) != 10:
		return &Error{Length, fmt.Sprintf("An NPI is exactly 10 digits; this has %d characters.", len(s))}
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return &Error{NotDigits, "An NPI holds digits only."}
		}
	}
	if s[0] != '1' && s[0] != '2' {
		return &Error{FirstDigit, "An NPI starts with 1 (a person) or 2 (an organization)."}
	}
	d, _ := Digit(s[:9]) // nine digits, checked above
	if s[9] != d {
		return &Error{CheckDigit, "This NPI's check digit is wrong; please check it for a typo."}
	}
	return nil
}

// Valid reports whether s is a valid NPI.
func Valid(s string) bool { return Check(s) == nil }

// Digit is the check digit ('0'–'9') for the first nine digits of an NPI:
// for demo data, and for a test that must make a valid number.
func Digit(first9 string) (byte, error) {
	if len(first9) != 9 {
		return 0, &Error{Length, "The check digit is computed over 9 digits."}
	}
	sum := prefixSum
	for i := 0; i < 9; i++ {
		c := first9[i]
		if c < '0' || c > '9' {
			return 0, &Error{NotDigits, "An NPI holds digits only."}
		}
		d := int(c - '0')
		// The check digit will be rightmost, so from the right the ninth
		// digit is second: doubled. Even indexes (0, 2, …, 8) are doubled.
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10), nil
}
