package bench_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// twelvePayers brings a copy of the large demo (25 clinicians, 8 payers)
// to the 25 clinicians × 12 payers: four more payers, and an
// enrollment of every clinician with each, a follow-up date on each.
func twelvePayers(b *testing.B, db *store.DB) {
	b.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		clinicians, err := tx.Clinicians()
		if err != nil {
			return err
		}
		for i := range 4 {
			y := practice.Payer{Name: fmt.Sprintf("Bench Payer %d", i+1), Kind: practice.PayerInsurance, Active: true}
			if err := tx.SavePayer(&y); err != nil {
				return err
			}
			for j, c := range clinicians {
				e := practice.Enrollment{ClinicianID: c.ID, PayerID: y.ID, Status: practice.EnrollInProcess,
					FollowUpOn: tx.Now().AddDate(0, 0, j%40-10).Format(time.DateOnly)}
				if err := tx.SaveEnrollment(&e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCredentialingDeadlines computes every deadline of the practice
// (25 clinicians × 12 payers): reading all credentials and enrollments
// and applying the rules, as the alerts source does. Target < 20 ms.
func BenchmarkCredentialingDeadlines(b *testing.B) {
	_, db := loggedIn(b, true)
	twelvePayers(b, db)
	var took []time.Duration
	var deadlines, clinicians, payers int
	b.ResetTimer()
	for range b.N {
		for range 50 {
			t := time.Now()
			err := db.View(context.Background(), func(tx *store.Tx) error {
				creds, err := tx.Credentials("")
				if err != nil {
					return err
				}
				enrollments, err := tx.Enrollments("")
				if err != nil {
					return err
				}
				deadlines = len(credentialing.Deadlines(creds, enrollments, 120, credentialing.Today(tx.Now(), time.UTC)))
				byClinician, byPayer := map[string]bool{}, map[string]bool{}
				for _, e := range enrollments {
					byClinician[e.ClinicianID], byPayer[e.PayerID] = true, true
				}
				clinicians, payers = len(byClinician), len(byPayer)
				return nil
			})
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(deadlines), "deadlines")
	b.ReportMetric(float64(clinicians), "clinicians")
	b.ReportMetric(float64(payers), "payers")
	report(b, "", took)
}

// BenchmarkCredentialingDashboard loads the manager's dashboard through
// the facade: every credential, enrollment and deadline, and the lapse
// estimate over the year of booked sessions. Target < 100 ms.
func BenchmarkCredentialingDashboard(b *testing.B) {
	core, db := loggedIn(b, true)
	twelvePayers(b, db)
	facade := app.NewCredentialing(core)
	var took []time.Duration
	var lapsed int
	b.ResetTimer()
	for range b.N {
		for range 20 {
			t := time.Now()
			o, err := facade.Overview()
			took = append(took, time.Since(t))
			if err != nil {
				b.Fatal(err)
			}
			lapsed = 0
			for _, l := range o.Lapses {
				lapsed += l.Sessions
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(lapsed), "lapsed-sessions")
	report(b, "", took)
}
