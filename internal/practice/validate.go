package practice

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field length limits. Generous for real data, small enough that a pasted
// document is refused with a message instead of stored.
const (
	MaxName  = 100
	MaxShort = 200
	MaxText  = 2000
)

// checkText validates a free-text field: trimmed by the caller, within max
// runes, valid UTF-8 and free of control characters (which would corrupt CSV,
// X12 and PDF output later).
func checkText(p Problems, field, value string, max int, required bool) {
	switch {
	case value == "" && required:
		p.Add(field, "This field is required.")
	case !utf8.ValidString(value):
		p.Add(field, "Contains characters that are not valid text.")
	case utf8.RuneCountInString(value) > max:
		p.Add(field, "Too long: at most "+strconv.Itoa(max)+" characters.")
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		p.Add(field, "Contains invisible control characters; please retype it.")
	}
}

// DateProblem says why value is not a YYYY-MM-DD date: a day its month
// does not have ("There is no 30 February 2001.") or a month that does not
// exist is named, anything else gets the expected form and example.
func DateProblem(value, example string) string {
	var y, m, d int
	parts := strings.Split(value, "-")
	if len(parts) == 3 && len(parts[0]) == 4 && len(parts[1]) == 2 && len(parts[2]) == 2 {
		y, _ = strconv.Atoi(parts[0])
		m, _ = strconv.Atoi(parts[1])
		d, _ = strconv.Atoi(parts[2])
	}
	switch {
	case y == 0:
	case m < 1 || m > 12:
		return "There is no month " + parts[1] + "; months run from 01 to 12."
	case d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day():
		return "There is no " + strconv.Itoa(d) + " " + time.Month(m).String() + " " + parts[0] + "."
	}
	return "Not a real date; use YYYY-MM-DD, " + example + "."
}

// checkDate validates an optional YYYY-MM-DD date that must not lie in the
// future (dates of birth) and must be after 1900.
func checkPastDate(p Problems, field, value string, required bool, today time.Time) {
	if value == "" {
		if required {
			p.Add(field, "This field is required.")
		}
		return
	}
	d, err := time.Parse(time.DateOnly, value)
	if err != nil {
		p.Add(field, DateProblem(value, "e.g. 1984-03-27"))
		return
	}
	if d.Year() < 1900 {
		p.Add(field, "Dates before 1900 are not accepted.")
		return
	}
	if d.After(today) {
		p.Add(field, "This date is in the future.")
	}
}

// checkPhone accepts North American numbers written any common way.
func checkPhone(p Problems, field, value string, required bool) {
	if value == "" {
		if required {
			p.Add(field, "This field is required.")
		}
		return
	}
	checkText(p, field, value, 40, false)
	digits := 0
	for _, r := range value {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" ()-.+x", r):
		default:
			p.Add(field, "A phone number may contain only digits, spaces and ( ) - . +")
			return
		}
	}
	if digits < 10 || digits > 15 {
		p.Add(field, "A phone number needs 10 digits, e.g. (555) 201-3344.")
	}
}

func checkEmail(p Problems, field, value string, required bool) {
	if value == "" {
		if required {
			p.Add(field, "This field is required.")
		}
		return
	}
	checkText(p, field, value, MaxShort, false)
	a, err := mail.ParseAddress(value)
	if err != nil || a.Address != value || !strings.Contains(value[strings.LastIndexByte(value, '@')+1:], ".") {
		p.Add(field, "Not an e-mail address, e.g. name@example.com.")
	}
}

// ValidNPI reports whether npi is a 10-digit National Provider Identifier
// whose last digit is the Luhn check digit computed with the 80840 prefix.
func ValidNPI(npi string) bool {
	if len(npi) != 10 {
		return false
	}
	sum := 24 // the Luhn contribution of the "80840" prefix
	for i := 8; i >= 0; i-- {
		c := npi[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (8-i)%2 == 0 { // double every other digit, starting right of the check digit
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	last := npi[9]
	if last < '0' || last > '9' {
		return false
	}
	return (10-sum%10)%10 == int(last-'0')
}

func checkNPI(p Problems, field, value string, required bool) {
	if value == "" {
		if required {
			p.Add(field, "This field is required.")
		}
		return
	}
	if len(value) != 10 || strings.IndexFunc(value, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		p.Add(field, "An NPI is exactly 10 digits.")
		return
	}
	if !ValidNPI(value) {
		p.Add(field, "This NPI's check digit is wrong; please check for a typo.")
	}
}

func checkAddress(p Problems, prefix string, a Address) {
	checkText(p, prefix+"line1", a.Line1, MaxShort, false)
	checkText(p, prefix+"line2", a.Line2, MaxShort, false)
	checkText(p, prefix+"city", a.City, MaxName, false)
	if a.State != "" && (len(a.State) != 2 || strings.ToUpper(a.State) != a.State || strings.IndexFunc(a.State, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0) {
		p.Add(prefix+"state", "Use the two-letter state code, e.g. OR.")
	}
	if a.Zip != "" {
		digits := strings.ReplaceAll(a.Zip, "-", "")
		if (len(digits) != 5 && len(digits) != 9) || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			p.Add(prefix+"zip", "A ZIP code is 5 digits (or ZIP+4).")
		}
	}
}

func checkList(p Problems, field string, values []string) {
	if len(values) > 30 {
		p.Add(field, "At most 30 entries.")
	}
	for _, v := range values {
		checkText(p, field, v, MaxName, true)
	}
}

// Trim trims surrounding white space from every string it is given.
func Trim(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}

func trimList(list []string) []string {
	out := list[:0]
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// CheckFileName validates the name a file came with, kept sealed beside an
// attached document. Errors: EInvalid, against field.
func CheckFileName(field, name string) error {
	p := Problems{}
	checkText(p, field, name, MaxShort, true)
	return p.Err()
}
