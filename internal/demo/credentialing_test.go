package demo_test

import (
	"context"
	"testing"

	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestDemoCredentialing: every demo clinician has a licence, a CAQH
// profile and malpractice cover (prescribers a DEA registration); a
// licence and a malpractice policy expire within 30 days, one CAQH
// attestation is overdue, one clinician's applications are all in
// process, and sessions already booked with them are what the booking
// guard warns about (the lapse estimate counts them).
func TestDemoCredentialing(t *testing.T) {
	_, db, _ := newDemo(t, 1)
	err := db.View(context.Background(), func(tx *store.Tx) error {
		clinicians, err := tx.Clinicians()
		if err != nil {
			return err
		}
		o, err := credentialing.Dashboard(tx, practice.Actor{})
		if err != nil {
			return err
		}
		kinds := map[string]map[practice.CredentialKind]bool{}
		for _, c := range o.Credentials {
			if kinds[c.ClinicianID] == nil {
				kinds[c.ClinicianID] = map[practice.CredentialKind]bool{}
			}
			kinds[c.ClinicianID][c.Kind] = true
		}
		for _, c := range clinicians {
			k := kinds[c.ID]
			if !k[practice.CredLicence] || !k[practice.CredCAQH] || !k[practice.CredMalpractice] || c.Prescriber != k[practice.CredDEA] {
				t.Errorf("%s %s has %v", c.FirstName, c.LastName, k)
			}
		}
		soon := map[string]int{}
		for _, d := range o.Deadlines {
			if d.Band == credentialing.Band30 {
				soon[d.Kind]++
			}
			if d.Band == credentialing.BandExpired || d.Band == credentialing.BandOverdue {
				soon[d.Kind+" past"]++
			}
		}
		if soon["licence"] < 1 || soon["malpractice"] < 1 || soon["caqh past"] != 1 || soon["follow_up past"] < 1 {
			t.Errorf("deadlines by kind and band %v; want a licence and a malpractice policy within 30 days, one overdue CAQH, overdue follow-ups", soon)
		}
		inProcess := map[string]int{}
		for _, e := range o.Enrollments {
			if e.Status == practice.EnrollInProcess {
				inProcess[e.ClinicianID]++
			}
		}
		var newHire string
		for id, n := range inProcess {
			if n == len(o.Payers) {
				newHire = id
			}
		}
		if newHire == "" {
			t.Fatalf("no clinician with every application in process: %v", inProcess)
		}
		warned := 0
		for _, l := range o.Lapses {
			if l.ClinicianID == newHire {
				warned += l.Sessions
			}
		}
		if warned == 0 {
			t.Errorf("no booked session of the new hire is out of network: lapses %+v", o.Lapses)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
