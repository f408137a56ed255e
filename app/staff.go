package app

import (
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
	a := na.Account
	return save(s.c, "Staff.Create", "accounts", &a, func() string { return a.ID }, func(tx *store.Tx) error {
		a.Normalize()
		if err := weakPassword("password", na.Password, a); err != nil {
			return err
		}
		return tx.CreateAccount(&a, na.Password)
	})
}

// Update changes an account's name, role, clinician link or disabled flag.
// The owner cannot disable or demote their own account, so a practice is
// never left without an owner who can log in.
func (s *Staff) Update(a practice.Account) (practice.Account, error) {
	const m = "Staff.Update"
	s.c.mu.Lock()
	self := s.c.account != nil && s.c.account.ID == a.ID
	s.c.mu.Unlock()
	return save(s.c, m, "accounts", &a, func() string { return a.ID }, func(tx *store.Tx) error {
		if self && (a.Disabled || a.Role != practice.RoleOwner) {
			return practice.Errorf(practice.EInvalid, "You cannot disable your own account or remove your own owner role.")
		}
		return tx.UpdateAccount(&a)
	})
}

// ResetPassword gives another account a new password (the owner tells it
// to them); only that account's key slot changes.
func (s *Staff) ResetPassword(accountID, password string) error {
	var a practice.Account
	_, err := save(s.c, "Staff.ResetPassword", "accounts", &a, func() string { return accountID }, func(tx *store.Tx) error {
		var err error
		if a, err = tx.Account(accountID); err != nil {
			return err
		}
		if err := weakPassword("password", password, a); err != nil {
			return err
		}
		return tx.SetPassword(accountID, password)
	})
	return err
}

// weakPassword is nil when password is acceptable for acct (not built on
// its username or name), else the form error for field.
func weakPassword(field, password string, acct practice.Account) error {
	if st := practice.CheckPassword(password, acct.Username, acct.DisplayName); !st.Acceptable {
		return &practice.Error{Code: practice.EInvalid, Message: "Please choose a stronger password.", Fields: map[string]string{field: st.Hint}}
	}
	return nil
}
