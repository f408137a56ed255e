// Package accounts holds the rules for staff accounts: who may be created
// or changed and how, the password policy, the first owner of a new
// practice, and recovery with the Recovery Kit. Each call runs inside the
// caller's transaction and writes its own audit entries. Checking a
// current password (and slowing guesses down) stays with the session that
// asks for it.
package accounts

import (
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

// Store is every store method the accounts area uses; *store.Tx
// satisfies it.
type Store interface {
	Audit(accountID, action, table, recordID string) error
	Account(id string) (practice.Account, error)
	AccountByUsername(username string) (practice.Account, error)
	CreateAccount(a *practice.Account, password string) error
	UpdateAccount(a *practice.Account) error
	SetPassword(accountID, password string) error
	AccountMail(accountID string) (practice.StaffMail, error)
	SetAccountMail(accountID string, m practice.StaffMail) error
	SetRecoveryKey(key vault.RecoveryKey) error
	SaveSettings(s *practice.Settings) error
}

var _ Store = (*store.Tx)(nil)

// WeakPassword is nil when password is acceptable for a (not built on its
// username or name), else the form error for field.
func WeakPassword(field, password string, a practice.Account) error {
	if st := practice.CheckPassword(password, a.Username, a.DisplayName); !st.Acceptable {
		return &practice.Error{Code: practice.EInvalid, Message: "Please choose a stronger password.", Fields: map[string]string{field: st.Hint}}
	}
	return nil
}

// Create adds a staff account with its first password, for by.
// Errors: EInvalid, EConflict (the username is taken).
func Create(tx Store, by practice.Actor, a practice.Account, password string) (practice.Account, error) {
	a.Normalize()
	if err := WeakPassword("password", password, a); err != nil {
		return a, err
	}
	if err := tx.CreateAccount(&a, password); err != nil {
		return a, err
	}
	return a, tx.Audit(by.AccountID, "accounts.save", "accounts", a.ID)
}

// Update changes an account's name, role, clinician link or disabled flag
// for by. No one can disable or demote their own account, so a practice
// is never left without an owner who can log in. Errors: EInvalid,
// ENotFound.
func Update(tx Store, by practice.Actor, a practice.Account) (practice.Account, error) {
	if by.AccountID == a.ID && (a.Disabled || a.Role != practice.RoleOwner) {
		return a, practice.Errorf(practice.EInvalid, "You cannot disable your own account or remove your own owner role.")
	}
	if err := tx.UpdateAccount(&a); err != nil {
		return a, err
	}
	return a, tx.Audit(by.AccountID, "accounts.save", "accounts", a.ID)
}

// ResetPassword gives another account a new password (the owner tells it
// to them); only that account's key slot changes. Errors: EInvalid,
// ENotFound.
func ResetPassword(tx Store, by practice.Actor, accountID, password string) error {
	a, err := tx.Account(accountID)
	if err != nil {
		return err
	}
	if err := WeakPassword("password", password, a); err != nil {
		return err
	}
	if err := tx.SetPassword(accountID, password); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "accounts.save", "accounts", accountID)
}

// ChangePassword re-wraps the practice key under a's new password; the
// caller has checked the current one. Errors: EInvalid (field "next").
func ChangePassword(tx Store, a practice.Account, next string) error {
	if err := WeakPassword("next", next, a); err != nil {
		return err
	}
	if err := tx.SetPassword(a.ID, next); err != nil {
		return err
	}
	return tx.Audit(a.ID, "account.password", "accounts", a.ID)
}

// SetMail saves the staff e-mail a wants; the digest is offered to
// owners only, who run the practice. Errors: EInvalid.
func SetMail(tx Store, a practice.Account, m practice.StaffMail) error {
	if m.Digest && a.Role != practice.RoleOwner {
		return practice.FieldProblem("digest", "The weekly digest is for the practice's owners and managers.")
	}
	if err := tx.SetAccountMail(a.ID, m); err != nil {
		return err
	}
	return tx.Audit(a.ID, "account.mail", "accounts", a.ID)
}

// Recover sets a new password for an owner account; the caller has
// unlocked the practice with the Recovery Kit's key. It returns the
// account. Errors: EInvalid (fields "username", "newPassword").
func Recover(tx Store, username, newPassword string) (practice.Account, error) {
	a, err := tx.AccountByUsername(username)
	if err != nil {
		return a, practice.FieldProblem("username", "There is no account with that username.")
	}
	if a.Role != practice.RoleOwner {
		return a, practice.FieldProblem("username", "The Recovery Kit resets owner accounts only.")
	}
	if err := WeakPassword("newPassword", newPassword, a); err != nil {
		return a, err
	}
	if err := tx.SetPassword(a.ID, newPassword); err != nil {
		return a, err
	}
	return a, tx.Audit(a.ID, "account.recover", "accounts", a.ID)
}

// ReplaceRecoveryKey makes key the practice's recovery key for by: the old
// one stops working at once.
func ReplaceRecoveryKey(tx Store, by practice.Actor, key vault.RecoveryKey) error {
	if err := tx.SetRecoveryKey(key); err != nil {
		return err
	}
	return tx.Audit(by.AccountID, "recoverykey.replace", "practice_keys", "")
}
