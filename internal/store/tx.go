package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/vault"
)

// Tx is the single mutation path. Every write of a replicated table goes
// through put or tombstone, which update the row, append a change record
// and advance the hybrid logical clock in the same SQLite transaction.
type Tx struct {
	db     *DB
	sql    *sql.Tx
	sealer *vault.Sealer
	now    time.Time // one timestamp per transaction
	id     string
	write  bool

	hlc      uint64 // last clock value issued; 0 until the first change
	seq      int64  // last sequence number issued; 0 until the first change
	clockSet bool
}

// Now is the transaction's timestamp, in UTC.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in a write transaction, committing if fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, true, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, false, fn)
}

func (db *DB) run(ctx context.Context, write bool, fn func(tx *Tx) error) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder yet.")
	}
	sealer, _, err := db.key()
	if err != nil {
		return err
	}
	stx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: !write})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{db: db, sql: stx, sealer: sealer, now: db.now().UTC().Truncate(time.Millisecond), id: newID(), write: write}
	if err := fn(tx); err != nil {
		stx.Rollback()
		return err
	}
	if tx.clockSet {
		if _, err := stx.Exec("UPDATE meta SET value = ? WHERE key = 'hlc'", strconv.FormatUint(tx.hlc, 10)); err != nil {
			stx.Rollback()
			return fmt.Errorf("store: clock: %w", err)
		}
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// groupValue is a field group as it travels in the change log: the plain
// column values in schema order, and the sealed blob for a sealed group.
type groupValue struct {
	Plain  []any  `json:"p,omitempty"`
	Sealed []byte `json:"s,omitempty"`
}

// tick advances the hybrid logical clock: the wall clock in ms in the high
// 48 bits, a counter in the low 16 that keeps values unique and increasing
// when the wall clock stalls or goes back.
func (tx *Tx) tick() (uint64, int64, error) {
	if !tx.clockSet {
		var s string
		if err := tx.sql.QueryRow("SELECT value FROM meta WHERE key = 'hlc'").Scan(&s); err != nil {
			return 0, 0, fmt.Errorf("store: clock: %w", err)
		}
		last, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("store: clock: %w", err)
		}
		if err := tx.sql.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE origin = ? AND epoch = ?",
			tx.db.deviceID, tx.db.epoch).Scan(&tx.seq); err != nil {
			return 0, 0, fmt.Errorf("store: sequence: %w", err)
		}
		tx.hlc, tx.clockSet = last, true
	}
	wall := uint64(tx.now.UnixMilli()) << 16
	if wall > tx.hlc {
		tx.hlc = wall
	} else {
		tx.hlc++
	}
	tx.seq++
	return tx.hlc, tx.seq, nil
}

// put writes one field group of one row: plain holds the group's plain
// column values in schema order; sealed is marshalled to JSON and sealed
// for a sealed group.
func (tx *Tx) put(table, rowID, grp string, plain []any, sealed any) error {
	g, err := lookupGroup(table, grp)
	if err != nil {
		return err
	}
	var gv groupValue
	if g.sealed {
		pt, err := json.Marshal(sealed)
		if err != nil {
			return fmt.Errorf("store: %s.%s: %w", table, grp, err)
		}
		gv.Sealed, err = tx.sealer.Seal(pt, table, grp, rowID)
		clear(pt)
		if err != nil {
			return err
		}
	} else {
		if len(plain) != len(g.plain) {
			return fmt.Errorf("store: %s.%s takes %d values, got %d", table, grp, len(g.plain), len(plain))
		}
		gv.Plain = plain
	}
	value, err := json.Marshal(gv)
	if err != nil {
		return err
	}
	if err := tx.logChange(table, rowID, grp, value); err != nil {
		return err
	}
	return tx.applyGroup(table, rowID, grp, g, gv)
}

// tombstone deletes a row: its sealed groups are erased (secure_delete
// zeroes the freed pages) and the row stays as a marker so a late edit from
// another machine cannot bring it back.
func (tx *Tx) tombstone(table, rowID string) error {
	groups, ok := schema[table]
	if !ok {
		return fmt.Errorf("store: table %q is not replicated", table)
	}
	if err := tx.logChange(table, rowID, "", nil); err != nil {
		return err
	}
	sets := []string{"deleted = 1"}
	for name, g := range groups {
		if g.sealed {
			sets = append(sets, name+" = NULL")
		}
	}
	_, err := tx.sql.Exec("UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE id = ?", rowID)
	return err
}

func lookupGroup(table, grp string) (group, error) {
	g, ok := schema[table][grp]
	if !ok {
		return group{}, fmt.Errorf("store: %s.%s is not a replicated field group", table, grp)
	}
	return g, nil
}

func (tx *Tx) logChange(table, rowID, grp string, value []byte) error {
	if !tx.write {
		return errors.New("store: write in a read-only transaction")
	}
	hlc, seq, err := tx.tick()
	if err != nil {
		return err
	}
	var heads string
	var origin, epoch string
	var headSeq int64
	err = tx.sql.QueryRow("SELECT origin, epoch, seq FROM heads WHERE tbl = ? AND row_id = ? AND grp = ?", table, rowID, grp).
		Scan(&origin, &epoch, &headSeq)
	switch {
	case err == nil:
		heads = origin + "/" + epoch + "/" + strconv.FormatInt(headSeq, 10)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: heads: %w", err)
	}
	if _, err := tx.sql.Exec(`INSERT INTO changes (origin, epoch, seq, hlc, tx, tbl, row_id, grp, value, heads)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.db.deviceID, tx.db.epoch, seq, int64(hlc), tx.id, table, rowID, grp, value, heads); err != nil {
		return fmt.Errorf("store: change log: %w", err)
	}
	if _, err := tx.sql.Exec(`INSERT INTO heads (tbl, row_id, grp, origin, epoch, seq, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tbl, row_id, grp) DO UPDATE SET origin = excluded.origin, epoch = excluded.epoch, seq = excluded.seq, hlc = excluded.hlc`,
		table, rowID, grp, tx.db.deviceID, tx.db.epoch, seq, int64(hlc)); err != nil {
		return fmt.Errorf("store: heads: %w", err)
	}
	return nil
}

// applyGroup writes a group's columns into its row, creating the row if
// needed. Table and column names come from the schema allowlist only.
func (tx *Tx) applyGroup(table, rowID, grp string, g group, gv groupValue) error {
	cols := g.plain
	vals := gv.Plain
	if g.sealed {
		cols, vals = []string{grp}, []any{gv.Sealed}
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = excluded." + c
	}
	q := "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)) +
		") ON CONFLICT (id) DO UPDATE SET " + strings.Join(sets, ", ")
	if _, err := tx.sql.Exec(q, append([]any{rowID}, vals...)...); err != nil {
		return mapConstraint(fmt.Errorf("store: %s.%s: %w", table, grp, err))
	}
	return nil
}

// open decrypts a sealed group into dst. A NULL column (group never
// written) leaves dst as it is.
func (tx *Tx) open(table, grp, rowID string, sealed []byte, dst any) error {
	if sealed == nil {
		return nil
	}
	pt, err := tx.sealer.Open(sealed, table, grp, rowID)
	if err != nil {
		tx.db.log.Error("sealed field failed to open", "table", table, "group", grp, "row", rowID)
		return practice.Errorf(practice.EDamaged,
			"A record could not be decrypted: it was damaged or altered outside Quietdesk. Nothing was changed.")
	}
	defer clear(pt)
	return json.Unmarshal(pt, dst)
}

func mapConstraint(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed: accounts.login"):
		return &practice.Error{Code: practice.EConflict, Message: "That username is taken.", Fields: map[string]string{"username": "That username is taken."}}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return practice.Errorf(practice.EInvalid, "This refers to a record that does not exist.")
	}
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// write is the new value of one field group of a row.
type write struct {
	grp    string
	plain  []any
	sealed any
}

// save writes a row's groups. For an existing row (old != nil) only groups
// whose value changed are written: an unchanged group must not produce a
// change record, or it would overwrite another machine's concurrent edit of
// that group when the two merge.
func (tx *Tx) save(table, rowID string, next, old []write) error {
	for i, w := range next {
		if old != nil && reflect.DeepEqual(w.plain, old[i].plain) && reflect.DeepEqual(w.sealed, old[i].sealed) {
			continue
		}
		if err := tx.put(table, rowID, w.grp, w.plain, w.sealed); err != nil {
			return err
		}
	}
	return nil
}

// nullable stores "" as NULL, for optional foreign keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
