package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// AuditReport is what VerifyAudit proved.
type AuditReport struct {
	Entries     int  // entries walked, every one linked to the one before it
	Devices     int  // device chains
	Checkpoints int  // chain heads checked: this file's and the other copies'
	Against     int  // other machines' copies whose checkpoints were compared
	Keyed       bool // every keyed entry's MAC was recomputed with the practice key
	// Legacy entries were written before the trail was keyed (an unkeyed
	// SHA-256 link, legacyHash): each leads its device's chain. Sealed of
	// them are followed by a keyed entry, which covers their last hash;
	// the rest (LegacyOpen) end their chain with nothing keyed after them.
	Legacy, Sealed, LegacyOpen int
}

// Proved says in words what the check established, and what it could not.
func (r AuditReport) Proved() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d entries on %d device chains: none missing or out of order, each links to the one before it", r.Entries, r.Devices)
	fmt.Fprintf(&b, ", and every chain reaches its checkpoint (%d checked", r.Checkpoints)
	if r.Against > 0 {
		fmt.Fprintf(&b, ", including %d other cop%s, so no newest entries were removed here", r.Against, map[bool]string{true: "y", false: "ies"}[r.Against == 1])
	}
	b.WriteString(").")
	if r.Keyed {
		b.WriteString(" Every MAC was recomputed with the practice key: no entry was edited, inserted or forged.")
	} else {
		b.WriteString(" Structure only: without the practice key the MACs were not checked, so an entry edited with every hash recomputed would not be caught (give a password to check them).")
	}
	if r.Legacy > 0 {
		fmt.Fprintf(&b, " %d entries were written before the trail was keyed (an unkeyed hash): they link and hash consistently", r.Legacy)
		if r.Sealed > 0 {
			fmt.Fprintf(&b, "; %d of them are covered by the keyed entry that follows them, so they have not changed since it was written", r.Sealed)
			if r.Keyed {
				b.WriteString(" (that MAC was checked)")
			}
		}
		b.WriteString(", but anyone who could write the file before then could have rewritten them")
		if r.LegacyOpen > 0 {
			fmt.Fprintf(&b, "; %d are followed by no keyed entry yet (a machine that has not written since upgrading), so for them only the structure is proven", r.LegacyOpen)
		}
		b.WriteString(".")
	}
	if r.Against == 0 {
		b.WriteString(" Compared with no other machine: a chain cut back together with its checkpoint is caught only against another machine's copy.")
	}
	return b.String()
}

// auditHead is a device's checkpoint: its newest entry's sequence and MAC.
type auditHead struct {
	source string // "this file" or the other copy's path
	device string
	seq    int64
	mac    string
}

// VerifyAudit walks every device's chain and reports the first entry that
// was altered, removed or reordered, naming its device and sequence. With
// the practice key loaded it recomputes every MAC; without, it checks the
// structure only (sequences, links, checkpoints), and the report says so.
// against names other machines' copies (a data folder or a .db file, e.g.
// a backup): their checkpoints catch a chain truncated here together with
// its own checkpoint.
func (db *DB) VerifyAudit(ctx context.Context, against ...string) (AuditReport, error) {
	var rep AuditReport
	if db.sql == nil {
		return rep, fmt.Errorf("there is no practice in %s", db.dir)
	}
	heads, err := readHeads(ctx, db.sql, "this file")
	if err != nil {
		return rep, err
	}
	for _, other := range against {
		h, err := readOtherHeads(ctx, other)
		if err != nil {
			return rep, err
		}
		heads = append(heads, h...)
		rep.Against++
	}
	// The MACs at the checkpointed sequences, filled in while walking.
	want := map[string]map[int64]string{}
	for _, h := range heads {
		if want[h.device] == nil {
			want[h.device] = map[int64]string{}
		}
		want[h.device][h.seq] = ""
	}
	key := db.auditMACKey()
	rep.Keyed = key != nil
	last := map[string]int64{}
	rows, err := db.sql.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY device, seq")
	if err != nil {
		return rep, err
	}
	defer rows.Close()
	var prev AuditEntry
	// Per device: a legacy (unkeyed) prefix, then keyed entries. A legacy
	// entry after a keyed one would be a keyed chain rewritten with the
	// unkeyed formula, which anyone can compute: refused.
	keyedSeen := map[string]bool{}
	legacyOf := map[string]int{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return rep, fmt.Errorf("entry %d of device %s is unreadable: %w", e.Seq, short(e.Device), err)
		}
		if e.Device != prev.Device {
			prev = AuditEntry{Device: e.Device}
			rep.Devices++
		}
		switch {
		case e.Seq != prev.Seq+1:
			return rep, fmt.Errorf("device %s: entry %d follows entry %d: entries are missing or reordered", short(e.Device), e.Seq, prev.Seq)
		case e.PrevMAC != prev.MAC:
			return rep, fmt.Errorf("device %s: entry %d does not link to entry %d: the chain was altered", short(e.Device), e.Seq, prev.Seq)
		}
		legacy := !keyedSeen[e.Device] && legacyHash(e) == e.MAC && (key == nil || entryMAC(key, e) != e.MAC)
		switch {
		case keyedSeen[e.Device] && legacyHash(e) == e.MAC:
			return rep, fmt.Errorf("device %s: entry %d carries an unkeyed hash after keyed entries: the chain was rewritten", short(e.Device), e.Seq)
		case legacy:
			legacyOf[e.Device]++
		case key != nil && entryMAC(key, e) != e.MAC:
			return rep, fmt.Errorf("device %s: entry %d was altered (its MAC does not match the practice key)", short(e.Device), e.Seq)
		default:
			if !keyedSeen[e.Device] && legacyOf[e.Device] > 0 {
				rep.Sealed += legacyOf[e.Device]
			}
			keyedSeen[e.Device] = true
		}
		if m, ok := want[e.Device]; ok {
			if _, ok := m[e.Seq]; ok {
				m[e.Seq] = e.MAC
			}
		}
		last[e.Device] = e.Seq
		prev = e
		rep.Entries++
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	for _, h := range heads {
		switch n := last[h.device]; {
		case n == 0:
			return rep, fmt.Errorf("device %s: its whole chain is missing, though %s checkpoints its entry %d", short(h.device), h.source, h.seq)
		case n < h.seq:
			return rep, fmt.Errorf("device %s: the chain ends at entry %d, though %s checkpoints entry %d: the newest entries were removed", short(h.device), n, h.source, h.seq)
		case n > h.seq && h.source == "this file":
			return rep, fmt.Errorf("device %s: the chain goes on to entry %d past its checkpoint at entry %d: the checkpoint was rolled back", short(h.device), n, h.seq)
		case h.seq <= int64(legacyOf[h.device]):
			// Only the keyed version writes checkpoints, so one naming an
			// unkeyed entry means keyed entries were rewritten unkeyed.
			return rep, fmt.Errorf("device %s: %s checkpoints entry %d, which carries an unkeyed hash: the chain was rewritten", short(h.device), h.source, h.seq)
		case want[h.device][h.seq] != h.mac:
			return rep, fmt.Errorf("device %s: entry %d differs from the checkpoint in %s", short(h.device), h.seq, h.source)
		}
		rep.Checkpoints++
	}
	for dev, n := range legacyOf {
		rep.Legacy += n
		if !keyedSeen[dev] {
			rep.LegacyOpen += n
		}
	}
	for dev := range last {
		// A chain written wholly before the keyed trail has no checkpoint
		// (the old version wrote none); once it holds a keyed entry it has.
		if !hasHead(heads, dev) && keyedSeen[dev] {
			return rep, fmt.Errorf("device %s: its chain has no checkpoint: the checkpoint row was deleted", short(dev))
		}
	}
	return rep, nil
}

func hasHead(heads []auditHead, device string) bool {
	for _, h := range heads {
		if h.device == device && h.source == "this file" {
			return true
		}
	}
	return false
}

// short is a device id as the Devices screen shows it.
func short(device string) string {
	if len(device) > 12 {
		return device[:12]
	}
	return device
}

func readHeads(ctx context.Context, q *sql.DB, source string) ([]auditHead, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, seq, mac FROM audit_heads WHERE deleted = 0 ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("%s: audit checkpoints: %w", source, err)
	}
	defer rows.Close()
	var out []auditHead
	for rows.Next() {
		h := auditHead{source: source}
		if err := rows.Scan(&h.device, &h.seq, &h.mac); err != nil {
			return nil, fmt.Errorf("%s: audit checkpoints: %w", source, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// readOtherHeads reads the checkpoints of another machine's copy, read-only.
func readOtherHeads(ctx context.Context, path string) ([]auditHead, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("the other copy %s: %w", path, errors.Unwrap(err))
	} else if fi.IsDir() {
		path = filepath.Join(path, FileName)
	}
	other, err := sql.Open(driverName, dsn(path, "ro", ""))
	if err != nil {
		return nil, err
	}
	defer other.Close()
	return readHeads(ctx, other, path)
}
