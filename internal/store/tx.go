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

// stmtCache keeps the mutation path's statements prepared for the life of
// one *sql.DB: a bulk write (the large demo, a sync batch) otherwise spends
// a fifth of its time re-preparing the same few statements. They are all
// prepared up front, outside any transaction: the pool has one connection,
// so preparing while a transaction holds it would wait forever.
type stmtCache struct {
	stmts map[string]*sql.Stmt
}

// hotQueries lists every statement the mutation path runs.
func hotQueries() []string {
	q := []string{qClock, qMaxSeq, qHead, qInsertChange, qUpsertHead, qLastAudit}
	for table, groups := range schema {
		for name, g := range groups {
			q = append(q, applyQuery(table, name, g))
		}
	}
	return q
}

func (c *stmtCache) prepare(db *sql.DB) error {
	c.stmts = map[string]*sql.Stmt{}
	for _, q := range hotQueries() {
		st, err := db.Prepare(q)
		if err != nil {
			c.close()
			return fmt.Errorf("store: prepare: %w", err)
		}
		c.stmts[q] = st
	}
	return nil
}

func (c *stmtCache) close() {
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// exec runs a cached statement in the transaction.
func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	if st, ok := tx.db.stmts.stmts[query]; ok {
		return tx.sql.Stmt(st).Exec(args...)
	}
	return tx.sql.Exec(query, args...)
}

// queryRow runs a cached single-row query in the transaction.
func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if st, ok := tx.db.stmts.stmts[query]; ok {
		return tx.sql.Stmt(st).QueryRow(args...)
	}
	return tx.sql.QueryRow(query, args...)
}

// The mutation path's fixed statements.
const (
	qClock        = "SELECT value FROM meta WHERE key = 'hlc'"
	qMaxSeq       = "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE origin = ? AND epoch = ?"
	qHead         = "SELECT origin, epoch, seq FROM heads WHERE tbl = ? AND row_id = ? AND grp = ?"
	qInsertChange = `INSERT INTO changes (origin, epoch, seq, hlc, tx, tbl, row_id, grp, value, heads)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qUpsertHead = `INSERT INTO heads (tbl, row_id, grp, origin, epoch, seq, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tbl, row_id, grp) DO UPDATE SET origin = excluded.origin, epoch = excluded.epoch, seq = excluded.seq, hlc = excluded.hlc`
	qLastAudit = "SELECT seq, hash FROM audit_log WHERE device = ? ORDER BY seq DESC LIMIT 1"
)

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
		if err := tx.queryRow(qClock).Scan(&s); err != nil {
			return 0, 0, fmt.Errorf("store: clock: %w", err)
		}
		last, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("store: clock: %w", err)
		}
		if err := tx.queryRow(qMaxSeq, tx.db.deviceID, tx.db.epoch).Scan(&tx.seq); err != nil {
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
	err = tx.queryRow(qHead, table, rowID, grp).
		Scan(&origin, &epoch, &headSeq)
	switch {
	case err == nil:
		heads = origin + "/" + epoch + "/" + strconv.FormatInt(headSeq, 10)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: heads: %w", err)
	}
	if _, err := tx.exec(qInsertChange,
		tx.db.deviceID, tx.db.epoch, seq, int64(hlc), tx.id, table, rowID, grp, value, heads); err != nil {
		return fmt.Errorf("store: change log: %w", err)
	}
	if _, err := tx.exec(qUpsertHead,
		table, rowID, grp, tx.db.deviceID, tx.db.epoch, seq, int64(hlc)); err != nil {
		return fmt.Errorf("store: heads: %w", err)
	}
	return nil
}

// applyGroup writes a group's columns into its row, creating the row if
// needed. Table and column names come from the schema allowlist only.
func (tx *Tx) applyGroup(table, rowID, grp string, g group, gv groupValue) error {
	vals := gv.Plain
	if g.sealed {
		vals = []any{gv.Sealed}
	}
	if _, err := tx.exec(applyQuery(table, grp, g), append([]any{rowID}, vals...)...); err != nil {
		return mapConstraint(fmt.Errorf("store: %s.%s: %w", table, grp, err))
	}
	return nil
}

// applyQuery is the upsert that writes one group's columns.
func applyQuery(table, grp string, g group) string {
	cols := g.plain
	if g.sealed {
		cols = []string{grp}
	}
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = excluded." + c
	}
	return "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)) +
		") ON CONFLICT (id) DO UPDATE SET " + strings.Join(sets, ", ")
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
