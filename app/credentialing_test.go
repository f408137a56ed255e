package app_test

import (
	"strings"
	"testing"

	"quietdesk/app"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
)

// TestCredentialingBadInput submits the credentialing forms with an expiry
// before the issue date, an unknown state, a 10,000-character note and a
// DEA number with a wrong check digit: each gets its own message on its
// field, and nothing is written.
func TestCredentialingBadInput(t *testing.T) {
	e := newEnv(t)
	clin, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Cleo", LastName: "Park", Prescriber: true, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	payer, err := e.Practice.SavePayer(practice.Payer{Name: "Evergreen Health", Kind: practice.PayerInsurance, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	licence := practice.Credential{ClinicianID: clin.ID, Kind: practice.CredLicence, State: "OR", Type: "LCSW", Number: "C-1",
		Issued: "2025-02-01", Expires: "2027-01-31"}
	tests := []struct {
		name, field, msg string
		submit           func() error
	}{
		{"ExpiryBeforeIssue", "expires", "The expiry date is before the issue date.", func() error {
			c := licence
			c.Expires = "2024-12-31"
			_, err := e.Credentialing.SaveCredential(c)
			return err
		}},
		{"UnknownState", "state", `Unknown state "XX"; use a two-letter US state code, e.g. OR.`, func() error {
			c := licence
			c.State = "XX"
			_, err := e.Credentialing.SaveCredential(c)
			return err
		}},
		{"LongNoteOnACredential", "notes", "Too long: at most 2000 characters.", func() error {
			c := licence
			c.Notes = strings.Repeat("é", 10000)
			_, err := e.Credentialing.SaveCredential(c)
			return err
		}},
		{"LongFollowUpNote", "note", "Too long: at most 2000 characters.", func() error {
			_, err := e.Credentialing.RecordEnrollment(credentialing.EnrollmentChange{Enrollment: practice.Enrollment{
				ClinicianID: clin.ID, PayerID: payer.ID, Status: practice.EnrollSent}, Note: strings.Repeat("n", 10000)})
			return err
		}},
		{"BadDEACheckDigit", "number", "This DEA number's check digit is wrong; please check for a typo.", func() error {
			_, err := e.Credentialing.SaveCredential(practice.Credential{ClinicianID: clin.ID, Kind: practice.CredDEA, State: "OR",
				Number: "bp1234567", Expires: "2028-01-31"})
			return err
		}},
		{"CAQHCycleOutOfRange", "caqhDays", "Choose a cycle between 30 and 365 days, or 0 for the state's rule.", func() error {
			_, err := e.Credentialing.SaveSettings(practice.CredentialingSettings{CAQHDays: 7})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := changeCount(t, e.Dir)
			pe := uiError(t, tt.submit())
			if pe == nil || pe.Code != practice.EInvalid || pe.Fields[tt.field] != tt.msg {
				t.Fatalf("got %+v; want invalid with %s: %q", pe, tt.field, tt.msg)
			}
			if after := changeCount(t, e.Dir); after != before {
				t.Fatalf("%d change records after refused input, want %d", after, before)
			}
		})
	}
	o, err := e.Credentialing.Overview()
	if err != nil || len(o.Credentials) != 0 || len(o.Enrollments) != 0 {
		t.Fatalf("after refused input the overview holds %+v, %v", o, err)
	}
}

// TestClinicianSeesOwnCredentials: a clinician's overview and history hold
// their own credentials, deadlines and enrollments only, and their
// "Needs action" list their own deadlines.
func TestClinicianSeesOwnCredentials(t *testing.T) {
	e := newEnv(t)
	cleo, dev := e.twoClinicians(t)
	payer, err := e.Practice.SavePayer(practice.Payer{Name: "Evergreen Health", Kind: practice.PayerInsurance, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	// The test clock says 2026-03-09: both licences expire within 30 days.
	for _, c := range []practice.Clinician{cleo, dev} {
		if _, err := e.Credentialing.SaveCredential(practice.Credential{ClinicianID: c.ID, Kind: practice.CredLicence, State: "OR",
			Type: "LPC", Number: "L-" + c.FirstName, Issued: "2024-04-01", Expires: "2026-04-01"}); err != nil {
			t.Fatal(err)
		}
	}
	devEnrollment, err := e.Credentialing.RecordEnrollment(credentialing.EnrollmentChange{Enrollment: practice.Enrollment{
		ClinicianID: dev.ID, PayerID: payer.ID, Status: practice.EnrollInProcess}, Note: "Submitted"})
	if err != nil {
		t.Fatal(err)
	}
	e.signInAsClinician(t, "cleo", cleo.ID)
	o, err := e.Credentialing.Overview()
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Credentials) != 1 || o.Credentials[0].Number != "L-Cleo" || len(o.Deadlines) != 1 || o.Deadlines[0].ClinicianID != cleo.ID ||
		len(o.Enrollments) != 0 || len(o.Clinicians) != 1 {
		t.Fatalf("Cleo's overview %+v; want her own licence and its deadline only", o)
	}
	if _, err := e.Credentialing.History(devEnrollment.ID); codeOf(t, err) != practice.EForbidden {
		t.Errorf("Cleo reading Dev's enrollment history: %v, want forbidden", err)
	}
	mine, err := app.NewAlerts(e.Core).Mine()
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].ID != o.Credentials[0].ID || !strings.HasPrefix(mine[0].Title, "Cleo Park's OR LPC licence expires 1 Apr 2026") {
		t.Errorf("Cleo's alerts %+v; want her own licence's", mine)
	}
}
