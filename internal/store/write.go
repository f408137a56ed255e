package store

// The local write path: every write of a replicated table becomes a row
// update and a change record in the same transaction.

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"quietdesk/internal/practice"
)

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
	if !g.stored() {
		return nil, nil, g.checkWrite(table, grp, plain, Change{}, false)
	}
	if g.sealed {
		if tx.sealer == nil {
			return nil, nil, errNoKey
		}
		if raw, ok := sealed.(rawBytes); ok {
			ct, err := tx.sealer.Seal(raw, table, grp, rowID)
			return []any{ct}, ct, err
		}
		pt, err := json.Marshal(sealed)
		if err != nil {
			return nil, nil, fmt.Errorf("store: %s.%s: %w", table, grp, err)
		}
		ct, err := tx.sealer.Seal(pt, table, grp, rowID)
		if err == nil {
			tx.remember(sealedRef{table, grp, rowID, string(ct)}, pt)
		}
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
	// The head is read once: the policy checks the write against it and
	// the change record names it as the change it replaces.
	head, found, err := tx.head(table, rowID, grp)
	if err != nil {
		return err
	}
	if g, ok := schema[table][grp]; ok && (g.policy == AppendOnly || g.policy == ForwardOnly || !g.stored()) {
		if err := g.checkWrite(table, grp, plain, head, found); err != nil {
			return err
		}
	}
	cols, value, err := tx.encode(table, rowID, grp, plain, sealed)
	if err != nil {
		return err
	}
	if err := tx.logChangeOver(table, rowID, grp, value, head, found); err != nil {
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
		if err := schema[table][grp].checkWrite(table, grp, w.plain, Change{}, false); err != nil {
			return err
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
	if appendOnly(table) {
		return practice.Errorf(practice.EInvalid, "This entry is final and cannot be deleted. Add a correcting entry instead.")
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
	if fresh {
		return tx.logChangeOver(table, rowID, grp, value, Change{}, false)
	}
	head, found, err := tx.head(table, rowID, grp)
	if err != nil {
		return err
	}
	return tx.logChangeOver(table, rowID, grp, value, head, found)
}

// logChangeOver is logChange for a caller that has read the group's head
// (found false: the group has none).
func (tx *Tx) logChangeOver(table, rowID, grp string, value []byte, head Change, found bool) error {
	if !tx.write {
		return errors.New("store: write in a read-only transaction")
	}
	hlc, seq, err := tx.tick()
	if err != nil {
		return err
	}
	var heads string
	if found {
		heads = head.Key()
		hlc = max(hlc, head.HLC+1)
	}
	if _, err := tx.exec(qInsertChange,
		tx.db.deviceID, tx.db.epoch, seq, int64(hlc), tx.id, table, rowID, grp, value, heads); err != nil {
		return fmt.Errorf("store: change log: %w", err)
	}
	tx.grew(tx.db.deviceID+"/"+tx.db.epoch, seq)
	return nil
}

// logAlone makes the changes that follow a transaction of their own in the
// change log (not in SQLite, where the whole save still commits or rolls
// back at once): a peer is sent each separately and may hold some before
// the rest. A document's chunks are logged this way, its row last.
func (tx *Tx) logAlone() { tx.id = newID() }

// head returns the winning change of one field group, if it has any: the
// latest by clock, or for a policy with its own order (CreateOnce,
// ForwardOnly) the one that order puts first among all of the group's.
func (tx *Tx) head(table, rowID, grp string) (Change, bool, error) {
	if g := schema[table][grp]; !g.byClock() {
		return tx.headByPolicy(g, table, rowID, grp)
	}
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

// headByPolicy reads every change of a group (a row's few) and keeps the
// one its policy ranks first.
func (tx *Tx) headByPolicy(g group, table, rowID, grp string) (Change, bool, error) {
	rows, err := tx.stmtQuery(qGroupChanges, table, rowID, grp)
	if err != nil {
		return Change{}, false, fmt.Errorf("store: heads: %w", err)
	}
	defer rows.Close()
	var best Change
	found := false
	for rows.Next() {
		c := Change{Table: table, RowID: rowID, Group: grp}
		var hlc int64
		if err := rows.Scan(&c.Origin, &c.Epoch, &c.Seq, &hlc, &c.Heads, &c.Value); err != nil {
			return Change{}, false, fmt.Errorf("store: heads: %w", err)
		}
		c.HLC = uint64(hlc)
		if !found || g.wins(c, best) {
			best, found = c, true
		}
	}
	return best, found, rows.Err()
}

// groupOrder is a table's stored field groups in a fixed (sorted) order.
func groupOrder(table string) []string {
	names := make([]string, 0, len(schema[table]))
	for name, g := range schema[table] {
		if g.stored() {
			names = append(names, name)
		}
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
	return "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES " + inList(len(cols)+1) +
		" ON CONFLICT (id) DO UPDATE SET " + strings.Join(sets, ", ")
}

// inList is n parameters in parentheses, "(?, ?, ?)", for an IN list or a
// row of VALUES; n is at least 1.
func inList(n int) string {
	return "(?" + strings.Repeat(", ?", n-1) + ")"
}

// insertQuery inserts a whole new row, groups in groupOrder.
func insertQuery(table string) string {
	var cols []string
	for _, grp := range groupOrder(table) {
		cols = append(cols, groupColumns(table, grp)...)
	}
	return "INSERT INTO " + table + " (id, " + strings.Join(cols, ", ") + ") VALUES " + inList(len(cols)+1)
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

// rawBytes is a sealed group's value sealed as it is, not as JSON: a
// document's chunk.
type rawBytes []byte

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
