package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
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

	plain map[sealedRef][]byte // sealed groups a write transaction opened or sealed, see remember
}

// sealedRef names one sealed value of one field group of one row.
type sealedRef struct{ table, grp, row, sealed string }

// rememberLimit bounds how many opened groups a write transaction keeps:
// a save touches a handful; a bulk write must not hold all it sealed.
const rememberLimit = 64

// remember keeps the plaintext of a sealed value a write transaction has
// just sealed or opened, so that a save, which reads the stored record to
// find what changed and then reads the saved record back, decrypts each
// group once. Only the exact sealed bytes under the same table, group and
// row hit; the plaintexts are wiped when the transaction ends.
func (tx *Tx) remember(ref sealedRef, pt []byte) {
	if !tx.write || len(tx.plain) >= rememberLimit {
		return
	}
	if tx.plain == nil {
		tx.plain = map[sealedRef][]byte{}
	}
	tx.plain[ref] = append([]byte(nil), pt...)
}

// forget wipes the remembered plaintexts.
func (tx *Tx) forget() {
	for ref, pt := range tx.plain {
		clear(pt)
		delete(tx.plain, ref)
	}
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
	// Roll back whatever way fn leaves, a panic included: the pool has one
	// connection, and a transaction left open on it would hold every later
	// read and write of this process.
	committed := false
	tx := &Tx{db: db, sql: stx, sealer: sealer, now: db.now().UTC().Truncate(time.Millisecond), id: newID(), write: write}
	defer func() {
		tx.forget()
		if !committed {
			stx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if tx.clockSet {
		if _, err := stx.Exec("UPDATE meta SET value = ? WHERE key = 'hlc'", strconv.FormatUint(tx.hlc, 10)); err != nil {
			return fmt.Errorf("store: clock: %w", err)
		}
	}
	committed = true
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	if write {
		db.checkpointSoon()
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
	q := []string{qClock, qMaxSeq, qHead, qGroupChanges, qInsertChange, qLastAudit}
	for table, groups := range schema {
		q = append(q, insertQuery(table))
		for name, g := range groups {
			if g.stored() {
				q = append(q, applyQuery(table, name))
			}
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

// stmtQuery runs a cached query in the transaction.
func (tx *Tx) stmtQuery(query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(query); st != nil {
		return st.Query(args...)
	}
	return tx.sql.Query(query, args...)
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
	// qGroupChanges is every change of a group, for a policy that ranks
	// them by more than the clock.
	qGroupChanges = `SELECT origin, epoch, seq, hlc, heads, value FROM changes WHERE tbl = ? AND row_id = ? AND grp = ?`
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

// open decrypts a sealed group into dst. A NULL column (group never
// written) leaves dst as it is.
func (tx *Tx) open(table, grp, rowID string, sealed []byte, dst any) error {
	if sealed == nil {
		return nil
	}
	if tx.sealer == nil {
		return errNoKey
	}
	ref := sealedRef{table, grp, rowID, string(sealed)}
	if pt, ok := tx.plain[ref]; ok {
		return json.Unmarshal(pt, dst)
	}
	pt, err := tx.sealer.Open(sealed, table, grp, rowID)
	tx.db.opened.Add(1)
	if err != nil {
		tx.db.log.Error("sealed field failed to open", "table", table, "group", grp, "row", rowID)
		return practice.Errorf(practice.EDamaged,
			"A record could not be decrypted: it was damaged or altered outside Quietdesk. Nothing was changed.")
	}
	defer clear(pt)
	tx.remember(ref, pt)
	return json.Unmarshal(pt, dst)
}
