package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Check-in tablets, the intake key pair and the inbox of what tablets
// delivered. Everything here except the intake private key works without
// the practice key: a hub with nobody logged in takes in deliveries and
// keeps them sealed until a machine holding the key files them.

// AddTablet records a paired check-in tablet, or takes it back in.
func (tx *Tx) AddTablet(id, name string, cert []byte) error {
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM tablets WHERE id = ?", id).Scan(&n); err != nil {
		return fmt.Errorf("store: tablet: %w", err)
	}
	member := []any{name, cert}
	if n == 0 {
		return tx.create("tablets", id, []write{{grp: "member", plain: member}, {grp: "status", plain: []any{0}}})
	}
	if err := tx.put("tablets", id, "member", member, nil); err != nil {
		return err
	}
	return tx.put("tablets", id, "status", []any{0}, nil)
}

// RemoveTablet marks a tablet removed: every office machine refuses it.
func (tx *Tx) RemoveTablet(id string) error { return tx.put("tablets", id, "status", []any{1}, nil) }

// Tablet reports whether id is a paired tablet that has not been removed.
func (db *DB) Tablet(ctx context.Context, id string) (bool, error) {
	if db.sql == nil {
		return false, nil
	}
	var removed bool
	err := db.sql.QueryRowContext(ctx, "SELECT removed FROM tablets WHERE id = ? AND deleted = 0", id).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: tablet: %w", err)
	}
	return !removed, nil
}

// IntakePublicKey is the newest intake public key, which tablets seal to;
// found is false when the practice has none yet.
func (tx *Tx) IntakePublicKey() (id string, public []byte, found bool, err error) {
	err = tx.sql.QueryRow("SELECT id, public_key FROM intake_keys WHERE deleted = 0 ORDER BY id DESC LIMIT 1").Scan(&id, &public)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, nil
	}
	return id, public, err == nil, err
}

// AddIntakeKey keeps a new intake key pair, the private half sealed, and
// returns its id (UUIDv7: the newest sorts last). Needs the key.
func (tx *Tx) AddIntakeKey(public, private []byte) (string, error) {
	id := newID()
	return id, tx.create("intake_keys", id, []write{{grp: "public", plain: []any{public}}, {grp: "private", sealed: private}})
}

// IntakePrivateKey opens the private half of intake key id. Needs the key.
// Errors: ENotFound, EDamaged.
func (tx *Tx) IntakePrivateKey(id string) ([]byte, error) {
	var sealed []byte
	err := tx.sql.QueryRow("SELECT private FROM intake_keys WHERE id = ? AND deleted = 0", id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: intake key: %w", err)
	}
	var private []byte
	return private, tx.open("intake_keys", "private", id, sealed, &private)
}

// Envelope is a submission as a tablet delivered it: sealed to an intake
// key, readable by no one without the intake private key.
type Envelope struct {
	ID         string    // the submission's id
	TabletID   string    // who delivered it
	KeyID      string    // the intake key it is sealed to
	ReceivedAt time.Time // when it arrived
	Sealed     []byte    // the HPKE ciphertext
}

// Inbox states: delivered and waiting for a machine with the key; filed as
// a submission; refused (it could not be opened or did not check out).
const (
	InboxWaiting = "waiting"
	InboxFiled   = "filed"
	InboxRefused = "refused"
)

// AddToInbox keeps a delivered envelope, and reports false, writing
// nothing, when one with its id is already kept (a redelivery). No key needed.
func (tx *Tx) AddToInbox(e Envelope) (bool, error) {
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM intake_inbox WHERE id = ?", e.ID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: inbox: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	return true, tx.create("intake_inbox", e.ID, []write{
		{grp: "envelope", plain: []any{e.TabletID, e.KeyID, unix(e.ReceivedAt), e.Sealed}},
		{grp: "state", plain: []any{InboxWaiting}},
	})
}

// WaitingInbox lists the envelopes not yet filed, oldest first.
func (tx *Tx) WaitingInbox() ([]Envelope, error) {
	var out []Envelope
	err := tx.rowsOf("SELECT id, tablet_id, key_id, received_at, envelope FROM intake_inbox WHERE deleted = 0 AND state = ? ORDER BY received_at, id",
		[]any{InboxWaiting}, func(rows *sql.Rows) error {
			var e Envelope
			var at int64
			if err := rows.Scan(&e.ID, &e.TabletID, &e.KeyID, &at, &e.Sealed); err != nil {
				return err
			}
			e.ReceivedAt = fromUnix(at)
			out = append(out, e)
			return nil
		})
	return out, err
}

// SetInboxState moves an envelope to filed or refused.
func (tx *Tx) SetInboxState(id, state string) error {
	return tx.put("intake_inbox", id, "state", []any{state}, nil)
}
