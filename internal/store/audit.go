package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one line of the tamper-evident audit trail. It names ids and
// actions, never a person's details.
type AuditEntry struct {
	Device    string
	Seq       int64
	At        time.Time
	AccountID string
	Action    string // e.g. patient.read, patient.update, login, login.failed
	Table     string
	RecordID  string // or, for a view, the records it showed, space-separated
	PrevHash  string
	Hash      string
}

// chainHash links an entry to the one before it on the same device.
func chainHash(e AuditEntry) string {
	h := sha256.New()
	for _, s := range []string{"quietdesk/audit/v1", e.PrevHash, e.Device, strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano), e.AccountID, e.Action, e.Table, e.RecordID} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry for accountID doing action on (table, recordID),
// in this transaction, so a write and its audit entry commit together.
func (tx *Tx) Audit(accountID, action, table, recordID string) error {
	e := AuditEntry{Device: tx.db.deviceID, At: tx.now, AccountID: accountID, Action: action, Table: table, RecordID: recordID}
	err := tx.queryRow(qLastAudit, e.Device).Scan(&e.Seq, &e.PrevHash)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("store: audit: %w", err)
	}
	e.Seq++
	e.Hash = chainHash(e)
	return tx.create("audit_log", newID(), []write{{grp: "entry", plain: []any{e.Device, e.Seq, e.At.Format(time.RFC3339Nano),
		e.AccountID, e.Action, e.Table, e.RecordID, e.PrevHash, e.Hash}}})
}

// AuditQuery filters the audit trail; zero fields do not filter.
type AuditQuery struct {
	From, To  time.Time
	AccountID string
	Action    string
	RecordID  string
	Limit     int // 0: every matching entry
}

// AuditEntries returns matching entries, newest first.
func (tx *Tx) AuditEntries(q AuditQuery) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if !q.From.IsZero() {
		add("at >= ?", q.From.UTC().Format(time.RFC3339Nano))
	}
	if !q.To.IsZero() {
		add("at < ?", q.To.UTC().Format(time.RFC3339Nano))
	}
	if q.AccountID != "" {
		add("account_id = ?", q.AccountID)
	}
	if q.Action != "" {
		add("action LIKE ?", strings.ReplaceAll(q.Action, "%", "")+"%")
	}
	if q.RecordID != "" {
		// A view's one entry lists every record it showed, space-separated.
		where = append(where, "(record_id = ? OR instr(' ' || record_id || ' ', ?) > 0)")
		args = append(args, q.RecordID, " "+q.RecordID+" ")
	}
	query := "SELECT device, seq, at, account_id, action, tbl, record_id, prev_hash, hash FROM audit_log WHERE deleted = 0"
	if len(where) > 0 {
		query += " AND " + strings.Join(where, " AND ")
	}
	query += " ORDER BY at DESC, seq DESC"
	if q.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(q.Limit)
	}
	var out []AuditEntry
	err := tx.rowsOf(query, args, func(rows *sql.Rows) error {
		e, err := scanAudit(rows)
		out = append(out, e)
		return err
	})
	return out, err
}

func scanAudit(rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	var at string
	if err := rows.Scan(&e.Device, &e.Seq, &at, &e.AccountID, &e.Action, &e.Table, &e.RecordID, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	var err error
	e.At, err = time.Parse(time.RFC3339Nano, at)
	return e, err
}

// VerifyAudit walks every device's chain and reports the first entry that
// was altered, removed or reordered. It needs no key: the chain covers only
// plain columns.
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	if db.sql == nil {
		return 0, fmt.Errorf("there is no practice in %s", db.dir)
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT device, seq, at, account_id, action, tbl, record_id, prev_hash, hash FROM audit_log ORDER BY device, seq")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var prev AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, fmt.Errorf("entry %d of device %s is unreadable: %w", e.Seq, e.Device, err)
		}
		if e.Device != prev.Device {
			prev = AuditEntry{Device: e.Device}
		}
		switch {
		case e.Seq != prev.Seq+1:
			return n, fmt.Errorf("device %s: entry %d follows entry %d: entries are missing or reordered", e.Device, e.Seq, prev.Seq)
		case e.PrevHash != prev.Hash:
			return n, fmt.Errorf("device %s: entry %d does not link to entry %d: the chain was altered", e.Device, e.Seq, prev.Seq)
		case chainHash(e) != e.Hash:
			return n, fmt.Errorf("device %s: entry %d was altered", e.Device, e.Seq)
		}
		prev = e
		n++
	}
	return n, rows.Err()
}
