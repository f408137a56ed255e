package store

// The change log: what a machine holds (its vector), which changes a peer
// lacks, and the signal after every commit that grew it.

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	// The log holds millions of changes in a few streams. GROUP BY reads
	// every change (a second on the large demo, paid by the first Devices
	// screen or sync after start); walking the primary key (origin, epoch,
	// seq) from one stream to the next is a few seeks per stream.
	v := Vector{}
	origin, ok, err := firstValue(ctx, q, "SELECT origin FROM changes ORDER BY origin LIMIT 1")
	for ; ok && err == nil; origin, ok, err = firstValue(ctx, q, "SELECT origin FROM changes WHERE origin > ? ORDER BY origin LIMIT 1", origin) {
		epoch, more, errEpoch := firstValue(ctx, q, "SELECT epoch FROM changes WHERE origin = ? ORDER BY epoch LIMIT 1", origin)
		for ; more && errEpoch == nil; epoch, more, errEpoch = firstValue(ctx, q,
			"SELECT epoch FROM changes WHERE origin = ? AND epoch > ? ORDER BY epoch LIMIT 1", origin, epoch) {
			last, _, err := firstValue(ctx, q, "SELECT MAX(seq) FROM changes WHERE origin = ? AND epoch = ?", origin, epoch)
			if err != nil {
				return nil, err
			}
			if v[origin+"/"+epoch], err = strconv.ParseInt(last, 10, 64); err != nil {
				return nil, fmt.Errorf("store: vector: %w", err)
			}
		}
		if errEpoch != nil {
			return nil, errEpoch
		}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// firstValue is the first column of a query's first row; false: no row.
func firstValue(ctx context.Context, q querier, query string, args ...any) (string, bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return "", false, fmt.Errorf("store: vector: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "", false, rows.Err()
	}
	var s string
	if err := rows.Scan(&s); err != nil {
		return "", false, fmt.Errorf("store: vector: %w", err)
	}
	return s, true, rows.Err()
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
	size := 0
	for len(out) < limit && size < batchBytes {
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
		size += len(suffixes[best][0].Value)
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
	list, keep, err := queryChanges(ctx, q, batchBytes, "AND seq > ? ORDER BY seq LIMIT ?", origin, epoch, after, limit+1)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].TxEnd = i+1 == len(list) || list[i+1].Tx != list[i].Tx
	}
	return list[:min(keep, limit, len(list))], nil
}

// batchBytes is about how many bytes of values one batch carries: a batch
// of a document's chunks stops here rather than at its count of changes.
const batchBytes = 4 << 20

// readTransaction reads the whole transaction that follows seq after in a
// stream.
func readTransaction(ctx context.Context, q querier, origin, epoch string, after int64) ([]Change, error) {
	list, _, err := queryChanges(ctx, q, 0, `AND seq > ? AND tx = (SELECT tx FROM changes WHERE origin = ? AND epoch = ? AND seq = ?)
		ORDER BY seq`, origin, epoch, after, origin, epoch, after+1)
	if len(list) > 0 {
		list[len(list)-1].TxEnd = true
	}
	return list, err
}

// queryChanges reads a stream's changes. With a budget (bytes, 0 for
// none) it stops once the values read reach it, reading one change more so
// the caller can tell whether the last one kept ends its transaction; keep
// is how many to keep.
func queryChanges(ctx context.Context, q querier, budget int, where string, origin, epoch string, args ...any) (list []Change, keep int, err error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, hlc, tx, tbl, row_id, grp, value, heads FROM changes
		WHERE origin = ? AND epoch = ? `+where, append([]any{origin, epoch}, args...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: read changes: %w", err)
	}
	defer rows.Close()
	size, over := 0, -1
	for rows.Next() {
		c := Change{Origin: origin, Epoch: epoch}
		var hlc int64
		if err := rows.Scan(&c.Seq, &hlc, &c.Tx, &c.Table, &c.RowID, &c.Group, &c.Value, &c.Heads); err != nil {
			return nil, 0, fmt.Errorf("store: read changes: %w", err)
		}
		c.HLC = uint64(hlc)
		list = append(list, c)
		if over >= 0 {
			break
		}
		if size += len(c.Value); budget > 0 && size >= budget {
			over = len(list)
		}
	}
	keep = len(list)
	if over >= 0 {
		keep = over
	}
	return list, keep, rows.Err()
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
