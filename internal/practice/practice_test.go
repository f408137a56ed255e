package practice_test

import (
	"errors"
	"testing"

	"quietdesk/internal/practice"
)

func TestValidNPI(t *testing.T) {
	for npi, want := range map[string]bool{
		"1234567893": true,  // the CMS example
		"1245319599": true,  // a published NPI
		"1234567890": false, // wrong check digit
		"123456789":  false,
		"12345678a3": false,
		"":           false,
	} {
		if got := practice.ValidNPI(npi); got != want {
			t.Errorf("ValidNPI(%q) = %v, want %v", npi, got, want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, want := range map[string]bool{
		"short":                        false,
		"password1234567":              false,
		"aaaaaaaaaaaaaaaaaaaaaaaa":     false,
		"Maple-Harbor-7-Lantern":       true,
		"correct horse battery staple": true,
		"olivia.owner2026":             false, // built on the username
	} {
		if got := practice.CheckPassword(pw, "olivia.owner", "Olivia Owner").Acceptable; got != want {
			t.Errorf("CheckPassword(%q).Acceptable = %v, want %v", pw, got, want)
		}
	}
}

// An error that is not an *Error never claims that nothing was changed:
// nobody checked.
func TestGenericMessageClaimsNothing(t *testing.T) {
	got := practice.ErrorMessage(errors.New("disk I/O error"))
	if got != "Something went wrong; the details are in the log. Please try again, and contact support if it happens again." {
		t.Fatalf("generic message %q", got)
	}
}
