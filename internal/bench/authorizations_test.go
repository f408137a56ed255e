package bench_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/calendar"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// BenchmarkAuthorizationUsage derives the usage of every authorization of
// the large practice at once, as the alerts do (each patient's sessions
// read and counted; no counter is stored). Target < 50 ms.
func BenchmarkAuthorizationUsage(b *testing.B) {
	_, db := loggedIn(b, false)
	svc := authorizations.NewService()
	var took []time.Duration
	var n, found int
	if err := db.View(context.Background(), func(tx *store.Tx) error {
		all, err := tx.AllAuthorizations()
		n = len(all)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		err := db.View(context.Background(), func(tx *store.Tx) error {
			list, err := svc.Alerts(context.Background(), tx, time.Now())
			found = len(list)
			return err
		})
		took = append(took, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "authorizations")
	b.ReportMetric(float64(found), "alerts")
	report(b, "", took)
}

// BenchmarkBookSeriesAuthorized is BenchmarkBookSeriesGuarded with the
// authorizations' counting check added, as the program wires both: its
// cost is the difference between the two in the same run.
func BenchmarkBookSeriesAuthorized(b *testing.B) {
	svc := calendar.NewService(credentialing.BookingCheck).WithNetwork(credentialing.NetworkRule)
	svc.AddSessionsCheck(authorizations.NewService().Check)
	bookSeries(b, svc)
}

// BenchmarkEAPReport makes the utilization report PDF of the demo's EAP
// with the most cases (about 200 on the large demo). Target < 500 ms.
func BenchmarkEAPReport(b *testing.B) {
	_, db := loggedIn(b, true)
	svc := authorizations.NewService()
	var payerID, owner string
	err := db.View(context.Background(), func(tx *store.Tx) error {
		all, err := tx.AllAuthorizations()
		if err != nil {
			return err
		}
		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		eap := map[string]bool{}
		for _, p := range payers {
			eap[p.ID] = p.Kind == practice.PayerEAP
		}
		count := map[string]int{}
		for _, a := range all {
			if eap[a.PayerID] && a.Status == practice.AuthAuthorized {
				count[a.PayerID]++
				if count[a.PayerID] > count[payerID] {
					payerID = a.PayerID
				}
			}
		}
		accounts, err := tx.Accounts()
		for _, a := range accounts {
			if a.Role == practice.RoleOwner {
				owner = a.ID
			}
		}
		return err
	})
	if err != nil || payerID == "" {
		b.Fatalf("no EAP cases in the demo: %v", err)
	}
	eapCases(b, db, payerID, 200)
	var took []time.Duration
	var cases, size int
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		err := db.Update(context.Background(), func(tx *store.Tx) error {
			rep, err := svc.Utilization(tx, practice.Actor{AccountID: owner}, payerID, "")
			if err != nil {
				return err
			}
			doc, err := authorizations.ReportPDF(rep)
			cases, size = len(rep.Cases), len(doc)
			return err
		})
		took = append(took, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cases), "cases")
	b.ReportMetric(float64(size)/1024, "pdf-KiB")
	report(b, "", took)
}

// eapCases gives payerID n cases (authorizations) in all: the demo's,
// and more for patients seen in the last 90 days, each a benefit of 8
// sessions around today, so the report reads their sessions.
func eapCases(b *testing.B, db *store.DB, payerID string, n int) {
	b.Helper()
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		all, err := tx.AllAuthorizations()
		if err != nil {
			return err
		}
		has, cases := map[string]bool{}, 0
		for _, a := range all {
			if a.PayerID == payerID {
				has[a.PatientID] = true
				if a.Status == practice.AuthAuthorized {
					cases++
				}
			}
		}
		now := tx.Now()
		seen, err := tx.AppointmentsBetween(now.AddDate(0, 0, -90), now, store.AppointmentFilter{})
		if err != nil {
			return err
		}
		for _, s := range seen {
			if cases >= n {
				break
			}
			if has[s.PatientID] {
				continue
			}
			has[s.PatientID] = true
			a := practice.Authorization{PatientID: s.PatientID, PayerID: payerID, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
				Unit: practice.UnitSessions, Requested: 8, Authorized: 8, Start: now.AddDate(0, 0, -90).Format(time.DateOnly),
				End: now.AddDate(0, 0, 90).Format(time.DateOnly), EAPCaseNumber: fmt.Sprintf("BENCH-%04d", cases)}
			if err := tx.SaveAuthorization(&a); err != nil {
				return err
			}
			cases++
		}
		if cases < n {
			return fmt.Errorf("only %d patients for %d EAP cases", cases, n)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
