package app_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/practice"
)

const newPassword = "Maple-Harbor-7-Lantern"

// loginCode tries a login and returns its error code ("" on success).
func loginCode(t *testing.T, e *env, user, password string) string {
	t.Helper()
	_, err := e.Session.Login(user, password)
	return codeOf(t, err)
}

func TestRecoverWithTheKit(t *testing.T) {
	e := newEnv(t)
	if _, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "desk", DisplayName: "Front Desk", Role: practice.RoleFrontDesk},
		Password: newPassword}); err != nil {
		t.Fatal(err)
	}
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrWrongKey", func(t *testing.T) {
		_, err := e.Session.Recover("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", ownerUser, newPassword)
		if codeOf(t, err) != practice.EWrongPassword {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNotAnOwner", func(t *testing.T) {
		_, err := e.Session.Recover(e.RecoveryKey, "desk", newPassword)
		if pe := uiError(t, err); pe == nil || pe.Fields["username"] == "" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrWeakPassword", func(t *testing.T) {
		_, err := e.Session.Recover(e.RecoveryKey, ownerUser, "short")
		if pe := uiError(t, err); pe == nil || pe.Fields["newPassword"] == "" {
			t.Fatalf("got %v", err)
		}
		if st, _ := e.Session.Status(); st.LoggedIn {
			t.Fatal("a failed recovery logged someone in")
		}
	})
	t.Run("OK", func(t *testing.T) {
		st, err := e.Session.Recover(e.RecoveryKey, ownerUser, newPassword)
		if err != nil || !st.LoggedIn || st.Account.Username != ownerUser {
			t.Fatalf("recover: %+v, %v", st, err)
		}
		e.Session.Logout()
		if code := loginCode(t, e, ownerUser, ownerPassword); code != practice.EWrongPassword {
			t.Fatalf("old password after recovery: %q", code)
		}
		e.login(t, ownerUser, newPassword)
	})
}

func TestPasswordsAndRecoveryKeys(t *testing.T) {
	e := newEnv(t)
	if err := e.Session.ChangePassword(ownerPassword, newPassword); err != nil {
		t.Fatal(err)
	}
	e.Session.Logout()
	if code := loginCode(t, e, ownerUser, ownerPassword); code != practice.EWrongPassword {
		t.Fatalf("old password still works: %q", code)
	}
	e.login(t, ownerUser, newPassword)

	t.Run("SaveRecoveryKit", func(t *testing.T) {
		path, err := e.Session.SaveRecoveryKit(e.RecoveryKey)
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("kit at %s is not a PDF: %v", path, err)
		}
		if _, err := e.Session.SaveRecoveryKit("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"); codeOf(t, err) != practice.EWrongPassword {
			t.Fatalf("a kit was made for a key that does not open the practice: %v", err)
		}
	})
	t.Run("NewRecoveryKey", func(t *testing.T) {
		fresh, err := e.Session.NewRecoveryKey()
		if err != nil || fresh == e.RecoveryKey {
			t.Fatalf("new key %q, %v", fresh, err)
		}
		e.Session.Logout()
		if _, err := e.Session.Recover(e.RecoveryKey, ownerUser, newPassword); codeOf(t, err) != practice.EWrongPassword {
			t.Fatalf("the replaced key still opens the practice: %v", err)
		}
		if _, err := e.Session.Recover(fresh, ownerUser, newPassword); err != nil {
			t.Fatalf("the new key: %v", err)
		}
	})
}

func TestStaffAccounts(t *testing.T) {
	e := newEnv(t)
	desk, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "Desk", DisplayName: "Front Desk", Role: practice.RoleFrontDesk},
		Password: newPassword})
	if err != nil {
		t.Fatal(err)
	}
	if desk.Username != "desk" {
		t.Fatalf("username not normalized: %q", desk.Username)
	}
	t.Run("ErrUsernameTaken", func(t *testing.T) {
		_, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "DESK", DisplayName: "Other", Role: practice.RoleBiller},
			Password: newPassword})
		if pe := uiError(t, err); pe == nil || pe.Code != practice.EConflict || pe.Fields["username"] == "" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrOwnerCannotLockThemselvesOut", func(t *testing.T) {
		st, _ := e.Session.Status()
		self := *st.Account
		self.Disabled = true
		if _, err := e.Staff.Update(self); codeOf(t, err) != practice.EInvalid {
			t.Fatalf("owner disabled themselves: %v", err)
		}
		self.Disabled, self.Role = false, practice.RoleBiller
		if _, err := e.Staff.Update(self); codeOf(t, err) != practice.EInvalid {
			t.Fatalf("owner demoted themselves: %v", err)
		}
	})
	t.Run("ResetPassword", func(t *testing.T) {
		const reset = "Quiet-River-42-Bench"
		if err := e.Staff.ResetPassword(desk.ID, reset); err != nil {
			t.Fatal(err)
		}
		e.Session.Logout()
		e.login(t, "desk", reset)
		e.Session.Logout()
		e.login(t, ownerUser, ownerPassword)
	})
	t.Run("DisabledAccountCannotLogIn", func(t *testing.T) {
		desk.Disabled = true
		if _, err := e.Staff.Update(desk); err != nil {
			t.Fatal(err)
		}
		e.Session.Logout()
		if code := loginCode(t, e, "desk", "Quiet-River-42-Bench"); code != practice.EForbidden {
			t.Fatalf("disabled account: %q", code)
		}
	})
}

func TestFailedLoginsSlowDown(t *testing.T) {
	e := newEnv(t)
	e.Session.Logout()
	for range 4 {
		if code := loginCode(t, e, ownerUser, "wrong password here"); code != practice.EWrongPassword {
			t.Fatalf("code %q", code)
		}
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if len(e.sleeps) != len(want) {
		t.Fatalf("waits %v, want %v", e.sleeps, want)
	}
	for i := range want {
		if e.sleeps[i] != want[i] {
			t.Fatalf("waits %v, want %v", e.sleeps, want)
		}
	}
	e.login(t, ownerUser, ownerPassword) // waits 4 s, then succeeds and clears the count
	e.Session.Logout()
	e.sleeps = nil
	e.login(t, ownerUser, ownerPassword)
	if len(e.sleeps) != 0 {
		t.Fatalf("a success did not reset the delay: %v", e.sleeps)
	}
}

// Each person's staff e-mail is their own: saved and read back for the
// one signed in, audited; the weekly digest is the owner's to ask for;
// an owner's rename of the account keeps the choices.
func TestMyStaffMail(t *testing.T) {
	e := newEnv(t)
	owner := practice.StaffMail{Email: "owner@lakeside.example", Alerts: true, Digest: true}
	if err := e.Session.SaveMyMail(owner); err != nil {
		t.Fatal(err)
	}
	desk, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "desk", DisplayName: "Front Desk", Role: practice.RoleFrontDesk},
		Password: newPassword})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.Session.MyMail(); err != nil || got != owner {
		t.Fatalf("owner reads %+v, %v", got, err)
	}
	expectAudited(t, e, app.AuditFilter{}, "account.mail")

	e.signInAs(t, "desk", newPassword)
	if got, err := e.Session.MyMail(); err != nil || got != (practice.StaffMail{}) {
		t.Fatalf("a new account wants nothing yet; got %+v, %v", got, err)
	}
	if pe := uiError(t, e.Session.SaveMyMail(practice.StaffMail{Email: "desk@lakeside.example", Digest: true})); pe == nil || pe.Fields["digest"] == "" {
		t.Fatalf("the front desk asked for the digest: %v", pe)
	}
	if got, _ := e.Session.MyMail(); got != (practice.StaffMail{}) {
		t.Fatalf("a refused save changed %+v", got)
	}
	mine := practice.StaffMail{Email: "desk@lakeside.example", Alerts: true}
	if err := e.Session.SaveMyMail(mine); err != nil {
		t.Fatal(err)
	}
	e.signInAs(t, ownerUser, ownerPassword)
	if got, _ := e.Session.MyMail(); got != owner {
		t.Fatalf("the owner's choices became %+v", got)
	}
	desk.DisplayName = "Front Desk (mornings)"
	if _, err := e.Staff.Update(desk); err != nil {
		t.Fatal(err)
	}
	e.signInAs(t, "desk", newPassword)
	if got, _ := e.Session.MyMail(); got != mine {
		t.Fatalf("after the owner renamed the account: %+v", got)
	}
}
