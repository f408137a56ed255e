package app

import (
	"bytes"
	"strconv"
	"time"

	"quietdesk/internal/auditwords"
	"quietdesk/internal/export"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Audit is the facade for the audit trail (owner only).
type Audit struct{ c *Core }

// NewAudit binds the audit facade to core.
func NewAudit(c *Core) *Audit { return &Audit{c: c} }

// maxAuditRows caps what the audit screen shows at once; the export has
// no cap.
const maxAuditRows = 1000

// Query returns matching entries, newest first, with account names.
func (a *Audit) Query(f AuditFilter) ([]AuditRow, error) {
	if f.Limit <= 0 || f.Limit > maxAuditRows {
		f.Limit = maxAuditRows
	}
	return read(a.c, "Audit.Query", func(tx *store.Tx) ([]AuditRow, error) { return a.rows(tx, f) })
}

func (a *Audit) rows(tx *store.Tx, f AuditFilter) ([]AuditRow, error) {
	q := store.AuditQuery{AccountID: f.AccountID, Action: f.Action, RecordID: f.RecordID, Limit: f.Limit}
	p := practice.Problems{}
	q.From = parseDay(p, "from", f.From, 0)
	q.To = parseDay(p, "to", f.To, 1)
	if err := p.Err(); err != nil {
		return nil, err
	}
	entries, err := tx.AuditEntries(q)
	if err != nil {
		return nil, err
	}
	names, err := tx.AccountNames()
	if err != nil {
		return nil, err
	}
	computers, err := tx.MachineNames()
	if err != nil {
		return nil, err
	}
	if _, ok := computers[a.c.db.DeviceID()]; !ok {
		computers[a.c.db.DeviceID()] = "This computer" // a new practice reports its name within minutes
	}
	out := make([]AuditRow, len(entries))
	for i, e := range entries {
		what, _ := auditwords.Describe(e.Action)
		out[i] = AuditRow{Seq: e.Seq, At: e.At.Format(time.RFC3339), Device: e.Device, Computer: computers[e.Device],
			AccountID: e.AccountID, Who: names[e.AccountID], Action: e.Action, What: what, Table: e.Table, RecordID: e.RecordID}
	}
	return out, nil
}

// parseDay reads a YYYY-MM-DD filter date as local midnight, plus addDays.
func parseDay(p practice.Problems, field, s string, addDays int) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		p.Add(field, "Use a date like 2026-03-27.")
		return time.Time{}
	}
	return d.AddDate(0, 0, addDays)
}

// Export writes the matching entries as CSV where the owner chooses.
func (a *Audit) Export(f AuditFilter) (string, error) {
	const m = "Audit.Export"
	c := a.c
	sess, err := c.begin(m)
	if err != nil {
		return "", c.fail(m, err)
	}
	var rows []AuditRow
	f.Limit = 0 // every matching entry
	if err := c.view(func(tx *store.Tx) error {
		rows, err = a.rows(tx, f)
		return err
	}); err != nil {
		return "", c.fail(m, err)
	}
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	w.Write([]string{"at", "device", "computer", "account_id", "who", "action", "what", "table", "record_id", "seq"})
	for _, r := range rows {
		w.Write([]string{r.At, r.Device, r.Computer, r.AccountID, r.Who, r.Action, r.What, r.Table, r.RecordID, strconv.FormatInt(r.Seq, 10)})
	}
	if err := w.Flush(); err != nil {
		return "", c.fail(m, err)
	}
	return c.saveExport(m, sess, "Export the audit trail", "quietdesk-audit.csv", "CSV", "*.csv", buf.Bytes(), "audit.export")
}

// Verify checks the audit trail's keyed chains (the owner is logged in,
// so every MAC is recomputed) against this machine's checkpoints.
func (a *Audit) Verify() (AuditCheck, error) {
	const m = "Audit.Verify"
	if _, err := a.c.begin(m); err != nil {
		return AuditCheck{}, a.c.fail(m, err)
	}
	rep, err := a.c.db.VerifyAudit(a.c.ctx())
	if err != nil {
		return AuditCheck{OK: false, Entries: rep.Entries, Problem: err.Error()}, nil
	}
	return AuditCheck{OK: true, Entries: rep.Entries}, nil
}
