package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"quietdesk/internal/practice"
)

// Change is one record of the change log, as it travels between machines.
// Value is the field group as written to the row: sealed groups stay
// sealed, so replicating never needs the practice key.
type Change struct {
	Origin string // device (store device id) that made the change
	Epoch  string // that device's database epoch, new on create and restore
	Seq    int64  // dense per (Origin, Epoch)
	HLC    uint64 // hybrid logical clock: ms << 16 | counter
	Tx     string
	Table  string
	RowID  string
	Group  string // "" for a row tombstone
	Value  []byte // nil for a tombstone
	Heads  string // the change(s) this one replaced, Keys comma-separated
	// TxEnd marks the last change of its transaction. It is not stored:
	// the sender derives it from its log, which holds only whole
	// transactions, and the receiver applies a transaction only once it
	// has all of it, so no machine ever shows half of someone's save.
	TxEnd bool
}

// Key names a change on every machine: "origin/epoch/seq".
func (c Change) Key() string { return c.Origin + "/" + c.Epoch + "/" + strconv.FormatInt(c.Seq, 10) }

// Stream names one origin's log in one epoch: "origin/epoch".
func (c Change) Stream() string { return c.Origin + "/" + c.Epoch }

// after orders changes the way every machine merges them: by clock, then
// origin, epoch and sequence, so no two distinct changes tie.
func (c Change) after(o Change) bool {
	if c.HLC != o.HLC {
		return c.HLC > o.HLC
	}
	if c.Origin != o.Origin {
		return c.Origin > o.Origin
	}
	if c.Epoch != o.Epoch {
		return c.Epoch > o.Epoch
	}
	return c.Seq > o.Seq
}

// names reports whether c's causal context includes the change key.
func (c Change) names(key string) bool {
	return slices.Contains(strings.Split(c.Heads, ","), key)
}

// Vector is the highest sequence number held per stream ("origin/epoch").
// Sequences are dense and applied without gaps, so a vector says exactly
// which changes a machine holds.
type Vector map[string]int64

// Total is the number of changes the vector covers.
func (v Vector) Total() int64 {
	var n int64
	for _, s := range v {
		n += s
	}
	return n
}

// Missing is how many changes of v the vector other lacks.
func (v Vector) Missing(other Vector) int64 {
	var n int64
	for stream, s := range v {
		n += max(0, s-other[stream])
	}
	return n
}

// querier is what reading the change log needs: a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Vector returns which changes this database holds. It needs no key.
func (db *DB) Vector(ctx context.Context) (Vector, error) {
	if db.sql == nil {
		return Vector{}, nil
	}
	return db.vector.get(func() (Vector, error) { return vectorOf(ctx, db.sql) })
}

// vectorCache keeps the database's vector in memory: sync asks for it
// after every batch, and computing it scans the whole change log. It is
// loaded on first use and raised after every commit that grew the log.
type vectorCache struct {
	mu sync.Mutex
	v  Vector // nil: not loaded
}

func (c *vectorCache) get(load func() (Vector, error)) (Vector, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v == nil {
		v, err := load()
		if err != nil {
			return nil, err
		}
		c.v = v
	}
	return maps.Clone(c.v), nil
}

func (c *vectorCache) grow(streams map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v == nil {
		return
	}
	for stream, seq := range streams {
		c.v[stream] = max(c.v[stream], seq)
	}
}

// reset forgets the vector (the database file was replaced).
func (c *vectorCache) reset() {
	c.mu.Lock()
	c.v = nil
	c.mu.Unlock()
}

func vectorOf(ctx context.Context, q querier) (Vector, error) {
	rows, err := q.QueryContext(ctx, "SELECT origin, epoch, MAX(seq) FROM changes GROUP BY origin, epoch")
	if err != nil {
		return nil, fmt.Errorf("store: vector: %w", err)
	}
	defer rows.Close()
	v := Vector{}
	for rows.Next() {
		var origin, epoch string
		var seq int64
		if err := rows.Scan(&origin, &epoch, &seq); err != nil {
			return nil, fmt.Errorf("store: vector: %w", err)
		}
		v[origin+"/"+epoch] = seq
	}
	return v, rows.Err()
}

// ChangesAfter returns up to limit changes this database holds and peer
// lacks: the missing suffix of every stream, merged by clock. Sending in
// clock order keeps what a peer holds causally complete after every batch
// (a change arrives after the ones its writer had seen), which is what
// concurrency detection relies on. It needs no key.
func (db *DB) ChangesAfter(ctx context.Context, peer Vector, limit int) ([]Change, error) {
	if db.sql == nil {
		return nil, nil
	}
	have, err := db.Vector(ctx)
	if err != nil {
		return nil, err
	}
	return changesAfter(ctx, db.sql, have, peer, limit)
}

func changesAfter(ctx context.Context, q querier, have, peer Vector, limit int) ([]Change, error) {
	var suffixes [][]Change
	for stream, seq := range have {
		if seq <= peer[stream] {
			continue
		}
		origin, epoch, _ := strings.Cut(stream, "/")
		list, err := readChanges(ctx, q, origin, epoch, peer[stream], limit)
		if err != nil {
			return nil, err
		}
		suffixes = append(suffixes, list)
	}
	if len(suffixes) == 0 {
		return nil, nil
	}
	// Merge the suffixes by clock, keeping each stream's own order.
	var out []Change
	for len(out) < limit {
		best := -1
		for i, s := range suffixes {
			if len(s) > 0 && (best < 0 || suffixes[best][0].after(s[0])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out = append(out, suffixes[best][0])
		suffixes[best] = suffixes[best][1:]
	}
	if len(out) == 0 {
		return nil, nil
	}
	first := out[0]
	if out = wholeTransactions(out); len(out) == 0 {
		// The next transaction alone is larger than a batch: send it whole.
		return readTransaction(ctx, q, first.Origin, first.Epoch, peer[first.Stream()])
	}
	return out, nil
}

// wholeTransactions drops, per stream, the changes after its last complete
// transaction.
func wholeTransactions(list []Change) []Change {
	lastEnd := map[string]int{}
	for i, c := range list {
		if c.TxEnd {
			lastEnd[c.Stream()] = i
		}
	}
	out := list[:0]
	for i, c := range list {
		if end, ok := lastEnd[c.Stream()]; ok && i <= end {
			out = append(out, c)
		}
	}
	return out
}

// readChanges reads up to limit changes of a stream after a sequence
// number, marking the ends of transactions (one more row is read to know
// whether the last one ends its transaction).
func readChanges(ctx context.Context, q querier, origin, epoch string, after int64, limit int) ([]Change, error) {
	list, err := queryChanges(ctx, q, "AND seq > ? ORDER BY seq LIMIT ?", origin, epoch, after, limit+1)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].TxEnd = i+1 == len(list) || list[i+1].Tx != list[i].Tx
	}
	if len(list) > limit {
		list = list[:limit]
	}
	return list, nil
}

// readTransaction reads the whole transaction that follows seq after in a
// stream.
func readTransaction(ctx context.Context, q querier, origin, epoch string, after int64) ([]Change, error) {
	list, err := queryChanges(ctx, q, `AND seq > ? AND tx = (SELECT tx FROM changes WHERE origin = ? AND epoch = ? AND seq = ?)
		ORDER BY seq`, origin, epoch, after, origin, epoch, after+1)
	if len(list) > 0 {
		list[len(list)-1].TxEnd = true
	}
	return list, err
}

func queryChanges(ctx context.Context, q querier, where string, origin, epoch string, args ...any) ([]Change, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, hlc, tx, tbl, row_id, grp, value, heads FROM changes
		WHERE origin = ? AND epoch = ? `+where, append([]any{origin, epoch}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: read changes: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		c := Change{Origin: origin, Epoch: epoch}
		var hlc int64
		if err := rows.Scan(&c.Seq, &hlc, &c.Tx, &c.Table, &c.RowID, &c.Group, &c.Value, &c.Heads); err != nil {
			return nil, fmt.Errorf("store: read changes: %w", err)
		}
		c.HLC = uint64(hlc)
		out = append(out, c)
	}
	return out, rows.Err()
}

// RowRef names one replicated row.
type RowRef struct {
	Table string
	ID    string
}

// AfterApply runs inside the transaction that merged a batch, with every
// row the batch changed, before it commits: the calendar checks merged
// appointment slots for overlaps here and records double-bookings with
// tx.RecordConflict, so the check and the merge commit together. The
// transaction has no practice key: only plain groups are readable.
type AfterApply func(tx *Tx, changed []RowRef) error

// MaxClockSkew bounds how far ahead of this machine's wall clock a
// received change may pull the local clock. A change stamped further in
// the future is still merged (every machine must reach the same state) but
// leaves the clock alone, so one machine with a wrong date cannot drag the
// others' clocks with it.
const MaxClockSkew = time.Minute

// Applied reports what ApplyBatch did.
type Applied struct {
	New        int      // changes this database did not hold before
	Duplicates int      // already held, ignored
	Gaps       int      // skipped: an earlier change of their stream, or the end of their transaction, is missing
	FutureHLC  int64    // ms by which the latest received clock was ahead of ours beyond MaxClockSkew; 0 if none
	Changed    []RowRef // the rows the merged changes touched (set once committed)
}

// ApplyBatch merges changes from another machine in one transaction: all
// of them or none. It is idempotent (changes already held are ignored) and
// keeps each change under its original origin, epoch and sequence, so this
// machine can relay it. A change whose predecessor in its stream is
// missing is skipped (a dropped or reordered batch is resent later), and
// so is a transaction whose end is not in the batch. Rows
// take, per field group, the latest change by (clock, origin); a tombstone
// wins over any edit. Two changes of one group written without either
// machine having seen the other are recorded as a concurrent-edit
// conflict (both values stay in the change log). It needs no key.
func (db *DB) ApplyBatch(ctx context.Context, batch []Change, after AfterApply) (Applied, error) {
	var res Applied
	err := db.UpdateWithoutKey(ctx, func(tx *Tx) error {
		res = Applied{}
		// Rows may arrive before a row they refer to from another origin
		// within the batch; foreign keys are checked at commit instead.
		if _, err := tx.sql.Exec("PRAGMA defer_foreign_keys = ON"); err != nil {
			return fmt.Errorf("store: apply: %w", err)
		}
		held := heldStreams{tx: tx, seq: map[string]int64{}}
		pending := map[string][]Change{} // an unfinished transaction per stream
		blocked := map[string]bool{}     // a stream whose next transaction waits for another's changes
		var changed []RowRef
		seen := map[RowRef]bool{}
		var maxHLC uint64
		for _, c := range batch {
			stream := c.Stream()
			if blocked[stream] {
				res.Gaps++
				continue
			}
			have, err := held.get(stream)
			if err != nil {
				return err
			}
			next := have + 1 + int64(len(pending[stream]))
			switch {
			case c.Seq < next && c.Seq <= have:
				res.Duplicates++
				continue
			case c.Seq != next:
				res.Gaps++
				continue
			case len(pending[stream]) > 0 && pending[stream][0].Tx != c.Tx:
				// A transaction that never ended: the batch is malformed.
				res.Gaps += len(pending[stream])
				delete(pending, stream)
				res.Gaps++
				continue
			}
			if !c.TxEnd {
				pending[stream] = append(pending[stream], c)
				continue
			}
			whole := append(pending[stream], c)
			delete(pending, stream)
			if ok, err := held.causesOf(whole); err != nil {
				return err
			} else if !ok {
				res.Gaps += len(whole)
				blocked[stream] = true
				continue
			}
			for _, c := range whole {
				if err := tx.applyChange(c); err != nil {
					return err
				}
				maxHLC = max(maxHLC, c.HLC)
				if ref := (RowRef{c.Table, c.RowID}); !seen[ref] {
					seen[ref] = true
					changed = append(changed, ref)
				}
			}
			held.seq[stream] = c.Seq
			tx.grew(stream, c.Seq)
			res.New += len(whole)
		}
		for _, rest := range pending {
			res.Gaps += len(rest) // a transaction's end is in a later batch
		}
		if res.New == 0 {
			return nil
		}
		res.Changed = changed
		if after != nil {
			if err := after(tx, changed); err != nil {
				return fmt.Errorf("store: after apply: %w", err)
			}
		}
		ahead, err := tx.mergeClock(maxHLC)
		res.FutureHLC = ahead
		return err
	})
	if err != nil {
		res.Changed = nil
	}
	return res, err
}

// heldStreams is what an apply transaction holds of each stream it met.
type heldStreams struct {
	tx  *Tx
	seq map[string]int64
}

func (h heldStreams) get(stream string) (int64, error) {
	if seq, ok := h.seq[stream]; ok {
		return seq, nil
	}
	origin, epoch, _ := strings.Cut(stream, "/")
	var seq int64
	if err := h.tx.queryRow(qMaxSeq, origin, epoch).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: apply: %w", err)
	}
	h.seq[stream] = seq
	return seq, nil
}

// causesOf reports whether every change a transaction's changes replaced
// (their heads) is held or in the transaction itself. Batches are sent in
// clock order, which keeps causes first; this check keeps an edit from
// landing before the row it edits when they arrive out of order anyway (a
// peer whose clock runs far ahead, or batches reordered on the way).
func (h heldStreams) causesOf(whole []Change) (bool, error) {
	inTx := map[string]bool{}
	for _, c := range whole {
		for _, key := range strings.Split(c.Heads, ",") {
			if key == "" || inTx[key] {
				continue
			}
			i := strings.LastIndexByte(key, '/')
			seq, err := strconv.ParseInt(key[i+1:], 10, 64)
			if i < 0 || err != nil {
				return false, fmt.Errorf("store: apply: %s names a malformed change %q", c.Key(), key)
			}
			have, err := h.get(key[:i])
			if err != nil {
				return false, err
			}
			if have < seq {
				return false, nil
			}
		}
		inTx[c.Key()] = true
	}
	return true, nil
}

// mergeClock moves the local clock up to a received one, unless that one
// is more than MaxClockSkew ahead of the wall clock; it then returns how
// many ms ahead it was.
func (tx *Tx) mergeClock(received uint64) (int64, error) {
	if err := tx.loadClock(); err != nil {
		return 0, err
	}
	ahead := int64(received>>16) - tx.now.UnixMilli()
	if ahead > MaxClockSkew.Milliseconds() {
		return ahead, nil
	}
	tx.hlc = max(tx.hlc, received)
	return 0, nil
}

// applyChange records one received change and merges it into its row. A
// change of a table or field group this version does not know (a peer
// runs a newer Quietdesk) is recorded and relayed but not merged: it is
// merged after the upgrade that brings its table (mergeDeferred).
func (tx *Tx) applyChange(c Change) error {
	if c.Group == "" && c.Value != nil {
		return fmt.Errorf("store: apply: %s: a tombstone carries no value", c.Key())
	}
	if c.HLC > math.MaxInt64 {
		return fmt.Errorf("store: apply: %s: clock out of range", c.Key())
	}
	if !known(c.Table, c.Group) {
		if err := tx.insertChange(c); err != nil {
			return err
		}
		if _, err := tx.sql.Exec("INSERT INTO sync_deferred (origin, epoch, seq) VALUES (?, ?, ?)", c.Origin, c.Epoch, c.Seq); err != nil {
			return fmt.Errorf("store: apply: defer %s: %w", c.Key(), err)
		}
		return nil
	}
	head, found, err := tx.head(c.Table, c.RowID, c.Group)
	if err != nil {
		return err
	}
	if err := tx.insertChange(c); err != nil {
		return err
	}
	if c.Group == "" {
		return tx.eraseRow(c.Table, c.RowID)
	}
	if found && concurrent(c, head) && !bytes.Equal(c.Value, head.Value) && !mergeExempt(c.Table, c.Group) && !bothCreations(c, head) {
		if err := tx.recordConcurrentEdit(c, head); err != nil {
			return err
		}
	}
	if found && head.after(c) {
		return nil // an older change never overwrites a newer one
	}
	return tx.mergeValue(c)
}

// known reports whether this version replicates the table and group.
func known(table, grp string) bool {
	groups, ok := schema[table]
	if !ok {
		return false
	}
	_, ok = groups[grp]
	return ok || grp == ""
}

func (tx *Tx) insertChange(c Change) error {
	if _, err := tx.exec(qInsertChange, c.Origin, c.Epoch, c.Seq, int64(c.HLC), c.Tx, c.Table, c.RowID, c.Group, c.Value, c.Heads); err != nil {
		return fmt.Errorf("store: apply: change log: %w", err)
	}
	return nil
}

// mergeValue writes a winning change's value to its row.
func (tx *Tx) mergeValue(c Change) error {
	cols, err := decodeGroup(c.Table, c.Group, c.Value)
	if err != nil {
		return fmt.Errorf("store: apply %s: %w", c.Key(), err)
	}
	if c.Table == "accounts" && c.Group == "login" {
		if err := tx.settleLoginClash(c.RowID, cols); err != nil {
			return err
		}
	}
	return tx.writeGroup(c.Table, c.RowID, c.Group, cols)
}

// mergeDeferred merges the received changes an earlier version could not,
// now that migrations have brought their tables. Each group takes its
// latest change, as if merged on arrival; concurrent edits among them are
// not flagged.
func (db *DB) mergeDeferred(ctx context.Context) error {
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT COUNT(*) FROM sync_deferred").Scan(&n); err != nil || n == 0 {
		return err
	}
	return db.UpdateWithoutKey(ctx, func(tx *Tx) error {
		if _, err := tx.sql.Exec("PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
		list, err := queryDeferred(tx)
		if err != nil {
			return err
		}
		for _, c := range list {
			if !known(c.Table, c.Group) {
				continue // still unknown: a later upgrade merges it
			}
			if head, _, err := tx.head(c.Table, c.RowID, c.Group); err != nil {
				return err
			} else if head.Key() == c.Key() {
				if c.Group == "" {
					err = tx.eraseRow(c.Table, c.RowID)
				} else {
					err = tx.mergeValue(c)
				}
				if err != nil {
					return err
				}
			}
			if _, err := tx.sql.Exec("DELETE FROM sync_deferred WHERE origin = ? AND epoch = ? AND seq = ?", c.Origin, c.Epoch, c.Seq); err != nil {
				return fmt.Errorf("store: deferred: %w", err)
			}
		}
		return nil
	})
}

func queryDeferred(tx *Tx) ([]Change, error) {
	rows, err := tx.sql.Query(`SELECT c.origin, c.epoch, c.seq, c.hlc, c.tx, c.tbl, c.row_id, c.grp, c.value, c.heads
		FROM sync_deferred d JOIN changes c ON c.origin = d.origin AND c.epoch = d.epoch AND c.seq = d.seq ORDER BY c.hlc`)
	if err != nil {
		return nil, fmt.Errorf("store: deferred: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var hlc int64
		if err := rows.Scan(&c.Origin, &c.Epoch, &c.Seq, &hlc, &c.Tx, &c.Table, &c.RowID, &c.Group, &c.Value, &c.Heads); err != nil {
			return nil, fmt.Errorf("store: deferred: %w", err)
		}
		c.HLC = uint64(hlc)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConflictDuplicateLogin: two machines offline created accounts with the
// same username. The older account (smaller id) keeps the login.
const ConflictDuplicateLogin = "duplicate-login"

// settleLoginClash keeps the unique login index satisfied when a received
// login equals another account's: of all accounts with that login, the
// one with the smallest id keeps it and the others lose theirs (login NULL:
// they cannot log in until the owner gives them another username), on every
// machine alike whatever the order changes arrive in. A conflict names the
// pair for the owner. cols is the login group's values and may be changed.
func (tx *Tx) settleLoginClash(rowID string, cols []any) error {
	if cols[0] == nil {
		return nil
	}
	var others []string
	err := tx.rowsOf("SELECT id FROM accounts WHERE login = ? AND id != ?", []any{cols[0], rowID}, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		others = append(others, id)
		return err
	})
	if err != nil {
		return err
	}
	for _, other := range others {
		if other < rowID {
			cols[0] = nil
		} else if _, err := tx.sql.Exec("UPDATE accounts SET login = NULL WHERE id = ?", other); err != nil {
			return fmt.Errorf("store: login clash: %w", err)
		}
		if _, err := tx.RecordConflict(ConflictDuplicateLogin, "accounts", []string{rowID, other}, ""); err != nil {
			return err
		}
	}
	return nil
}

// exempt are tables (or "table.group"s) whose concurrent writes are not
// worth a person's attention: conflict records themselves (every machine
// writes the same one), the audit trail (each device appends to its own
// chain), device labels, and how far a series is materialized (the
// scheduled job's bookkeeping, moved by every machine that runs it).
var exempt = map[string]bool{"conflicts": true, "audit_log": true, "devices": true, "series.horizon": true}

func mergeExempt(table, group string) bool { return exempt[table] || exempt[table+"."+group] }

// bothCreations reports whether two changes both created the row (neither
// replaced anything). Only rows with name-based ids can be created twice —
// a series' occurrences, which two machines extending the series make from
// the same template — so their values differ only by the seal's nonce and
// keeping either loses nothing.
func bothCreations(a, b Change) bool { return a.Heads == "" && b.Heads == "" }

// concurrent reports whether two changes of one group were written without
// either writer having seen the other.
func concurrent(a, b Change) bool { return !a.names(b.Key()) && !b.names(a.Key()) }

// decodeGroup turns a change's value back into the group's column values.
func decodeGroup(table, grp string, value []byte) ([]any, error) {
	g := schema[table][grp]
	if g.sealed {
		return []any{value}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber()
	var vals []any
	if err := dec.Decode(&vals); err != nil {
		return nil, fmt.Errorf("%s.%s: %w", table, grp, err)
	}
	if len(vals) != len(g.plain) {
		return nil, fmt.Errorf("%s.%s takes %d values, got %d", table, grp, len(g.plain), len(vals))
	}
	for i, v := range vals {
		switch v := v.(type) {
		case json.Number:
			if n, err := v.Int64(); err == nil {
				vals[i] = n
			} else if f, err := v.Float64(); err == nil {
				vals[i] = f
			} else {
				return nil, fmt.Errorf("%s.%s: bad number %q", table, grp, v)
			}
		case string:
			if slices.Contains(g.binary, g.plain[i]) {
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", table, grp, err)
				}
				vals[i] = b
			}
		case bool:
			vals[i] = boolInt(v)
		case nil:
		default:
			return nil, fmt.Errorf("%s.%s: unexpected %T", table, grp, v)
		}
	}
	return vals, nil
}

// writeGroup writes one group's columns to its row, creating the row if
// needed (applyQuery keeps a deleted row's sealed groups erased).
func (tx *Tx) writeGroup(table, rowID, grp string, cols []any) error {
	if _, err := tx.exec(applyQuery(table, grp), append([]any{rowID}, cols...)...); err != nil {
		return mapConstraint(fmt.Errorf("store: %s.%s: %w", table, grp, err))
	}
	return nil
}

// eraseRow marks a row deleted and erases its sealed groups.
func (tx *Tx) eraseRow(table, rowID string) error {
	sets := []string{"deleted = 1"}
	for _, name := range groupOrder(table) {
		if schema[table][name].sealed {
			sets = append(sets, name+" = NULL")
		}
	}
	_, err := tx.sql.Exec("INSERT INTO "+table+" (id, deleted) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET "+strings.Join(sets, ", "), rowID)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", table, err)
	}
	return nil
}

// Digest is a hash of every replicated row, column by column with its
// SQLite type: two machines' digests are equal exactly when their
// replicated data is. It needs no key (sealed columns are hashed sealed).
func (db *DB) Digest(ctx context.Context) (string, error) {
	_, d, err := db.VectorAndDigest(ctx)
	return d, err
}

// VectorAndDigest reads the vector and the digest in one transaction. A
// comparison with a peer needs both from the same moment: a write that
// commits between reading one and the other makes machines holding the
// same changes look different.
func (db *DB) VectorAndDigest(ctx context.Context) (Vector, string, error) {
	if db.sql == nil {
		return nil, "", practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	tables := make([]string, 0, len(schema))
	for t := range schema {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	var v Vector
	var digest string
	err := db.run(ctx, false, false, func(tx *Tx) error {
		var err error
		if v, err = vectorOf(ctx, tx.sql); err != nil {
			return err
		}
		h := sha256.New()
		for _, t := range tables {
			if err := hashTable(ctx, tx.sql, t, h); err != nil {
				return err
			}
		}
		digest = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return v, digest, err
}

func hashTable(ctx context.Context, q querier, table string, h interface{ Write([]byte) (int, error) }) error {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY id")
	if err != nil {
		return fmt.Errorf("store: digest %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	field := func(tag byte, b []byte) {
		var n [9]byte
		n[0] = tag
		binary.BigEndian.PutUint64(n[1:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field('T', []byte(table))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: digest %s: %w", table, err)
		}
		for _, v := range vals {
			switch v := v.(type) {
			case nil:
				field('N', nil)
			case int64:
				field('I', strconv.AppendInt(nil, v, 10))
			case float64:
				field('F', strconv.AppendFloat(nil, v, 'g', -1, 64))
			case []byte:
				field('B', v)
			case string:
				field('S', []byte(v))
			default:
				field('?', fmt.Append(nil, v))
			}
		}
	}
	return rows.Err()
}

// notifier tells subscribers that a commit grew the change log. A signal is
// never blocked on: a subscriber that has not yet consumed the last one
// will read the log anyway.
type notifier struct {
	mu   sync.Mutex
	subs map[chan struct{}]bool
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Subscribe returns a channel that receives a signal after every commit
// that added to the change log (local writes and merged batches), so sync
// can push a change within moments; cancel stops the signals.
func (db *DB) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	n := &db.commits
	n.mu.Lock()
	if n.subs == nil {
		n.subs = map[chan struct{}]bool{}
	}
	n.subs[ch] = true
	n.mu.Unlock()
	return ch, func() {
		n.mu.Lock()
		delete(n.subs, ch)
		n.mu.Unlock()
	}
}

// PracticeID is the practice this database belongs to ("" before one exists).
func (db *DB) PracticeID() string { return db.practiceID }
