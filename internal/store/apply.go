package store

// Applying another machine's changes: whole transactions in stream order,
// each field group taking its latest change.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
	// HeldBack lists the streams one of whose transactions this database
	// could not take; that transaction and the rest of its stream wait,
	// while every other stream of the batch merged.
	HeldBack []HeldBack
}

// HeldBack is a received transaction this database cannot take: it breaks
// one of this database's constraints (a per-device sequence another row
// already holds, say) or is malformed. It is not dropped: it stays unheld,
// so it is sent again and merges once the cause is gone, and until then the
// machine says that sync with its origin is stuck, and why.
type HeldBack struct {
	Stream string // origin/epoch
	Origin string // the device that wrote it
	Change string // the first change of the transaction, origin/epoch/seq
	Seq    int64  // its sequence: the stream is unstuck once this is held
	Table  string
	Reason string // the constraint or the fault, naming tables and columns only, never values
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
//
// A row may refer to a row of another machine's stream that the batch
// does not bring (a machine whose clock runs ahead made the patient, a
// machine with a right clock booked them: sent in clock order, the booking
// comes first). Foreign keys are checked at commit; when they fail, the
// batch is merged again checking each transaction's references, and one
// that refers to a row not held here waits, as for a missing cause, so
// the rest of the batch is taken and the row it needs comes later.
func (db *DB) ApplyBatch(ctx context.Context, batch []Change, after AfterApply) (Applied, error) {
	res, err := db.applyBatch(ctx, batch, after, false)
	if err != nil && foreignKeyFailed(err) {
		res, err = db.applyBatch(ctx, batch, after, true)
	}
	return res, err
}

func (db *DB) applyBatch(ctx context.Context, batch []Change, after AfterApply, checkRefs bool) (Applied, error) {
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
			if held, err := tx.applyWhole(whole, checkRefs); errors.Is(err, errWaitsForRow) {
				res.Gaps += len(whole)
				blocked[stream] = true
				continue
			} else if err != nil {
				return err
			} else if held != nil {
				blocked[stream] = true
				res.HeldBack = append(res.HeldBack, *held)
				continue
			}
			for _, c := range whole {
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

// applyWhole merges one received transaction inside a savepoint, so a
// transaction this database cannot take is undone alone and reported,
// instead of failing the whole batch (and with it every other machine's
// changes, on every retry). Faults of the database itself (a full disk,
// an I/O error) still fail the batch.
//
// With checkRefs, a transaction whose rows refer to a row this database
// does not hold is undone too, and errWaitsForRow returned.
func (tx *Tx) applyWhole(whole []Change, checkRefs bool) (*HeldBack, error) {
	if _, err := tx.sql.Exec("SAVEPOINT apply_whole"); err != nil {
		return nil, fmt.Errorf("store: apply: %w", err)
	}
	for _, c := range whole {
		err := tx.applyChange(c)
		if err == nil {
			continue
		}
		reason := cannotTake(err)
		if reason == "" {
			return nil, err
		}
		if _, err := tx.sql.Exec("ROLLBACK TO apply_whole; RELEASE apply_whole"); err != nil {
			return nil, fmt.Errorf("store: apply: undo a held-back transaction: %w", err)
		}
		first := whole[0]
		return &HeldBack{Stream: first.Stream(), Origin: first.Origin, Change: first.Key(), Seq: first.Seq, Table: c.Table, Reason: reason}, nil
	}
	if checkRefs {
		ok, err := tx.refsHeld(whole)
		if err != nil {
			return nil, err
		}
		if !ok {
			if _, err := tx.sql.Exec("ROLLBACK TO apply_whole; RELEASE apply_whole"); err != nil {
				return nil, fmt.Errorf("store: apply: undo a transaction that waits for a row: %w", err)
			}
			return nil, errWaitsForRow
		}
	}
	if _, err := tx.sql.Exec("RELEASE apply_whole"); err != nil {
		return nil, fmt.Errorf("store: apply: %w", err)
	}
	return nil, nil
}

// errWaitsForRow marks a received transaction that refers to a row this
// database does not hold yet.
var errWaitsForRow = errors.New("refers to a row not held here")

// foreignKeyFailed reports whether err is SQLite refusing a commit whose
// rows refer to rows that do not exist.
func foreignKeyFailed(err error) bool {
	return sqliteConstraint(err) && strings.Contains(sqliteMessage(err), "FOREIGN KEY")
}

// refsHeld reports whether every row the transaction wrote refers only to
// rows this database holds (its foreign keys, as the schema declares them).
func (tx *Tx) refsHeld(whole []Change) (bool, error) {
	seen := map[RowRef]bool{}
	for _, c := range whole {
		ref := RowRef{c.Table, c.RowID}
		if seen[ref] {
			continue
		}
		seen[ref] = true
		if _, known := schema[c.Table]; !known {
			continue // kept for a later version; not in a table yet
		}
		rows, err := tx.sql.Query(`SELECT "from", "table", COALESCE("to", '') FROM pragma_foreign_key_list(?)`, c.Table)
		if err != nil {
			return false, fmt.Errorf("store: apply: foreign keys of %s: %w", c.Table, err)
		}
		type fk struct{ from, parent, to string }
		var fks []fk
		for rows.Next() {
			var k fk
			if err := rows.Scan(&k.from, &k.parent, &k.to); err != nil {
				rows.Close()
				return false, fmt.Errorf("store: apply: foreign keys of %s: %w", c.Table, err)
			}
			if k.to == "" {
				k.to = "id"
			}
			fks = append(fks, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("store: apply: foreign keys of %s: %w", c.Table, err)
		}
		for _, k := range fks {
			var missing int
			q := fmt.Sprintf(`SELECT COUNT(*) FROM %q AS c WHERE c.id = ? AND c.%q IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM %q AS p WHERE p.%q = c.%q)`, c.Table, k.from, k.parent, k.to, k.from)
			if err := tx.sql.QueryRow(q, c.RowID).Scan(&missing); err != nil {
				return false, fmt.Errorf("store: apply: references of %s: %w", c.Table, err)
			}
			if missing > 0 {
				return false, nil
			}
		}
	}
	return true, nil
}

// errMalformed marks a received change that no database could take.
var errMalformed = errors.New("malformed change")

// cannotTake says why a change's error is the change's own fault (a
// constraint it breaks here, or its form), in words naming no values; ""
// when the error is the database's (disk, I/O) and must fail the batch.
func cannotTake(err error) string {
	switch {
	case errors.Is(err, errMalformed):
		return "a malformed change"
	case sqliteConstraint(err):
		// SQLite names the constraint and its columns, never the values.
		return sqliteMessage(err)
	}
	return ""
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
		return fmt.Errorf("store: apply: %s: %w: a tombstone carries no value", c.Key(), errMalformed)
	}
	if c.HLC > math.MaxInt64 {
		return fmt.Errorf("store: apply: %s: %w: clock out of range", c.Key(), errMalformed)
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
	if c.Group == "" {
		if err := tx.insertChange(c); err != nil {
			return err
		}
		if appendOnly(c.Table) {
			return nil // its rows are never deleted
		}
		return tx.eraseRow(c.Table, c.RowID)
	}
	g := schema[c.Table][c.Group]
	if !g.merges(c) {
		return tx.insertChange(c) // kept and relayed, never merged
	}
	head, found, err := tx.head(c.Table, c.RowID, c.Group)
	if err != nil {
		return err
	}
	if err := tx.insertChange(c); err != nil {
		return err
	}
	if found && concurrent(c, head) && !bytes.Equal(c.Value, head.Value) && g.flags(c, head) {
		if err := tx.recordConcurrentEdit(c, head); err != nil {
			return err
		}
	}
	if found && g.wins(head, c) {
		return nil // the group's policy keeps what it holds
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
		return fmt.Errorf("store: apply %s: %w: %w", c.Key(), errMalformed, err)
	}
	if g := schema[c.Table][c.Group]; g.unique != "" {
		if err := tx.settleClash(c.Table, c.RowID, g, cols); err != nil {
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
			merges := !appendOnly(c.Table)
			if c.Group != "" {
				merges = schema[c.Table][c.Group].merges(c)
			}
			if head, _, err := tx.head(c.Table, c.RowID, c.Group); err != nil {
				return err
			} else if merges && head.Key() == c.Key() {
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

// settleClash keeps a group's unique column unique when a received value
// equals another row's: of all rows with that value, the one with the
// smallest id keeps it and the others lose theirs (NULL: for a login, that
// account cannot log in until the owner gives it another username), on
// every machine alike whatever the order changes arrive in. A conflict
// names the pair for the owner. cols is the group's values and may be
// changed.
func (tx *Tx) settleClash(table, rowID string, g group, cols []any) error {
	col := slices.Index(g.plain, g.unique)
	if cols[col] == nil {
		return nil
	}
	var others []string
	err := tx.rowsOf("SELECT id FROM "+table+" WHERE "+g.unique+" = ? AND id != ?", []any{cols[col], rowID}, func(rows *sql.Rows) error {
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
			cols[col] = nil
		} else if _, err := tx.sql.Exec("UPDATE "+table+" SET "+g.unique+" = NULL WHERE id = ?", other); err != nil {
			return fmt.Errorf("store: %s clash: %w", g.unique, err)
		}
		if _, err := tx.RecordConflict("duplicate-"+g.unique, table, []string{rowID, other}, ""); err != nil {
			return err
		}
	}
	return nil
}

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
