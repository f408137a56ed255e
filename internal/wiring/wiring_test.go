package wiring_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/backups"
	"quietdesk/internal/jobs"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/wiring"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// newPractice is a real practice database with its owner; the key is
// dropped again (db.Lock), as on a hub nobody logged into.
func newPractice(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, "correct horse battery staple")
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Lock()
	return db
}

// run runs the named job once and returns its result.
func run(t *testing.T, p *wiring.Program, name string) error {
	t.Helper()
	for _, j := range p.Jobs() {
		if j.Name == name {
			return j.Run(context.Background())
		}
	}
	t.Fatalf("no job %q", name)
	return nil
}

func TestCheckDatabaseJob(t *testing.T) {
	db := newPractice(t)
	p := wiring.New(wiring.Config{DB: db})
	if err := run(t, p, "database integrity check"); err != nil {
		t.Fatalf("a sound database without its key loaded failed the check: %v", err)
	}
	empty, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if err := run(t, wiring.New(wiring.Config{DB: empty}), "database integrity check"); !errors.Is(err, jobs.ErrSkipped) {
		t.Fatalf("a folder with no practice: %v, want skipped", err)
	}
}

// TestKeyJobsWaitForTheKey: series occurrences are sealed, so extending
// them is skipped while the key is not loaded and runs once it is.
func TestKeyJobsWaitForTheKey(t *testing.T) {
	db := newPractice(t)
	p := wiring.New(wiring.Config{DB: db})
	if err := run(t, p, "extend recurring series"); !errors.Is(err, jobs.ErrSkipped) {
		t.Fatalf("without the key: %v, want skipped", err)
	}
	if _, err := db.Unlock(context.Background(), "owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	if err := run(t, p, "extend recurring series"); err != nil {
		t.Fatalf("with the key: %v", err)
	}
}

// TestListenersHearMergedRowsInOrder: the search index is updated before
// the window is told to reload.
func TestListenersHearMergedRowsInOrder(t *testing.T) {
	var heard []string
	p := wiring.New(wiring.Config{Listeners: []func([]store.RowRef){
		func(rows []store.RowRef) { heard = append(heard, "index:"+rows[0].ID) },
		func(rows []store.RowRef) { heard = append(heard, "window:"+rows[0].ID) },
	}})
	p.Merged([]store.RowRef{{Table: "patients", ID: "p1"}})
	if len(heard) != 2 || heard[0] != "index:p1" || heard[1] != "window:p1" {
		t.Fatalf("heard %v, want the index then the window told of p1", heard)
	}
}

// TestNightlyBackupRunsWithoutTheKey: a hub nobody unlocked backs up into
// the folder chosen on it, and a failure reaches the owner's alerts.
func TestNightlyBackupRunsWithoutTheKey(t *testing.T) {
	db := newPractice(t)
	p := wiring.New(wiring.Config{DB: db})
	folder := t.TempDir()
	if err := backups.Choose(context.Background(), db, folder); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err := run(t, p, "nightly backup")
	if now.Hour() < backups.NightFrom {
		if !errors.Is(err, jobs.ErrSkipped) {
			t.Fatalf("before the night: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("without the key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(folder, backups.FileName(now))); err != nil {
		t.Fatal(err)
	}
	if err := run(t, p, "nightly backup"); !errors.Is(err, jobs.ErrSkipped) {
		t.Fatalf("a second backup the same day: %v", err)
	}
	if _, err := db.Unlock(context.Background(), "owner", "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(folder)
	if _, err := backups.Now(context.Background(), db, now); err == nil {
		t.Fatal("a backup into a removed folder succeeded")
	}
	err = db.View(context.Background(), func(tx *store.Tx) error {
		list, err := p.Alerts.All(context.Background(), tx, now)
		if err == nil && !slices.ContainsFunc(list, func(a alerts.Alert) bool { return a.Area == "backups" }) {
			t.Errorf("no backup alert among %+v", list)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
