package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
)

// Conflict kinds the store itself finds; the calendar adds its own.
const ConflictConcurrentEdit = "concurrent-edit"

// Conflict states.
const (
	ConflictOpen     = "open"
	ConflictResolved = "resolved"
)

// Conflict is something merging found that a person must decide: two
// edits of the same field group made without either machine seeing the
// other, or (from the calendar) two appointments in one slot. It names
// rows and changes, never their content.
type Conflict struct {
	ID         string
	Kind       string
	Table      string
	Rows       []string // sorted
	Detail     string   // kind-specific; for a concurrent edit "group|change,change"
	State      string
	ResolvedBy string
	Choice     string
	ResolvedAt time.Time
}

// conflictID is derived from what the conflict is about, so every machine
// that finds it names it alike and they all converge on one record.
func conflictID(kind, table string, rows []string, detail string) string {
	h := sha256.Sum256([]byte("quietdesk/conflict/v1\x00" + kind + "\x00" + table + "\x00" + strings.Join(rows, ",") + "\x00" + detail))
	return hex.EncodeToString(h[:16])
}

// RecordConflict records an open conflict unless one about the same thing
// exists (open or resolved), and returns its id. It works without the
// practice key, inside an AfterApply hook.
func (tx *Tx) RecordConflict(kind, table string, rows []string, detail string) (string, error) {
	rows = slices.Clone(rows)
	slices.Sort(rows)
	id := conflictID(kind, table, rows, detail)
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM conflicts WHERE id = ?", id).Scan(&n); err != nil {
		return "", fmt.Errorf("store: conflict: %w", err)
	}
	if n > 0 {
		return id, nil
	}
	return id, tx.put("conflicts", id, "subject", []any{kind, table, strings.Join(rows, ","), detail}, nil)
}

// recordConcurrentEdit records that a and b were written concurrently. The
// pair is named in sorted order so both machines derive the same record.
func (tx *Tx) recordConcurrentEdit(a, b Change) error {
	keys := []string{a.Key(), b.Key()}
	slices.Sort(keys)
	_, err := tx.RecordConflict(ConflictConcurrentEdit, a.Table, []string{a.RowID}, a.Group+"|"+strings.Join(keys, ","))
	return err
}

// ResolveConflict marks a conflict resolved by accountID. For a concurrent
// edit, choice is the key of the change to keep: when that change is not
// the one merging kept, its value (sealed as it was) is written again as a
// new change, so it wins everywhere. Other kinds record choice as given;
// their own service has made the change the person chose.
//
// Errors: ENotFound, EInvalid (choice names no change of the conflict).
func (tx *Tx) ResolveConflict(id, accountID, choice string) error {
	c, err := tx.conflict(id)
	if err != nil {
		return err
	}
	if c.Kind == ConflictConcurrentEdit {
		if err := tx.keepChange(c, choice); err != nil {
			return err
		}
	}
	return tx.put("conflicts", id, "resolution", []any{ConflictResolved, accountID, choice, tx.now.Format(time.RFC3339Nano)}, nil)
}

// keepChange makes the chosen change of a concurrent edit the group's value.
func (tx *Tx) keepChange(c Conflict, choice string) error {
	grp, keys, _ := strings.Cut(c.Detail, "|")
	if !slices.Contains(strings.Split(keys, ","), choice) || len(c.Rows) != 1 {
		return practice.Errorf(practice.EInvalid, "Choose one of the two versions.")
	}
	var value []byte
	var rowID string
	origin, rest, _ := strings.Cut(choice, "/")
	epoch, seq, _ := strings.Cut(rest, "/")
	err := tx.sql.QueryRow("SELECT value, row_id FROM changes WHERE origin = ? AND epoch = ? AND seq = ?", origin, epoch, seq).Scan(&value, &rowID)
	if errors.Is(err, sql.ErrNoRows) || rowID != c.Rows[0] {
		return practice.Errorf(practice.EInvalid, "That version is not on this machine yet; try again once it has synced.")
	}
	if err != nil {
		return fmt.Errorf("store: conflict: %w", err)
	}
	head, _, err := tx.head(c.Table, rowID, grp)
	if err != nil {
		return err
	}
	if head.Key() == choice {
		return nil
	}
	cols, err := decodeGroup(c.Table, grp, value)
	if err != nil {
		return fmt.Errorf("store: conflict: %w", err)
	}
	if err := tx.logChange(c.Table, rowID, grp, value, false); err != nil {
		return err
	}
	return tx.writeGroup(c.Table, rowID, grp, cols)
}

func (tx *Tx) conflict(id string) (Conflict, error) {
	list, err := tx.conflicts("AND id = ?", id)
	return one(list, err)
}

// Conflicts lists conflicts, open ones first, then by id. With open only
// the open ones.
func (tx *Tx) Conflicts(openOnly bool) ([]Conflict, error) {
	if openOnly {
		return tx.conflicts("AND state = ?", ConflictOpen)
	}
	return tx.conflicts("")
}

func (tx *Tx) conflicts(where string, args ...any) ([]Conflict, error) {
	var out []Conflict
	err := tx.rowsOf(`SELECT id, COALESCE(kind, ''), COALESCE(tbl, ''), COALESCE(row_ids, ''), COALESCE(detail, ''), state,
		COALESCE(resolved_by, ''), COALESCE(choice, ''), COALESCE(resolved_at, '') FROM conflicts WHERE deleted = 0 `+where+
		" ORDER BY state = 'resolved', id", args, func(rows *sql.Rows) error {
		var c Conflict
		var list, at string
		if err := rows.Scan(&c.ID, &c.Kind, &c.Table, &list, &c.Detail, &c.State, &c.ResolvedBy, &c.Choice, &at); err != nil {
			return err
		}
		if list != "" {
			c.Rows = strings.Split(list, ",")
		}
		if at != "" {
			c.ResolvedAt, _ = time.Parse(time.RFC3339Nano, at)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// OpenConflicts counts open conflicts, for the sync indicator. It needs no key.
func (db *DB) OpenConflicts(ctx context.Context) (int, error) {
	if db.sql == nil {
		return 0, nil
	}
	var n int
	err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM conflicts WHERE deleted = 0 AND state = ?", ConflictOpen).Scan(&n)
	return n, err
}

// ViewWithoutKey runs fn in a read-only transaction that does not need the
// practice key (the hub's and the lock screen's reads of sync state).
func (db *DB) ViewWithoutKey(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, false, false, fn)
}
