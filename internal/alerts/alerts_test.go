package alerts_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0
	os.Exit(m.Run())
}

func newPractice(t *testing.T) (*store.DB, practice.Account) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, "correct horse battery staple")
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, owner
}

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Two areas' alerts, written by hand: who each reaches and the order they
// come in are stated independently below.
func sources() *alerts.Registry {
	var r alerts.Registry
	r.Add(func(context.Context, *store.Tx, time.Time) ([]alerts.Alert, error) {
		return []alerts.Alert{
			{Key: "auth/1/remaining-1", Severity: alerts.Warning, Due: now.AddDate(0, 0, 3), PatientID: "p2",
				To: []alerts.Recipient{{Role: practice.RoleBiller}, {Role: practice.RoleOwner}, {ClinicianID: "c1"}}},
			{Key: "auth/2/expired", Severity: alerts.Urgent, PatientID: "p1",
				To: []alerts.Recipient{{Role: practice.RoleBiller}, {ClinicianID: "c2"}}},
		}, nil
	})
	r.Add(func(context.Context, *store.Tx, time.Time) ([]alerts.Alert, error) {
		return []alerts.Alert{
			{Key: "cred/9/followup", Severity: alerts.Warning, Due: now.AddDate(0, 0, 1),
				To: []alerts.Recipient{{AccountID: "acct-fd"}, {Role: practice.RoleOwner}}},
			{Key: "cred/8/licence-60", Severity: alerts.Notice, Due: now.AddDate(0, 2, 0),
				To: []alerts.Recipient{{ClinicianID: "c1"}, {Role: practice.RoleOwner}}},
			{Key: "auth/0/also-warning", Severity: alerts.Warning, Due: now.AddDate(0, 0, 3), PatientID: "p1",
				To: []alerts.Recipient{{Role: practice.RoleBiller}}},
		}, nil
	})
	return &r
}

func keys(list []alerts.Alert) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Key
	}
	return out
}

func TestEachPersonGetsWhatIsTheirsMostSevereFirst(t *testing.T) {
	db, _ := newPractice(t)
	r := sources()
	cases := []struct {
		who  alerts.Who
		want []string
	}{
		// urgent first; then warnings by due date, equal dates by key; then notices
		{alerts.Who{Role: practice.RoleBiller, AccountID: "acct-b"},
			[]string{"auth/2/expired", "auth/0/also-warning", "auth/1/remaining-1"}},
		{alerts.Who{Role: practice.RoleOwner, AccountID: "acct-o"},
			[]string{"cred/9/followup", "auth/1/remaining-1", "cred/8/licence-60"}},
		{alerts.Who{Role: practice.RoleClinician, AccountID: "acct-c1", ClinicianID: "c1"},
			[]string{"auth/1/remaining-1", "cred/8/licence-60"}},
		{alerts.Who{Role: practice.RoleFrontDesk, AccountID: "acct-fd"}, []string{"cred/9/followup"}},
		{alerts.Who{Role: practice.RoleFrontDesk, AccountID: "acct-other"}, []string{}},
	}
	for _, c := range cases {
		var got []alerts.Alert
		err := db.View(context.Background(), func(tx *store.Tx) (err error) {
			got, err = r.For(context.Background(), tx, now, c.who)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(keys(got), c.want) {
			t.Errorf("%+v: got %v, want %v", c.who, keys(got), c.want)
		}
	}
}

func TestShowingAlertsIsAuditedWithThePatientsNamed(t *testing.T) {
	db, owner := newPractice(t)
	r := sources()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := r.Show(ctx, tx, now, alerts.Who{Role: practice.RoleBiller, AccountID: owner.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var entries []store.AuditEntry
	err = db.View(ctx, func(tx *store.Tx) (err error) {
		entries, err = tx.AuditEntries(store.AuditQuery{Action: "alerts.view"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].RecordID != "p1 p2" || entries[0].AccountID != owner.ID {
		t.Fatalf("audit of shown alerts: %+v, want one entry naming p1 p2", entries)
	}
}

func TestASourceThatFailsFailsTheWholeList(t *testing.T) {
	db, _ := newPractice(t)
	r := sources()
	broken := errors.New("disk")
	r.Add(func(context.Context, *store.Tx, time.Time) ([]alerts.Alert, error) { return nil, broken })
	err := db.View(context.Background(), func(tx *store.Tx) error {
		_, err := r.All(context.Background(), tx, now)
		return err
	})
	// A partial list would hide what is most urgent without saying so.
	if !errors.Is(err, broken) {
		t.Fatalf("got %v, want the source's error", err)
	}
}
