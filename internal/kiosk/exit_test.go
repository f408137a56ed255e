package kiosk_test

import (
	"context"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// The way out of a tablet's full-screen window, over the tablet link with
// real TLS on loopback: the office checks the staff login against its own
// accounts. A wrong password or an unknown username is refused and counts
// toward that username's back-off; a disabled account is refused even with
// its right password; the right login lets staff out, audited on the
// office with who and which tablet; nothing of the login is kept on the
// tablet.
func TestStaffLeaveTheTabletWithAnOfficeLogin(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	tab := pair(t, o, dir)
	ctx := context.Background()
	const password = "correct horse battery staple"
	const leaverPassword = "a quite different passphrase"

	var leaver practice.Account
	if err := o.db.Update(ctx, func(tx *store.Tx) error {
		leaver = practice.Account{Username: "leaver", DisplayName: "Left Practice", Role: practice.RoleFrontDesk}
		if err := tx.CreateAccount(&leaver, leaverPassword); err != nil {
			return err
		}
		leaver.Disabled = true
		return tx.UpdateAccount(&leaver)
	}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		user, password, code string
	}{
		{"owner", "not the password", practice.EWrongPassword},
		{"nobody", password, practice.EWrongPassword},
		{"leaver", leaverPassword, practice.EForbidden},
	} {
		err := tab.StaffExit(ctx, c.user, c.password)
		if practice.ErrorCode(err) != c.code {
			t.Errorf("%s with %q: got %s, want %s", c.user, c.password, errText(err), c.code)
		}
	}

	// Two wrong logins from this tablet so far: the right one now waits
	// out their back-off (practice.LoginDelay(2) = 1 s) before it is checked.
	start := time.Now()
	if err := tab.StaffExit(ctx, "owner", password); err != nil {
		t.Fatalf("the owner's right login: %s", errText(err))
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("the right login after two wrong ones answered in %v, before the 1 s back-off", waited)
	}
	if err := tab.StaffExit(ctx, "owner", password); err != nil {
		t.Fatalf("the owner's right login again: %s", errText(err))
	}

	if err := o.db.View(ctx, func(tx *store.Tx) error {
		exits, err := tx.AuditEntries(store.AuditQuery{Action: "intake.tablet-exit"})
		if err != nil {
			return err
		}
		if len(exits) != 2 || exits[0].AccountID != o.owner.AccountID || exits[0].RecordID == "" {
			t.Errorf("audited exits: %+v, want two by the owner naming the tablet", exits)
		}
		failed, err := tx.AuditEntries(store.AuditQuery{Action: "login.failed"})
		if err != nil {
			return err
		}
		if len(failed) < 2 {
			t.Errorf("%d failed logins audited, want the wrong password and the unknown username", len(failed))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// With nobody logged in at the office (the key not loaded) the office
	// still checks the login, and loads no key doing it.
	o.db.Lock()
	if err := tab.StaffExit(ctx, "owner", password); err != nil {
		t.Fatalf("the owner's right login, office locked: %s", errText(err))
	}
	if o.db.Unlocked() {
		t.Error("checking a tablet's staff login unlocked the office")
	}
	mk := &markers{t: t, list: []string{password, leaverPassword, "not the password"}}
	scanFolder(t, dir, mk, 2) // its identity and its link, as after pairing
}
