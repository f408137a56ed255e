package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/vault"
)

type accountProfile struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
}

// loginHash is how an account is found before the practice key is known,
// without storing the username in plain text.
func loginHash(practiceID, username string) string {
	h := sha256.Sum256([]byte("quietdesk/login/v1\x00" + practiceID + "\x00" + strings.ToLower(username)))
	return hex.EncodeToString(h[:])
}

var (
	kdfOnce   sync.Once
	kdfParams vault.Params
)

// KDFTarget is how long deriving a key from a password should take on this
// machine; parameters never go below vault.Floor whatever it is. Tests set
// it to zero to run at the floor.
var KDFTarget = 500 * time.Millisecond

func slotParams() vault.Params {
	kdfOnce.Do(func() { kdfParams = vault.Calibrate(KDFTarget) })
	return kdfParams
}

func (tx *Tx) loginWrite(username, password string) (write, error) {
	w, err := vault.NewWrapper([]byte(password), slotParams())
	if err != nil {
		return write{}, err
	}
	defer w.Wipe()
	return tx.loginWrapped(username, w)
}

// loginWrapped is the login group of username: the practice key sealed by w.
func (tx *Tx) loginWrapped(username string, w *vault.Wrapper) (write, error) {
	_, dek, err := tx.db.key()
	if err != nil {
		return write{}, err
	}
	slot, err := w.Wrap(dek)
	if err != nil {
		return write{}, err
	}
	js, err := json.Marshal(slot)
	if err != nil {
		return write{}, err
	}
	return write{grp: "login", plain: []any{loginHash(tx.db.practiceID, username), js}}, nil
}

func accountWrites(a *practice.Account) []write {
	return []write{
		{grp: "profile", sealed: accountProfile{Username: a.Username, DisplayName: a.DisplayName}},
		{grp: "access", plain: []any{string(a.Role), boolInt(a.Disabled), nullable(a.ClinicianID)}},
	}
}

// CreateAccount adds a staff account whose password wraps the practice key.
// The caller has checked the password's strength.
//
// Errors: EInvalid, EConflict (username taken).
func (tx *Tx) CreateAccount(a *practice.Account, password string) error {
	return tx.createAccount(a, func(username string) (write, error) { return tx.loginWrite(username, password) })
}

// SharedPassword is a password that several accounts sign in with and
// anyone may know: the demo practice's. Its key is derived once, at the
// calibrated cost, for all of them; deriving it for each of a dozen demo
// accounts made opening the demo take seconds. Real staff accounts each
// get their own salt and derivation (CreateAccount).
type SharedPassword struct{ w *vault.Wrapper }

// SharePassword derives password's key for CreateAccountSharing; Wipe it
// when done.
func SharePassword(password string) (*SharedPassword, error) {
	w, err := vault.NewWrapper([]byte(password), slotParams())
	if err != nil {
		return nil, err
	}
	return &SharedPassword{w: w}, nil
}

// Wipe overwrites the derived key.
func (s *SharedPassword) Wipe() { s.w.Wipe() }

// CreateAccountSharing is CreateAccount for an account whose password is
// the shared one. Errors: as CreateAccount.
func (tx *Tx) CreateAccountSharing(a *practice.Account, pw *SharedPassword) error {
	return tx.createAccount(a, func(username string) (write, error) { return tx.loginWrapped(username, pw.w) })
}

func (tx *Tx) createAccount(a *practice.Account, login func(username string) (write, error)) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	a.ID = newID()
	lw, err := login(a.Username)
	if err != nil {
		return err
	}
	// A new account wants no staff e-mail until its person says so.
	return tx.create("accounts", a.ID, append(accountWrites(a), lw, write{grp: "mail", sealed: practice.StaffMail{}}))
}

// UpdateAccount changes an account's display name, role, clinician link or
// disabled flag. The username cannot change (it keys the login).
//
// Errors: EInvalid, ENotFound.
func (tx *Tx) UpdateAccount(a *practice.Account) error {
	old, err := tx.Account(a.ID)
	if err != nil {
		return err
	}
	a.Normalize()
	a.Username = old.Username
	if err := a.Validate(); err != nil {
		return err
	}
	return tx.save("accounts", a.ID, accountWrites(a), accountWrites(&old))
}

// SetPassword replaces an account's key slot; other slots are untouched.
func (tx *Tx) SetPassword(accountID, password string) error {
	a, err := tx.Account(accountID)
	if err != nil {
		return err
	}
	login, err := tx.loginWrite(a.Username, password)
	if err != nil {
		return err
	}
	return tx.save("accounts", a.ID, []write{login}, nil)
}

// Account returns one account. Errors: ENotFound.
func (tx *Tx) Account(id string) (practice.Account, error) {
	list, err := tx.accounts("AND id = ?", id)
	if err != nil {
		return practice.Account{}, err
	}
	if len(list) == 0 {
		return practice.Account{}, practice.Errorf(practice.ENotFound, "That staff account does not exist.")
	}
	return list[0], nil
}

// Accounts lists every staff account, by display name.
func (tx *Tx) Accounts() ([]practice.Account, error) { return tx.accounts("") }

// AccountNames maps every account's id to its display name, for lists
// that say who did something.
func (tx *Tx) AccountNames() (map[string]string, error) {
	list, err := tx.Accounts()
	names := make(map[string]string, len(list))
	for _, a := range list {
		names[a.ID] = a.DisplayName
	}
	return names, err
}

func (tx *Tx) accounts(where string, args ...any) ([]practice.Account, error) {
	rows, err := tx.sql.Query("SELECT id, role, disabled, COALESCE(clinician_id, ''), profile FROM accounts WHERE deleted = 0 "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: accounts: %w", err)
	}
	defer rows.Close()
	var out []practice.Account
	for rows.Next() {
		var a practice.Account
		var blob []byte
		if err := rows.Scan(&a.ID, &a.Role, &a.Disabled, &a.ClinicianID, &blob); err != nil {
			return nil, err
		}
		var p accountProfile
		if err := tx.open("accounts", "profile", a.ID, blob, &p); err != nil {
			return nil, err
		}
		a.Username, a.DisplayName = p.Username, p.DisplayName
		out = append(out, a)
	}
	sortBy(out, func(a practice.Account) string { return a.DisplayName })
	return out, rows.Err()
}

// AccountMail returns an account's own e-mail choices (the zero value
// until they are set). Errors: ENotFound.
func (tx *Tx) AccountMail(accountID string) (practice.StaffMail, error) {
	var m practice.StaffMail
	var blob []byte
	err := tx.sql.QueryRow("SELECT mail FROM accounts WHERE deleted = 0 AND id = ?", accountID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return m, practice.Errorf(practice.ENotFound, "That staff account does not exist.")
	}
	if err != nil || blob == nil {
		return m, err
	}
	return m, tx.open("accounts", "mail", accountID, blob, &m)
}

// SetAccountMail validates and stores an account's e-mail choices.
// Errors: EInvalid, ENotFound.
func (tx *Tx) SetAccountMail(accountID string, m practice.StaffMail) error {
	m.Normalize()
	if err := m.Validate(); err != nil {
		return err
	}
	old, err := tx.AccountMail(accountID)
	if err != nil {
		return err
	}
	if old == m {
		return nil
	}
	return tx.save("accounts", accountID, []write{{grp: "mail", sealed: m}}, nil)
}

var errWrongLogin = practice.Errorf(practice.EWrongPassword, "The username or password is not right.")

// Unlock checks a staff login and, when it is right, loads the practice key.
// It returns the account that logged in.
//
// Errors: EWrongPassword, EForbidden (account disabled), EDamaged (slot
// tampered with), ENotFound (no practice here).
func (db *DB) Unlock(ctx context.Context, username, password string) (practice.Account, error) {
	id, disabled, err := db.checkLogin(ctx, username, password, true)
	if err != nil {
		return practice.Account{}, err
	}
	var a practice.Account
	err = db.View(ctx, func(tx *Tx) error {
		a, err = tx.Account(id)
		return err
	})
	if err != nil {
		return practice.Account{}, err
	}
	if disabled {
		return practice.Account{}, errDisabled
	}
	return a, nil
}

// CheckLogin checks a staff login without loading the practice key, for
// a check-in tablet whose way out is a staff password the office computer
// checks. A wrong password counts toward the username's back-off as a
// failed login does. It returns the account's id. Errors: as Unlock's.
func (db *DB) CheckLogin(ctx context.Context, username, password string) (string, error) {
	id, disabled, err := db.checkLogin(ctx, username, password, false)
	if err == nil && disabled {
		err = errDisabled
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

var errDisabled = practice.Errorf(practice.EForbidden, "This account is disabled. Ask the practice owner to enable it.")

// checkLogin finds the login's account and opens its key slot with the
// password, loading the practice key when load is set.
func (db *DB) checkLogin(ctx context.Context, username, password string, load bool) (id string, disabled bool, err error) {
	if db.sql == nil {
		return "", false, practice.Errorf(practice.ENotFound, "There is no practice in this data folder yet.")
	}
	var slotJSON []byte
	err = db.sql.QueryRowContext(ctx, "SELECT id, slot, disabled FROM accounts WHERE login = ? AND deleted = 0",
		loginHash(db.practiceID, strings.TrimSpace(username))).Scan(&id, &slotJSON, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real attempt so a guesser cannot tell
		// unknown usernames from wrong passwords.
		vault.Slot{Params: slotParams(), Salt: make([]byte, 16)}.Unwrap([]byte(password))
		return "", false, db.loginFailed(ctx, username, "")
	}
	if err != nil {
		return "", false, fmt.Errorf("store: login: %w", err)
	}
	if err := db.unwrapSlot(slotJSON, []byte(password), errWrongLogin, load); err != nil {
		if err == errWrongLogin {
			err = db.loginFailed(ctx, username, id)
		}
		return "", false, err
	}
	if db.auditMACKey() == nil {
		return id, disabled, nil // a login checked without loading the key: nothing to chain with
	}
	if err := db.chainLoginFailures(ctx); err != nil {
		db.log.Error("failed logins could not be chained into the audit trail", "err", err)
	}
	return id, disabled, nil
}

// unwrapSlot opens a stored slot with secret and, when load is set,
// loads the key it wraps.
func (db *DB) unwrapSlot(slotJSON, secret []byte, wrong error, load bool) error {
	var slot vault.Slot
	if err := json.Unmarshal(slotJSON, &slot); err != nil {
		return practice.Errorf(practice.EDamaged, "This login's key slot is damaged. Log in with another account or the Recovery Kit.")
	}
	dek, err := slot.Unwrap(secret)
	switch {
	case errors.Is(err, vault.ErrWeakParams):
		db.log.Error("key slot below the Argon2id floor: tampered")
		return practice.Errorf(practice.EDamaged, "This login's key slot was altered outside Quietdesk and was refused.")
	case err != nil:
		return wrong
	}
	if _, cur, err := db.key(); err == nil {
		defer dek.Wipe()
		if !cur.Equal(&dek) {
			return practice.Errorf(practice.EDamaged, "This login belongs to a different practice key.")
		}
		return nil
	}
	if !load {
		dek.Wipe()
		return nil
	}
	return db.setKey(dek)
}

// Lock forgets the practice key; Unlock or UnlockWithRecovery loads it again.
func (db *DB) Lock() { db.lockKey() }
