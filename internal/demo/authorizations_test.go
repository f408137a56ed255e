package demo_test

import (
	"context"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestDemoAuthorizations: the small demo's EAP cases and prior
// authorizations are in the states the guard and the alerts work on.
func TestDemoAuthorizations(t *testing.T) {
	_, db, _ := newDemo(t, 3)
	svc := authorizations.NewService()
	var rows []authorizations.Row
	var afterEnd int
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		accounts, err := tx.Accounts()
		if err != nil {
			return err
		}
		var owner practice.Actor
		for _, a := range accounts {
			if a.Role == practice.RoleOwner {
				owner = practice.Actor{AccountID: a.ID}
			}
		}
		if rows, err = svc.Overview(tx, owner, authorizations.Filter{}); err != nil {
			return err
		}
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		// A weekly series booked past an end date: open sessions after it.
		for _, r := range rows {
			a := r.Authorization
			end, _ := time.ParseInLocation(time.DateOnly, a.End, settings.Zone())
			if a.Status != practice.AuthAuthorized || r.State == authorizations.StateExpired || r.RenewedBy != "" {
				continue
			}
			later, err := tx.AppointmentsBetween(end.AddDate(0, 0, 1), end.AddDate(0, 0, 60), store.AppointmentFilter{PatientID: a.PatientID})
			if err != nil {
				return err
			}
			for _, s := range later {
				if s.Status == practice.Scheduled || s.Status == practice.Confirmed {
					afterEnd++
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format(time.DateOnly)
	weekAhead := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	var eap, prior, nearLimit, expiringThisWeek, usedUpButBooked, requested, renewals, alerting int
	for _, r := range rows {
		a, u := r.Authorization, r.Usage
		switch {
		case a.Kind == practice.AuthEAP && a.Status == practice.AuthAuthorized && a.Authorized >= 3 && a.Authorized <= 8:
			eap++
		case a.Kind == practice.AuthPrior:
			prior++
		}
		if a.Status == practice.AuthAuthorized && r.State != authorizations.StateExpired {
			if u.Remaining >= 0 && u.Remaining <= 1 {
				nearLimit++
			}
			if a.End >= today && a.End <= weekAhead {
				expiringThisWeek++
			}
			if u.Authorized-u.Used <= 0 && u.Scheduled > 0 {
				usedUpButBooked++
			}
		}
		if a.Status == practice.AuthRequested {
			requested++
		}
		if a.RenewsID != "" {
			renewals++
		}
		if r.Alert.Key != "" {
			alerting++
		}
	}
	t.Logf("%d rows: %d EAP (3–8), %d prior, %d near limit, %d expiring this week, %d used up but booked, %d requested, %d renewals, %d series past the end, %d alerting",
		len(rows), eap, prior, nearLimit, expiringThisWeek, usedUpButBooked, requested, renewals, afterEnd, alerting)
	for name, n := range map[string]int{"EAP cases of 3–8 sessions": eap, "prior authorizations": prior, "near their limit": nearLimit,
		"expiring this week": expiringThisWeek, "used up with sessions booked": usedUpButBooked, "requested": requested,
		"renewals": renewals, "series booked past the end": afterEnd, "alerting": alerting} {
		if n == 0 {
			t.Errorf("the demo has no authorization %s", name)
		}
	}
}
