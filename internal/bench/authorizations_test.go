package bench_test

import (
	"context"
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
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		err := db.View(context.Background(), func(tx *store.Tx) error {
			all, err := tx.AllAuthorizations()
			n = len(all)
			if err != nil {
				return err
			}
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
