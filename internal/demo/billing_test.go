package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestDemoBilling: the small demo has claims paid, partly paid and denied,
// last week's completed sessions unbilled, and a batch of them holds a claim
// whose only error is the missing authorization number; typing it fixes it.
func TestDemoBilling(t *testing.T) {
	// Seed 1 is the demo the window opens (app.Session.OpenDemo), which
	// the browser suite's biller works on.
	_, db, _ := newDemo(t, 1)
	svc := billing.NewService(authorizations.NewService(), billing.DefaultRules())
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		owner := practice.Actor{AccountID: "demo-test"}
		d, err := svc.Dashboard(tx, owner)
		if err != nil {
			return err
		}
		counts := map[practice.ClaimStatus]int{}
		for _, s := range d.Statuses {
			counts[s.Status] = s.Claims
		}
		if counts[practice.ClaimPaid] == 0 || counts[practice.ClaimPartiallyPaid] == 0 || counts[practice.ClaimDenied] == 0 || len(d.Denials) == 0 {
			t.Errorf("claims by status %v, %d denial rows; want paid, partly paid and denied", counts, len(d.Denials))
		}
		if d.Totals.OutstandingCents <= 0 || len(d.Aging) == 0 {
			t.Errorf("A/R: %+v", d.Totals)
		}
		settings, _ := tx.Settings()
		today := tx.Now().In(settings.Zone())
		monday := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)-7)
		// The whole history before last week is billed: every completed
		// session left without a claim is self-pay or too short to bill
		// (under 16 minutes), and the first month had insured sessions.
		historyStart := today.AddDate(-1, 0, -7)
		old, err := svc.Unbilled(tx, owner, historyStart.Format(time.DateOnly), monday.AddDate(0, 0, -1).Format(time.DateOnly))
		if err != nil {
			return err
		}
		for _, u := range old {
			if u.PayerID != "" && u.Minutes >= 16 {
				t.Errorf("a session of %s with a payer, %d minutes, was never billed", u.ServiceOn, u.Minutes)
			}
		}
		firstMonth, err := tx.AppointmentsBetween(historyStart, historyStart.AddDate(0, 0, 35), store.AppointmentFilter{})
		if err != nil {
			return err
		}
		insured := 0
		for _, a := range firstMonth {
			if payer, err := tx.PrimaryPayer(a.PatientID); err == nil && payer != "" && a.Status == practice.Completed {
				insured++
			}
		}
		if insured < 100 {
			t.Errorf("the history's first five weeks hold %d insured completed sessions, want a full practice's", insured)
		}
		list, err := svc.Unbilled(tx, owner, monday.Format(time.DateOnly), monday.AddDate(0, 0, 6).Format(time.DateOnly))
		if err != nil {
			return err
		}
		if len(list) == 0 {
			t.Fatal("last week has no unbilled completed sessions")
		}
		var ids []string
		for _, u := range list {
			ids = append(ids, u.AppointmentID)
		}
		res, err := svc.CreateBatch(tx, owner, ids)
		if err != nil {
			return err
		}
		clean, authOnly := 0, 0
		for _, v := range res.Claims {
			var errs []string
			for _, f := range v.Findings {
				if f.Severity == billing.SevError {
					errs = append(errs, f.Field+": "+f.Message)
				}
			}
			if len(errs) == 0 {
				clean++
			}
			if len(errs) == 1 && errs[0][:len("authNumber")] == "authNumber" {
				authOnly++
				fixed, err := svc.Edit(tx, owner, practice.ClaimEdit{ClaimID: v.Claim.ID, AuthNumber: "MCD-55102"})
				if err != nil {
					return err
				}
				if fixed.Errors != 0 {
					t.Errorf("after typing the number: %+v", fixed.Findings)
				}
			} else if len(errs) > 0 {
				t.Logf("claim with errors: %s", strings.Join(errs, "; "))
			}
		}
		t.Logf("last week: %d sessions, %d claims, %d clean, %d missing only the authorization number", len(ids), len(res.Claims), clean, authOnly)
		if authOnly != 1 || clean == 0 {
			t.Errorf("want one claim missing only its authorization number and clean claims; got %d and %d", authOnly, clean)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
