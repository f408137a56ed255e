package app

import (
	"quietdesk/internal/accounts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Staff is the facade for staff accounts (owner only).
type Staff struct{ c *Core }

// NewStaff binds the staff facade to core.
func NewStaff(c *Core) *Staff { return &Staff{c: c} }

// Accounts lists the staff accounts.
func (s *Staff) Accounts() ([]practice.Account, error) {
	return read(s.c, "Staff.Accounts", func(tx *store.Tx) ([]practice.Account, error) { return nonNil(tx.Accounts()) })
}

// Create adds a staff account with its first password.
func (s *Staff) Create(na NewAccount) (practice.Account, error) {
	return s.write("Staff.Create", na.Account, func(tx *store.Tx, by practice.Actor) (practice.Account, error) {
		return accounts.Create(tx, by, na.Account, na.Password)
	})
}

// Update changes an account's name, role, clinician link or disabled flag;
// nobody can disable or demote their own account (accounts.Update).
func (s *Staff) Update(a practice.Account) (practice.Account, error) {
	return s.write("Staff.Update", a, func(tx *store.Tx, by practice.Actor) (practice.Account, error) {
		return accounts.Update(tx, by, a)
	})
}

// ResetPassword gives another account a new password (the owner tells it
// to them); only that account's key slot changes.
func (s *Staff) ResetPassword(accountID, password string) error {
	_, err := s.write("Staff.ResetPassword", practice.Account{}, func(tx *store.Tx, by practice.Actor) (practice.Account, error) {
		return practice.Account{}, accounts.ResetPassword(tx, by, accountID, password)
	})
	return err
}

// write gates m and runs one accounts call in a write transaction; a
// refused call returns the account as it was given.
func (s *Staff) write(m string, given practice.Account, run func(tx *store.Tx, by practice.Actor) (practice.Account, error)) (practice.Account, error) {
	sess, err := s.c.begin(m)
	if err != nil {
		return given, s.c.fail(m, err)
	}
	out := given
	err = s.c.update(func(tx *store.Tx) error {
		var err error
		out, err = run(tx, sess.actor())
		return err
	})
	return out, s.c.fail(m, err)
}
