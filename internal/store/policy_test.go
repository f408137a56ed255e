package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Each merge policy on real SQLite replicas, on fixture tables created
// here on every replica and declared with KnowGroups (the real ledger and
// claims of migration 12 are tested in internal/billing).

// addTable creates a table on every replica and declares its groups.
func addTable(t *testing.T, reps []*replica, ddl, table string, groups map[string]store.TestGroup) {
	t.Helper()
	for _, r := range reps {
		if _, err := rawDB(t, r.dir).Exec(ddl); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(store.KnowGroups(table, groups))
}

func write(t *testing.T, r *replica, fn func(tx *store.Tx) error) error {
	t.Helper()
	return r.db.Update(context.Background(), fn)
}

func mustWrite(t *testing.T, r *replica, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := write(t, r, fn); err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
}

func openConflicts(t *testing.T, r *replica) int {
	t.Helper()
	n, err := r.db.OpenConflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func column(t *testing.T, r *replica, query string, args ...any) string {
	t.Helper()
	var s string
	if err := rawDB(t, r.dir).QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %s: %v", r.name, query, err)
	}
	return s
}

// changeOf finds the change a replica logged for a row's group.
func changeOf(t *testing.T, r *replica, table, rowID, grp string) store.Change {
	t.Helper()
	list, err := r.db.ChangesAfter(context.Background(), store.Vector{}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Table == table && c.RowID == rowID && c.Group == grp {
			return c
		}
	}
	t.Fatalf("%s logged no change of %s %s.%s", r.name, table, rowID, grp)
	return store.Change{}
}

func TestAppendOnlyRowsFromTwoOfflineMachinesAreAllKept(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	addTable(t, reps, "CREATE TABLE entries_fixture (id TEXT PRIMARY KEY, account TEXT, cents INTEGER, deleted INTEGER NOT NULL DEFAULT 0)",
		"entries_fixture", map[string]store.TestGroup{"entry": {Plain: []string{"account", "cents"}, Policy: store.AppendOnly}})
	entry := func(r *replica, id string, cents int) {
		mustWrite(t, r, func(tx *store.Tx) error {
			return tx.Create("entries_fixture", id, map[string][]any{"entry": {"acct-1", cents}})
		})
	}
	// Offline, each machine records two entries on the same account.
	entry(a, "a1", 12000)
	entry(a, "a2", -2500)
	entry(b, "b1", 9000)
	entry(b, "b2", -1000)
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		// 12000 - 2500 + 9000 - 1000, worked out by hand.
		if got := column(t, r, "SELECT COUNT(*) || '/' || SUM(cents) FROM entries_fixture WHERE account = 'acct-1' AND deleted = 0"); got != "4/17500" {
			t.Fatalf("%s holds %s entries/cents, want 4/17500", r.name, got)
		}
		if n := openConflicts(t, r); n != 0 {
			t.Fatalf("%s: %d conflicts from appending", r.name, n)
		}
	}
	// An entry is final: changing or deleting it is refused and writes nothing.
	before := countChanges(t, a.dir)
	if err := write(t, a, func(tx *store.Tx) error { return tx.Put("entries_fixture", "b1", "entry", "acct-1", 1) }); code(err) != practice.EInvalid ||
		!strings.Contains(err.Error(), "cannot be changed") {
		t.Fatalf("editing an entry: %v, want EInvalid", err)
	}
	if err := write(t, a, func(tx *store.Tx) error { return tx.Tombstone("entries_fixture", "b1") }); code(err) != practice.EInvalid ||
		!strings.Contains(err.Error(), "cannot be deleted") {
		t.Fatalf("deleting an entry: %v, want EInvalid", err)
	}
	if n := countChanges(t, a.dir) - before; n != 0 {
		t.Fatalf("refused writes logged %d changes", n)
	}
	// An edit and a deletion received from a machine that ignores the rule
	// are kept in the log (and relayed) but never merged.
	created := changeOf(t, a, "entries_fixture", "b1", "entry")
	now := uint64(time.Now().UnixMilli()) << 16
	rogue := []store.Change{
		{Origin: "rogue", Epoch: "e1", Seq: 1, HLC: now, Tx: "t1", Table: "entries_fixture", RowID: "b1", Group: "entry",
			Value: []byte(`["acct-1",1]`), Heads: created.Key(), TxEnd: true},
		{Origin: "rogue", Epoch: "e1", Seq: 2, HLC: now + 1, Tx: "t2", Table: "entries_fixture", RowID: "a1", Group: "", TxEnd: true},
	}
	if res, err := a.db.ApplyBatch(ctx, rogue, nil); err != nil || res.New != 2 {
		t.Fatalf("applying the rogue changes: %+v %v", res, err)
	}
	if got := column(t, a, "SELECT cents || '/' || (SELECT deleted FROM entries_fixture WHERE id = 'a1') FROM entries_fixture WHERE id = 'b1'"); got != "9000/0" {
		t.Fatalf("after a received edit and deletion, b1 cents / a1 deleted = %s, want 9000/0", got)
	}
}

func TestForwardOnlyStateNeverMovesBackWhateverTheArrivalOrder(t *testing.T) {
	reps := newCluster(t, 4)
	a, b, c, d := reps[0], reps[1], reps[2], reps[3]
	addTable(t, reps, "CREATE TABLE claims_fixture (id TEXT PRIMARY KEY, status TEXT, deleted INTEGER NOT NULL DEFAULT 0)",
		"claims_fixture", map[string]store.TestGroup{"status": {Plain: []string{"status"}, Policy: store.ForwardOnly,
			Order: []string{"draft", "submitted", "accepted", "paid"}}})
	mustWrite(t, a, func(tx *store.Tx) error {
		return tx.Create("claims_fixture", "c1", map[string][]any{"status": {"draft"}})
	})
	converge(t, reps)
	// Offline: A records the payment; B, whose clock runs 30 s ahead, marks
	// the claim submitted after it. Last-writer-wins would keep B's.
	b.skew = 30 * time.Second
	mustWrite(t, a, func(tx *store.Tx) error { return tx.Put("claims_fixture", "c1", "status", "paid") })
	mustWrite(t, b, func(tx *store.Tx) error { return tx.Put("claims_fixture", "c1", "status", "submitted") })
	// C hears B first, D hears A first.
	syncAll(t, b, c)
	if got := column(t, c, "SELECT status FROM claims_fixture WHERE id = 'c1'"); got != "submitted" {
		t.Fatalf("C after B: %s, want submitted", got)
	}
	syncAll(t, a, c)
	syncAll(t, a, d)
	syncAll(t, b, d)
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		if got := column(t, r, "SELECT status FROM claims_fixture WHERE id = 'c1'"); got != "paid" {
			t.Fatalf("%s: claim is %s, want paid", r.name, got)
		}
		if n := openConflicts(t, r); n != 0 {
			t.Fatalf("%s: %d conflicts; the declared order settles it", r.name, n)
		}
	}
	// Locally, moving back is refused and writes nothing; an unknown state too.
	before := countChanges(t, b.dir)
	for _, s := range []string{"accepted", "draft", "lost"} {
		if err := write(t, b, func(tx *store.Tx) error { return tx.Put("claims_fixture", "c1", "status", s) }); code(err) != practice.EInvalid {
			t.Fatalf("moving a paid claim to %s: %v, want EInvalid", s, err)
		}
	}
	if n := countChanges(t, b.dir) - before; n != 0 {
		t.Fatalf("refused moves logged %d changes", n)
	}
}

func TestCreateOnceDuplicatesMergeAndAnEditWinsOverACreation(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	addTable(t, reps, "CREATE TABLE visits (id TEXT PRIMARY KEY, start TEXT, status TEXT, deleted INTEGER NOT NULL DEFAULT 0)",
		"visits", map[string]store.TestGroup{
			"slot":  {Plain: []string{"start"}, Policy: store.CreateOnce},
			"state": {Plain: []string{"status"}, Policy: store.CreateOnce},
		})
	occurrence := map[string][]any{"slot": {"2026-03-09T09:00"}, "state": {"scheduled"}}
	// Both machines extend a series offline and make the same occurrence
	// under its name-based id; A then marks it arrived. B's creation comes
	// later by the clock, which under last-writer-wins would undo the edit.
	mustWrite(t, a, func(tx *store.Tx) error { return tx.Create("visits", "occ-1", occurrence) })
	mustWrite(t, a, func(tx *store.Tx) error { return tx.Put("visits", "occ-1", "state", "arrived") })
	b.skew = 30 * time.Second
	mustWrite(t, b, func(tx *store.Tx) error { return tx.Create("visits", "occ-1", occurrence) })
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		if got := column(t, r, "SELECT COUNT(*) || ' ' || MAX(start) || ' ' || MAX(status) FROM visits"); got != "1 2026-03-09T09:00 arrived" {
			t.Fatalf("%s: %q, want one occurrence, arrived", r.name, got)
		}
		if n := openConflicts(t, r); n != 0 {
			t.Fatalf("%s: %d conflicts for a repeated creation", r.name, n)
		}
	}
	// Two edits made offline are still a concurrent edit a person settles.
	mustWrite(t, a, func(tx *store.Tx) error { return tx.Put("visits", "occ-1", "state", "completed") })
	mustWrite(t, b, func(tx *store.Tx) error { return tx.Put("visits", "occ-1", "state", "missed") })
	converge(t, reps)
	assertSame(t, reps)
	for _, r := range reps {
		if n := openConflicts(t, r); n != 1 {
			t.Fatalf("%s: %d conflicts for two offline edits, want 1", r.name, n)
		}
	}
}

func TestDerivedGroupIsNeverStored(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	addTable(t, reps, "CREATE TABLE grants_test (id TEXT PRIMARY KEY, visits INTEGER, deleted INTEGER NOT NULL DEFAULT 0)",
		"grants_test", map[string]store.TestGroup{
			"grant": {Plain: []string{"visits"}},
			"usage": {Plain: []string{"used"}, Policy: store.Derived},
		})
	// A new row needs its stored groups only.
	mustWrite(t, a, func(tx *store.Tx) error { return tx.Create("grants_test", "au1", map[string][]any{"grant": {12}}) })
	before := countChanges(t, a.dir)
	err := write(t, a, func(tx *store.Tx) error { return tx.Put("grants_test", "au1", "usage", 3) })
	if err == nil || !strings.Contains(err.Error(), "grants_test.usage is derived from other records and never stored") {
		t.Fatalf("storing a derived group: %v", err)
	}
	err = write(t, a, func(tx *store.Tx) error {
		return tx.Create("grants_test", "au2", map[string][]any{"grant": {5}, "usage": {1}})
	})
	if err == nil {
		t.Fatal("a new row with a derived group was stored")
	}
	if n := countChanges(t, a.dir) - before; n != 0 {
		t.Fatalf("refused writes logged %d changes", n)
	}
	// Received from a machine that stores it anyway: logged, relayed, not merged.
	rogue := store.Change{Origin: "rogue", Epoch: "e1", Seq: 1, HLC: uint64(time.Now().UnixMilli()) << 16, Tx: "t1",
		Table: "grants_test", RowID: "au1", Group: "usage", Value: []byte(`[3]`), TxEnd: true}
	if res, err := a.db.ApplyBatch(ctx, []store.Change{rogue}, nil); err != nil || res.New != 1 {
		t.Fatalf("applying a derived change: %+v %v", res, err)
	}
	converge(t, reps)
	assertSame(t, reps)
	if v, _ := b.db.Vector(ctx); v["rogue/e1"] != 1 {
		t.Fatal("the derived change was not relayed")
	}
	if got := column(t, b, "SELECT COUNT(*) || '/' || visits FROM grants_test"); got != "1/12" {
		t.Fatalf("B holds %s grants_test/visits, want 1/12", got)
	}
}
