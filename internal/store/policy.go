package store

// Merge policies: how the changes several machines made to one field group
// become one value. Each group declares its policy in the schema; the local
// write path and ApplyBatch both read it, so a rule holds whichever machine
// a change was made on and whatever order changes arrive in.

import (
	"encoding/json"
	"fmt"
	"slices"

	"quietdesk/internal/practice"
)

// Policy is how a field group merges.
type Policy int

const (
	// LastWriterWins: the latest change by (clock, origin) wins. Two edits
	// made without either machine having seen the other, with different
	// values, are recorded as a concurrent-edit conflict for a person.
	LastWriterWins Policy = iota
	// Bookkeeping: last writer wins and concurrent writes are not flagged:
	// the machines' own bookkeeping (device labels, how far a series is
	// made, conflict resolutions), which no person needs to settle.
	Bookkeeping
	// CreateOnce: rows made under name-based ids, which several machines
	// may create alike (a series' occurrences, a conflict record). Repeated
	// creations are one creation, never a conflict; an edit wins over any
	// creation; edits merge last-writer-wins.
	CreateOnce
	// AppendOnly: rows written once and never changed or deleted (ledger
	// entries, status history, the audit trail). Every machine's rows are
	// kept; an edit or a deletion is refused locally and, received, is kept
	// in the change log but not merged.
	AppendOnly
	// ForwardOnly: a state that moves through a declared order (a claim's
	// status). The furthest state wins whatever the arrival order; a local
	// write that moves back is refused. The state is the group's first
	// plain column; group.order lists its values, first to last.
	ForwardOnly
	// Derived: computed from other records (an authorization's usage) and
	// never stored. Writing it is refused; a received change of it is kept
	// in the change log but not merged.
	Derived
)

// stored reports whether the group has columns in its table.
func (g group) stored() bool { return g.policy != Derived }

// merges reports whether a received change of the group is merged into
// its row (every change is recorded in the log and relayed regardless).
func (g group) merges(c Change) bool {
	switch g.policy {
	case Derived:
		return false
	case AppendOnly:
		return c.Heads == "" // a creation; an edit is never merged
	}
	return true
}

// flags reports whether two concurrent, different changes of the group are
// recorded as a conflict for a person to settle.
func (g group) flags(a, b Change) bool {
	switch g.policy {
	case LastWriterWins:
		return true
	case CreateOnce:
		return a.Heads != "" && b.Heads != "" // two edits; a creation repeated is no conflict
	}
	return false
}

// wins reports whether change a takes the group over change b. It is a
// total order on a group's changes, the same on every machine, so the
// merged value does not depend on the order changes arrive in.
func (g group) wins(a, b Change) bool {
	switch g.policy {
	case CreateOnce:
		if aEdit, bEdit := a.Heads != "", b.Heads != ""; aEdit != bEdit {
			return aEdit
		}
	case ForwardOnly:
		if ra, rb := g.rank(a.Value), g.rank(b.Value); ra != rb {
			return ra > rb
		}
	}
	return a.after(b)
}

// byClock reports whether the group's winning change is simply its latest
// by clock, which one indexed query finds.
func (g group) byClock() bool { return g.policy != CreateOnce && g.policy != ForwardOnly }

// rank is the position of a forward-only group's state in its declared
// order; a value it cannot read ranks below every state.
func (g group) rank(value []byte) int {
	var vals []any
	if err := json.Unmarshal(value, &vals); err != nil || len(vals) == 0 {
		return -1
	}
	s, _ := vals[0].(string)
	return slices.Index(g.order, s)
}

// checkWrite refuses a local write the group's policy does not allow: a
// derived group, an edit of an append-only row, a forward-only state
// moving back. head is the group's winning change, if found.
func (g group) checkWrite(table, grp string, plain []any, head Change, found bool) error {
	switch g.policy {
	case Derived:
		return fmt.Errorf("store: %s.%s is derived from other records and never stored", table, grp)
	case AppendOnly:
		if found {
			return practice.Errorf(practice.EInvalid, "This entry is final and cannot be changed. Add a correcting entry instead.")
		}
	case ForwardOnly:
		next := -1
		if len(plain) > 0 {
			s, _ := plain[0].(string)
			next = slices.Index(g.order, s)
		}
		if next < 0 {
			return practice.Errorf(practice.EInvalid, "Choose one of the listed states.")
		}
		if found && next < g.rank(head.Value) {
			return practice.Errorf(practice.EInvalid, "This status can only move forward; it is already further along.")
		}
	}
	return nil
}

// appendOnly reports whether every group of a table is append-only: its
// rows cannot be deleted.
func appendOnly(table string) bool {
	groups := schema[table]
	for _, g := range groups {
		if g.policy != AppendOnly {
			return false
		}
	}
	return len(groups) > 0
}
