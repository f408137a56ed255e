package accounts

import (
	"errors"

	"quietdesk/internal/practice"
	"quietdesk/internal/vault"
)

// Setup is the first-run form that creates a practice and its owner.
type Setup struct {
	PracticeName string
	OwnerName    string
	Username     string
	Password     string
}

// newPractice builds the settings and owner account of a setup, and its
// problems under the form's field names.
func (s Setup) newPractice() (practice.Settings, practice.Account, error) {
	owner := practice.Account{Username: s.Username, DisplayName: s.OwnerName, Role: practice.RoleOwner}
	owner.Normalize()
	settings := practice.Settings{Name: s.PracticeName, LockMinutes: 10, Policy: practice.DefaultCalendarPolicy}
	settings.Normalize()
	p := practice.Problems{}
	// The form's field names differ from the records' they fill.
	if msg, bad := fieldsOf(settings.Validate())["name"]; bad {
		p.Add("practiceName", msg)
	}
	for f, msg := range fieldsOf(owner.Validate()) {
		if f == "displayName" {
			f = "ownerName"
		}
		p.Add(f, msg)
	}
	if st := practice.CheckPassword(s.Password, s.Username, s.OwnerName, s.PracticeName); !st.Acceptable {
		p.Add("password", st.Hint)
	}
	return settings, owner, p.Err()
}

// fieldsOf returns the per-field problems of a validation error.
func fieldsOf(err error) map[string]string {
	var pe *practice.Error
	if errors.As(err, &pe) {
		return pe.Fields
	}
	return nil
}

// Validate checks the form before anything is made. Errors: EInvalid.
func (s Setup) Validate() error {
	_, _, err := s.newPractice()
	return err
}

// CreatePractice writes a new practice's settings, its owner account and
// its recovery key, audited as the owner; it returns the owner.
// Errors: EInvalid.
func CreatePractice(tx Store, s Setup, key vault.RecoveryKey) (practice.Account, error) {
	settings, owner, err := s.newPractice()
	if err != nil {
		return owner, err
	}
	if err := tx.SaveSettings(&settings); err != nil {
		return owner, err
	}
	if err := tx.CreateAccount(&owner, s.Password); err != nil {
		return owner, err
	}
	if err := tx.SetRecoveryKey(key); err != nil {
		return owner, err
	}
	return owner, tx.Audit(owner.ID, "practice.create", "settings", "")
}
