package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
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

	stmts map[string]*sql.Stmt // prepared statements bound to this transaction

	hlc      uint64 // last clock value issued; 0 until the first change
	seq      int64  // last sequence number issued; 0 until the first change
	clockSet bool
	changed  bool             // the change log grew: subscribers hear of the commit
	grown    map[string]int64 // the streams this transaction added to, and their new last sequence
}

// grew records that the transaction added change seq to a stream.
func (tx *Tx) grew(stream string, seq int64) {
	if tx.grown == nil {
		tx.grown = map[string]int64{}
	}
	tx.grown[stream] = max(tx.grown[stream], seq)
	tx.changed = true
}

// Now is the transaction's timestamp, in UTC.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in a write transaction, committing if fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, true, true, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, false, true, fn)
}

// UpdateWithoutKey runs fn in a write transaction that does not need the
// practice key: the headless hub syncs with nobody logged in. Plain field
// groups can be written in it; sealing or opening one fails with
// EUnauthorized.
func (db *DB) UpdateWithoutKey(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, true, false, fn)
}

func (db *DB) run(ctx context.Context, write, needKey bool, fn func(tx *Tx) error) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder yet.")
	}
	sealer, _, err := db.key()
	if err != nil && needKey {
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
	if tx.changed {
		db.vector.grow(tx.grown)
		db.commits.notify()
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
	q := []string{qClock, qMaxSeq, qHead, qInsertChange, qLastAudit}
	for table, groups := range schema {
		q = append(q, insertQuery(table))
		for name := range groups {
			q = append(q, applyQuery(table, name))
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
	if st := tx.stmt(query); st != nil {
		return st.Exec(args...)
	}
	return tx.sql.Exec(query, args...)
}

// stmt returns the transaction's handle on a prepared statement, made once
// per transaction, or nil for a statement that is not prepared.
func (tx *Tx) stmt(query string) *sql.Stmt {
	if st, ok := tx.stmts[query]; ok {
		return st
	}
	parent, ok := tx.db.stmts.stmts[query]
	if !ok {
		return nil
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	st := tx.sql.Stmt(parent)
	tx.stmts[query] = st
	return st
}

// queryRow runs a cached single-row query in the transaction.
func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if st := tx.stmt(query); st != nil {
		return st.QueryRow(args...)
	}
	return tx.sql.QueryRow(query, args...)
}

// The mutation path's fixed statements.
const (
	qClock  = "SELECT value FROM meta WHERE key = 'hlc'"
	qMaxSeq = "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE origin = ? AND epoch = ?"
	// qHead is a group's winning change: the latest by (hlc, origin, epoch,
	// seq), the order every machine merges by.
	qHead = `SELECT origin, epoch, seq, hlc, heads, value FROM changes WHERE tbl = ? AND row_id = ? AND grp = ?
		ORDER BY hlc DESC, origin DESC, epoch DESC, seq DESC LIMIT 1`
	qInsertChange = `INSERT INTO changes (origin, epoch, seq, hlc, tx, tbl, row_id, grp, value, heads)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qLastAudit = "SELECT seq, hash FROM audit_log WHERE device = ? ORDER BY seq DESC LIMIT 1"
)

// tick advances the hybrid logical clock: the wall clock in ms in the high
// 48 bits, a counter in the low 16 that keeps values unique and increasing
// when the wall clock stalls or goes back.
func (tx *Tx) tick() (uint64, int64, error) {
	if err := tx.loadClock(); err != nil {
		return 0, 0, err
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

// loadClock reads the persisted clock and this device's last sequence
// number once per transaction; run persists the clock at commit.
func (tx *Tx) loadClock() error {
	if tx.clockSet {
		return nil
	}
	var s string
	if err := tx.queryRow(qClock).Scan(&s); err != nil {
		return fmt.Errorf("store: clock: %w", err)
	}
	last, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return fmt.Errorf("store: clock: %w", err)
	}
	if err := tx.queryRow(qMaxSeq, tx.db.deviceID, tx.db.epoch).Scan(&tx.seq); err != nil {
		return fmt.Errorf("store: sequence: %w", err)
	}
	tx.hlc, tx.clockSet = last, true
	return nil
}

// errNoKey is returned when a transaction without the practice key (the
// headless hub's) meets a sealed field group.
var errNoKey = practice.Errorf(practice.EUnauthorized, "Please log in first.")

// encode turns a group's new value into its column values and its change
// log value: a sealed group is its sealed bytes in both places (the change
// log never holds it decrypted); a plain group is its column values, and
// their JSON array in the log.
func (tx *Tx) encode(table, rowID, grp string, plain []any, sealed any) (cols []any, value []byte, err error) {
	g, ok := schema[table][grp]
	if !ok {
		return nil, nil, fmt.Errorf("store: %s.%s is not a replicated field group", table, grp)
	}
	if g.sealed {
		if tx.sealer == nil {
			return nil, nil, errNoKey
		}
		pt, err := json.Marshal(sealed)
		if err != nil {
			return nil, nil, fmt.Errorf("store: %s.%s: %w", table, grp, err)
		}
		ct, err := tx.sealer.Seal(pt, table, grp, rowID)
		clear(pt)
		return []any{ct}, ct, err
	}
	if len(plain) != len(g.plain) {
		return nil, nil, fmt.Errorf("store: %s.%s takes %d values, got %d", table, grp, len(g.plain), len(plain))
	}
	value, err = json.Marshal(plain)
	return plain, value, err
}

// put writes one field group of an existing (or possibly existing) row:
// plain holds the group's plain column values in schema order; sealed is
// marshalled to JSON and sealed for a sealed group.
func (tx *Tx) put(table, rowID, grp string, plain []any, sealed any) error {
	cols, value, err := tx.encode(table, rowID, grp, plain, sealed)
	if err != nil {
		return err
	}
	if err := tx.logChange(table, rowID, grp, value, false); err != nil {
		return err
	}
	return tx.writeGroup(table, rowID, grp, cols)
}

// create writes a new row, every field group of its table, with one INSERT;
// a new id has no earlier change to replace.
func (tx *Tx) create(table, rowID string, writes []write) error {
	order := groupOrder(table)
	if len(writes) != len(order) {
		return fmt.Errorf("store: a new %s row needs all %d field groups, got %d", table, len(order), len(writes))
	}
	byGroup := make(map[string]write, len(writes))
	for _, w := range writes {
		byGroup[w.grp] = w
	}
	args := []any{rowID}
	for _, grp := range order {
		w, ok := byGroup[grp]
		if !ok {
			return fmt.Errorf("store: a new %s row lacks field group %s", table, grp)
		}
		cols, value, err := tx.encode(table, rowID, grp, w.plain, w.sealed)
		if err != nil {
			return err
		}
		if err := tx.logChange(table, rowID, grp, value, true); err != nil {
			return err
		}
		args = append(args, cols...)
	}
	if _, err := tx.exec(insertQuery(table), args...); err != nil {
		return mapConstraint(fmt.Errorf("store: new %s: %w", table, err))
	}
	return nil
}

// tombstone deletes a row: its sealed groups are erased (secure_delete
// zeroes the freed pages) and the row stays as a marker so a late edit from
// another machine cannot bring it back.
func (tx *Tx) tombstone(table, rowID string) error {
	if _, ok := schema[table]; !ok {
		return fmt.Errorf("store: table %q is not replicated", table)
	}
	if err := tx.logChange(table, rowID, "", nil, false); err != nil {
		return err
	}
	return tx.eraseRow(table, rowID)
}

// logChange appends a change record. heads names the change it replaces:
// the group's winning change, which a fresh row has none of. A local write
// must win over what it replaces on every machine, so when that change
// carries a later clock (a peer's clock runs ahead) this one record takes
// a clock just past it; the transaction's own clock is not pulled forward.
func (tx *Tx) logChange(table, rowID, grp string, value []byte, fresh bool) error {
	if !tx.write {
		return errors.New("store: write in a read-only transaction")
	}
	hlc, seq, err := tx.tick()
	if err != nil {
		return err
	}
	var heads string
	if !fresh {
		head, found, err := tx.head(table, rowID, grp)
		if err != nil {
			return err
		}
		if found {
			heads = head.Key()
			hlc = max(hlc, head.HLC+1)
		}
	}
	if _, err := tx.exec(qInsertChange,
		tx.db.deviceID, tx.db.epoch, seq, int64(hlc), tx.id, table, rowID, grp, value, heads); err != nil {
		return fmt.Errorf("store: change log: %w", err)
	}
	tx.grew(tx.db.deviceID+"/"+tx.db.epoch, seq)
	return nil
}

// head returns the winning change of one field group, if it has any.
func (tx *Tx) head(table, rowID, grp string) (Change, bool, error) {
	c := Change{Table: table, RowID: rowID, Group: grp}
	var hlc int64
	err := tx.queryRow(qHead, table, rowID, grp).Scan(&c.Origin, &c.Epoch, &c.Seq, &hlc, &c.Heads, &c.Value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Change{}, false, nil
	case err != nil:
		return Change{}, false, fmt.Errorf("store: heads: %w", err)
	}
	c.HLC = uint64(hlc)
	return c, true, nil
}

// groupOrder is a table's field groups in a fixed (sorted) order.
func groupOrder(table string) []string {
	names := make([]string, 0, len(schema[table]))
	for name := range schema[table] {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// groupColumns are the row columns a group is written to.
func groupColumns(table, grp string) []string {
	if g := schema[table][grp]; !g.sealed {
		return g.plain
	}
	return []string{grp}
}

// applyQuery is the upsert that writes one group's columns. A deleted row
// keeps its sealed group erased: a tombstone wins over edits, on the
// machine that deleted and on every other. Table and column names come
// from the schema allowlist only.
func applyQuery(table, grp string) string {
	cols := groupColumns(table, grp)
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = excluded." + c
		if schema[table][grp].sealed {
			sets[i] = c + " = CASE WHEN deleted = 1 THEN NULL ELSE excluded." + c + " END"
		}
	}
	return "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)) +
		") ON CONFLICT (id) DO UPDATE SET " + strings.Join(sets, ", ")
}

// insertQuery inserts a whole new row, groups in groupOrder.
func insertQuery(table string) string {
	var cols []string
	for _, grp := range groupOrder(table) {
		cols = append(cols, groupColumns(table, grp)...)
	}
	return "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES (?" + strings.Repeat(", ?", len(cols)) + ")"
}

// open decrypts a sealed group into dst. A NULL column (group never
// written) leaves dst as it is.
func (tx *Tx) open(table, grp, rowID string, sealed []byte, dst any) error {
	if sealed == nil {
		return nil
	}
	if tx.sealer == nil {
		return errNoKey
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

// save writes groups of an existing row. With old (the groups as stored,
// in the same order) only groups whose value changed are written: an
// unchanged group must not produce a change record, or it would overwrite
// another machine's concurrent edit of that group when the two merge.
// With old nil every group given is written.
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

// upsert creates rec (giving it an id) when *id is empty; otherwise it
// loads the stored record and writes the groups that differ from it.
func upsert[T any](tx *Tx, table string, id *string, rec *T, writes func(*T) []write, stored func() (T, error)) error {
	if *id == "" {
		*id = newID()
		return tx.create(table, *id, writes(rec))
	}
	old, err := stored()
	if err != nil {
		return err
	}
	return tx.save(table, *id, writes(rec), writes(&old))
}

// nullable stores "" as NULL, for optional foreign keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
