package practice

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// LoginDelay is how long a login waits after failures wrong passwords in a
// row: none after none, then 0.5 s doubling to 30 s. The window counts in
// memory; the command line counts the failures recorded in the database.
func LoginDelay(failures int) time.Duration {
	if failures <= 0 {
		return 0
	}
	return min(500*time.Millisecond<<min(failures-1, 10), 30*time.Second)
}

// PasswordStrength is the verdict shown beside a new password as it is typed.
// The same function gates account creation, so the meter and the rule agree.
type PasswordStrength struct {
	Score      int    `json:"score"` // 0 (unusable) … 4 (strong)
	Acceptable bool   `json:"acceptable"`
	Hint       string `json:"hint"`
}

// commonPasswords are refused whatever their length; the list covers the
// patterns seen most in breached credential dumps for healthcare staff.
var commonPasswords = []string{
	"password", "passw0rd", "123456", "qwerty", "letmein", "welcome", "iloveyou",
	"admin", "abc123", "monkey", "dragon", "sunshine", "princess", "football",
	"therapy", "counseling", "practice", "quietdesk", "changeme", "summer", "winter",
}

// CheckPassword rates pw. personal holds words the password must not be
// built on (username, display name, practice name).
func CheckPassword(pw string, personal ...string) PasswordStrength {
	n := utf8.RuneCountInString(pw)
	if n < 12 {
		return PasswordStrength{Score: 0, Hint: "Use at least 12 characters; a few unrelated words work well."}
	}
	if n > 256 {
		return PasswordStrength{Score: 0, Hint: "Use at most 256 characters."}
	}
	lower := strings.ToLower(pw)
	for _, c := range commonPasswords {
		if strings.Contains(lower, c) && n < len(c)+8 {
			return PasswordStrength{Score: 1, Hint: "This is built on a very common password; add unrelated words."}
		}
	}
	for _, w := range personal {
		w = strings.ToLower(strings.TrimSpace(w))
		if len(w) >= 3 && strings.Contains(lower, w) && n < len(w)+8 {
			return PasswordStrength{Score: 1, Hint: "Do not build the password on your name or the practice's."}
		}
	}
	var classes [4]bool
	distinct := map[rune]bool{}
	for _, r := range pw {
		distinct[r] = true
		switch {
		case unicode.IsLower(r):
			classes[0] = true
		case unicode.IsUpper(r):
			classes[1] = true
		case unicode.IsDigit(r):
			classes[2] = true
		default:
			classes[3] = true
		}
	}
	kinds := 0
	for _, c := range classes {
		if c {
			kinds++
		}
	}
	if len(distinct) < 6 {
		return PasswordStrength{Score: 1, Hint: "Too many repeated characters."}
	}
	switch {
	case n >= 20 || (n >= 16 && kinds >= 2):
		return PasswordStrength{Score: 4, Acceptable: true, Hint: "Strong."}
	case n >= 14 && kinds >= 3:
		return PasswordStrength{Score: 3, Acceptable: true, Hint: "Good."}
	case kinds >= 3:
		return PasswordStrength{Score: 2, Acceptable: true, Hint: "Acceptable; a longer passphrase is stronger."}
	default:
		return PasswordStrength{Score: 1, Hint: "Mix in upper case, digits or symbols, or make it 16+ characters."}
	}
}
