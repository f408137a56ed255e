package patients_test

import (
	"context"
	"os"
	"testing"

	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// newService is the patients service of a real practice with one patient
// written before the index exists, and the owner acting.
func newService(t *testing.T) (*patients.Service, *store.DB, practice.Actor) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var by practice.Actor
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		if err := tx.CreateAccount(&owner, "correct horse battery staple"); err != nil {
			return err
		}
		by.AccountID = owner.ID
		return tx.CreatePatient(&practice.Patient{Identity: practice.PatientIdentity{FirstName: "Ada", LastName: "Lindqvist", DOB: "1970-01-01"}, Active: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	return patients.NewService(db), db, by
}

// names searches as by and returns the first and last names found.
func names(t *testing.T, s *patients.Service, by practice.Actor, query string) []string {
	t.Helper()
	found, _, err := s.Search(context.Background(), by, query, 10)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	var out []string
	for _, e := range found {
		out = append(out, e.FirstName+" "+e.LastName)
	}
	return out
}

func TestServiceKeepsTheIndexCurrent(t *testing.T) {
	s, db, by := newService(t)
	ctx := context.Background()
	if _, _, err := s.Search(ctx, by, "", 10); practice.ErrorCode(err) != practice.EUnauthorized {
		t.Fatalf("search before the index is built: %v, want EUnauthorized", err)
	}
	if err := s.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if got := names(t, s, by, "lind"); len(got) != 1 || got[0] != "Ada Lindqvist" {
		t.Fatalf("after opening: %v, want Ada Lindqvist", got)
	}

	t.Run("LocalWrites", func(t *testing.T) {
		rec, err := s.Create(ctx, by, practice.Patient{Identity: practice.PatientIdentity{FirstName: "Bea", LastName: "Moreno", DOB: "1988-02-03"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(t, s, by, "moreno"); len(got) != 1 || got[0] != "Bea Moreno" {
			t.Fatalf("after Create: %v", got)
		}
		p := rec.Patient
		p.Identity.LastName = "Moreno-Vidal"
		if _, err := s.Update(ctx, by, p); err != nil {
			t.Fatal(err)
		}
		if got := names(t, s, by, "vidal"); len(got) != 1 || got[0] != "Bea Moreno-Vidal" {
			t.Fatalf("after Update: %v", got)
		}
	})

	t.Run("MergedChanges", func(t *testing.T) {
		// A patient that reached the database by a merge, not through the
		// service: the index knows it once the merge listener hears of it.
		merged := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Cai", LastName: "Okonkwo", DOB: "1990-04-05"}, Active: true}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePatient(&merged) }); err != nil {
			t.Fatal(err)
		}
		if got := names(t, s, by, "okonkwo"); len(got) != 0 {
			t.Fatalf("found %v before the merge was announced", got)
		}
		if err := s.Merged(ctx, []store.RowRef{{Table: "appointments", ID: "x"}, {Table: "patients", ID: merged.ID}}); err != nil {
			t.Fatal(err)
		}
		if got := names(t, s, by, "okonkwo"); len(got) != 1 || got[0] != "Cai Okonkwo" {
			t.Fatalf("after the merge: %v", got)
		}
		if n := s.Name(merged.ID); n != "Cai Okonkwo" {
			t.Fatalf("Name: %q", n)
		}
	})

	t.Run("SearchIsAudited", func(t *testing.T) {
		var n int
		if err := db.View(ctx, func(tx *store.Tx) error {
			entries, err := tx.AuditEntries(store.AuditQuery{Action: "patient.search", AccountID: by.AccountID})
			n = len(entries)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n != 5 { // lind, moreno, vidal, okonkwo twice
			t.Fatalf("%d search audit entries, want 5", n)
		}
	})

	s.Close()
	if _, _, err := s.Search(ctx, by, "", 10); practice.ErrorCode(err) != practice.EUnauthorized {
		t.Fatalf("search after Close: %v, want EUnauthorized", err)
	}
}
