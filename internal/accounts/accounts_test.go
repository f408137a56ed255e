package accounts_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"quietdesk/internal/accounts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

const ownerPassword = "correct horse battery staple"

// newPractice creates a practice through accounts.CreatePractice and
// returns its database (key loaded) and owner.
func newPractice(t *testing.T) (*store.DB, practice.Account) {
	t.Helper()
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, err := vault.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	var owner practice.Account
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		owner, err = accounts.CreatePractice(tx, accounts.Setup{PracticeName: "Lakeside Counseling", OwnerName: "Rita Owens",
			Username: "rita", Password: ownerPassword}, key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, owner
}

func update(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) error {
	t.Helper()
	return db.Update(context.Background(), fn)
}

// field is the message a validation error gives field ("" if none).
func field(err error, name string) string {
	var pe *practice.Error
	if errors.As(err, &pe) {
		return pe.Fields[name]
	}
	return ""
}

func TestSetupValidate(t *testing.T) {
	err := accounts.Setup{PracticeName: "", OwnerName: "", Username: "x y", Password: "password"}.Validate()
	for _, f := range []string{"practiceName", "ownerName", "username", "password"} {
		if field(err, f) == "" {
			t.Errorf("no problem for %s in %v", f, err)
		}
	}
}

func TestAccountRules(t *testing.T) {
	db, owner := newPractice(t)
	by := practice.Actor{AccountID: owner.ID}

	var frank practice.Account
	t.Run("CreateAudited", func(t *testing.T) {
		err := update(t, db, func(tx *store.Tx) error {
			var err error
			frank, err = accounts.Create(tx, by, practice.Account{Username: "frank", DisplayName: "Frank Desk", Role: practice.RoleFrontDesk}, "frank desk lantern quiet")
			if err != nil {
				return err
			}
			entries, err := tx.AuditEntries(store.AuditQuery{RecordID: frank.ID})
			if len(entries) != 1 || entries[0].Action != "accounts.save" || entries[0].AccountID != owner.ID {
				t.Errorf("audit of the new account: %+v", entries)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrPasswordBuiltOnName", func(t *testing.T) {
		err := update(t, db, func(tx *store.Tx) error {
			_, err := accounts.Create(tx, by, practice.Account{Username: "gina", DisplayName: "Gina Biller", Role: practice.RoleBiller}, "gina")
			return err
		})
		if practice.ErrorCode(err) != practice.EInvalid || field(err, "password") == "" {
			t.Fatalf("weak password: %v", err)
		}
	})

	t.Run("ErrOwnerDemotesThemself", func(t *testing.T) {
		self := owner
		self.Role = practice.RoleFrontDesk
		err := update(t, db, func(tx *store.Tx) error { _, err := accounts.Update(tx, by, self); return err })
		if practice.ErrorCode(err) != practice.EInvalid {
			t.Fatalf("demoting oneself: %v", err)
		}
		// Another owner may change the same account.
		other := practice.Actor{AccountID: frank.ID}
		if err := update(t, db, func(tx *store.Tx) error { _, err := accounts.Update(tx, other, self); return err }); err != nil {
			t.Fatalf("another account changing the owner's role: %v", err)
		}
	})

	t.Run("ErrRecoverNonOwner", func(t *testing.T) {
		err := update(t, db, func(tx *store.Tx) error {
			_, err := accounts.Recover(tx, "frank", "a brand new lantern meadow")
			return err
		})
		if field(err, "username") != "The Recovery Kit resets owner accounts only." {
			t.Fatalf("recovering a front-desk account: %v", err)
		}
	})
}
