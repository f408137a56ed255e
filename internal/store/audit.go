package store

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/vault"
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
	PrevMAC   string // the previous entry's MAC on the same device ("" for the first)
	MAC       string
}

// auditKeyOf derives the audit trail's MAC key from the practice key: an
// unkeyed hash could be recomputed by anyone who can write the file.
func auditKeyOf(dek vault.Key) []byte {
	k, err := hkdf.Key(sha256.New, dek[:], nil, "quietdesk audit mac v1", 32)
	if err != nil {
		panic(err) // only for a length sha256 cannot give
	}
	return k
}

// auditMACKey is the loaded practice's audit key, nil while locked.
func (db *DB) auditMACKey() []byte {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.auditKey
}

// entryMAC links an entry to the one before it on the same device, keyed.
func entryMAC(key []byte, e AuditEntry) string {
	m := hmac.New(sha256.New, key)
	for _, s := range []string{"quietdesk/audit/v2", e.PrevMAC, e.Device, strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano), e.AccountID, e.Action, e.Table, e.RecordID} {
		fmt.Fprintf(m, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// legacyHash is the unkeyed SHA-256 link that chains written before the
// trail was keyed carry (until commit 8814967, migration 0004): anyone who
// can write the file can recompute it, so it proves consistency, not who
// wrote an entry. VerifyAudit still walks such a prefix, and the first
// keyed entry after it covers its last hash (as PrevMAC), so from then on
// the old part cannot change unseen.
func legacyHash(e AuditEntry) string {
	h := sha256.New()
	for _, s := range []string{"quietdesk/audit/v1", e.PrevMAC, e.Device, strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano), e.AccountID, e.Action, e.Table, e.RecordID} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry for accountID doing action on (table, recordID),
// in this transaction, so a write and its audit entry commit together, and
// moves this device's checkpoint (audit_heads) to it. It needs the key.
func (tx *Tx) Audit(accountID, action, table, recordID string) error {
	return tx.audit(AuditEntry{At: tx.now, AccountID: accountID, Action: action, Table: table, RecordID: recordID})
}

func (tx *Tx) audit(e AuditEntry) error {
	key := tx.db.auditMACKey()
	if key == nil {
		return errNoKey
	}
	e.Device = tx.db.deviceID
	err := tx.queryRow(qLastAudit, e.Device).Scan(&e.Seq, &e.PrevMAC)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("store: audit: %w", err)
	}
	e.Seq++
	e.MAC = entryMAC(key, e)
	if err := tx.create("audit_log", newID(), []write{{grp: "entry", plain: []any{e.Device, e.Seq, e.At.Format(time.RFC3339Nano),
		e.AccountID, e.Action, e.Table, e.RecordID, e.PrevMAC, e.MAC}}}); err != nil {
		return err
	}
	return tx.put("audit_heads", e.Device, "head", []any{e.Seq, e.MAC}, nil)
}

// AuditQuery filters the audit trail; zero fields do not filter.
type AuditQuery struct {
	From, To  time.Time
	AccountID string
	Action    string
	RecordID  string
	Limit     int // 0: every matching entry
}

const auditColumns = "device, seq, at, account_id, action, tbl, record_id, prev_hash, hash"

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
	query := "SELECT " + auditColumns + " FROM audit_log WHERE deleted = 0"
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
	if err := rows.Scan(&e.Device, &e.Seq, &at, &e.AccountID, &e.Action, &e.Table, &e.RecordID, &e.PrevMAC, &e.MAC); err != nil {
		return e, err
	}
	var err error
	e.At, err = time.Parse(time.RFC3339Nano, at)
	return e, err
}
