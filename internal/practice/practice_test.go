package practice_test

import (
	"errors"
	"testing"
	"time"

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

// TestImpossibleDatesAreNamed: an impossible date of birth says what is
// impossible about it, not that the field is empty.
func TestImpossibleDatesAreNamed(t *testing.T) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ dob, want string }{
		{"2001-02-30", "There is no 30 February 2001."},
		{"2001-02-29", "There is no 29 February 2001."},
		{"2000-02-29", ""}, // a leap year
		{"1999-04-31", "There is no 31 April 1999."},
		{"1999-13-01", "There is no month 13; months run from 01 to 12."},
		{"1999-00-10", "There is no month 00; months run from 01 to 12."},
		{"1999-12-00", "There is no 0 December 1999."},
		{"30/02/2001", "Not a real date; use YYYY-MM-DD, e.g. 1984-03-27."},
		{"2027-01-01", "This date is in the future."},
		{"", "This field is required."},
	} {
		t.Run(tc.dob, func(t *testing.T) {
			pt := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Test", LastName: "Person", DOB: tc.dob}}
			err := pt.Validate(today)
			var got string
			var e *practice.Error
			if errors.As(err, &e) {
				got = e.Fields["identity.dob"]
			}
			if got != tc.want {
				t.Fatalf("dob %q: %q, want %q", tc.dob, got, tc.want)
			}
		})
	}
}
