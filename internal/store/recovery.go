package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"quietdesk/internal/practice"
	"quietdesk/internal/vault"
)

const recoverySlotID = "recovery"

// SetRecoveryKey wraps the practice key under a recovery key (replacing any
// previous one), for the printable Recovery Kit.
func (tx *Tx) SetRecoveryKey(key vault.RecoveryKey) error {
	_, dek, err := tx.db.key()
	if err != nil {
		return err
	}
	slot, err := vault.Wrap(key.Secret(), dek, slotParams())
	if err != nil {
		return err
	}
	js, err := json.Marshal(slot)
	if err != nil {
		return err
	}
	return tx.put("practice_keys", recoverySlotID, "slot", []any{"recovery", js}, nil)
}

// UnlockWithRecovery loads the practice key with the Recovery Kit's key.
//
// Errors: EWrongPassword, EInvalid (not shaped like a recovery key).
func (db *DB) UnlockWithRecovery(ctx context.Context, typed string) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder yet.")
	}
	secret, err := vault.ParseRecoveryKey(typed)
	if err != nil {
		return &practice.Error{Code: practice.EInvalid, Message: "Please check the recovery key.",
			Fields: map[string]string{"recoveryKey": "A recovery key is 32 letters and digits in groups of four."}}
	}
	var slotJSON []byte
	err = db.sql.QueryRowContext(ctx, "SELECT slot FROM practice_keys WHERE id = ? AND deleted = 0", recoverySlotID).Scan(&slotJSON)
	if errors.Is(err, sql.ErrNoRows) {
		return practice.Errorf(practice.ENotFound, "This practice has no recovery key.")
	}
	if err != nil {
		return fmt.Errorf("store: recovery slot: %w", err)
	}
	return db.unwrapSlot(slotJSON, secret, practice.Errorf(practice.EWrongPassword, "That recovery key does not open this practice."), true)
}

// AccountByUsername finds an account by its username (case-insensitive).
// Errors: ENotFound.
func (tx *Tx) AccountByUsername(username string) (practice.Account, error) {
	var id string
	err := tx.sql.QueryRow("SELECT id FROM accounts WHERE login = ? AND deleted = 0", loginHash(tx.db.practiceID, username)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return practice.Account{}, practice.Errorf(practice.ENotFound, "There is no account with that username.")
	}
	if err != nil {
		return practice.Account{}, err
	}
	return tx.Account(id)
}
