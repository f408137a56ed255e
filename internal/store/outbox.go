package store

// The automation area's rows: the practice's e-mail settings, which
// machine sends, each sending machine's last report, and the outbox. The
// rules (what to queue, when to send, what a failure means) live in
// internal/notify; this file only reads and writes.

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Outbox states.
const (
	OutboxQueued    = "queued"    // waiting for its time or its next try
	OutboxSending   = "sending"   // handed to the relay right now, or when the sender stopped
	OutboxSent      = "sent"      // the relay accepted it
	OutboxFailed    = "failed"    // refused for good, or given up on: staff see it
	OutboxUnknown   = "unknown"   // the sender stopped mid-send: it may have gone; a person decides
	OutboxWithdrawn = "withdrawn" // no longer wanted (the appointment moved or was cancelled)
)

// mailSettingsID is the one mail_settings row.
const mailSettingsID = "practice"

// DeviceID is this database's device id, the origin of its changes.
func (db *DB) DeviceID() string { return db.deviceID }

// MailSetting opens the sealed mail setting grp ("relay" or "reminders")
// into dst and reports whether one was saved.
func (tx *Tx) MailSetting(grp string, dst any) (bool, error) {
	if grp != "relay" && grp != "reminders" {
		return false, fmt.Errorf("store: no mail setting %q", grp)
	}
	var blob []byte
	err := tx.sql.QueryRow("SELECT "+grp+" FROM mail_settings WHERE id = ? AND deleted = 0", mailSettingsID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && blob == nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: mail settings: %w", err)
	}
	return true, tx.open("mail_settings", grp, mailSettingsID, blob, dst)
}

// SaveMailSetting seals v as the mail setting grp; an unchanged value
// writes nothing. The caller validated v.
func (tx *Tx) SaveMailSetting(grp string, v any) error {
	next, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var old json.RawMessage
	if found, err := tx.MailSetting(grp, &old); err != nil {
		return err
	} else if found && bytes.Equal(old, next) {
		return nil
	}
	return tx.put("mail_settings", mailSettingsID, grp, nil, json.RawMessage(next))
}

// MailSender is the device id of the machine chosen to send, "" when none is.
func (tx *Tx) MailSender() (string, error) {
	var s sql.NullString
	err := tx.sql.QueryRow("SELECT sender FROM mail_settings WHERE id = ? AND deleted = 0", mailSettingsID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: mail sender: %w", err)
	}
	return s.String, nil
}

// SetMailSender chooses the machine that sends. It needs no key: a hub
// names itself the sender when none is chosen.
func (tx *Tx) SetMailSender(deviceID string) error {
	return tx.put("mail_settings", mailSettingsID, "sender", []any{nullable(deviceID)}, nil)
}

// MailAgent is one machine's last report as a possible sender.
type MailAgent struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Hub      bool      `json:"hub"`
	Unlocked bool      `json:"unlocked"`
	SeenAt   time.Time `json:"seenAt" ts_type:"string"`
}

// ReportMailAgent records this machine's report. It needs no key.
func (tx *Tx) ReportMailAgent(name string, hub, unlocked bool) error {
	return tx.put("mail_agents", tx.db.deviceID, "beat", []any{name, boolInt(hub), boolInt(unlocked), unix(tx.now)}, nil)
}

// MailAgents lists the machines that reported, most recent first.
func (tx *Tx) MailAgents() ([]MailAgent, error) {
	var out []MailAgent
	err := tx.rowsOf("SELECT id, COALESCE(name, ''), COALESCE(hub, 0), COALESCE(unlocked, 0), COALESCE(seen_at, 0) FROM mail_agents WHERE deleted = 0 ORDER BY seen_at DESC, id",
		nil, func(rows *sql.Rows) error {
			var a MailAgent
			var seen int64
			if err := rows.Scan(&a.ID, &a.Name, &a.Hub, &a.Unlocked, &seen); err != nil {
				return err
			}
			a.SeenAt = fromUnix(seen)
			out = append(out, a)
			return nil
		})
	return out, err
}

// MachineNames maps the store device id of each machine that reported to
// the name it reports under: the audit trail and the backups name
// machines by it. It needs no key.
func (tx *Tx) MachineNames() (map[string]string, error) {
	agents, err := tx.MailAgents()
	names := make(map[string]string, len(agents))
	for _, a := range agents {
		if a.Name != "" {
			names[a.ID] = a.Name
		}
	}
	return names, err
}

// OutboxMessage is an outbox row without its sealed content.
type OutboxMessage struct {
	ID        string    `json:"id"`
	Purpose   string    `json:"purpose"`
	SubjectID string    `json:"subjectId"`
	DueAt     time.Time `json:"dueAt" ts_type:"string"`
	State     string    `json:"state"`
	SendAfter time.Time `json:"sendAfter" ts_type:"string"`
	Attempts  int       `json:"attempts"`
	Error     string    `json:"error"`
	Device    string    `json:"device"`
	ChangedAt time.Time `json:"changedAt" ts_type:"string"`
}

// OutboxContent is a message's sealed part.
type OutboxContent struct {
	To       string `json:"to"`
	Subject  string `json:"subject"`
	Text     string `json:"text"`
	HTML     string `json:"html"`
	Calendar []byte `json:"calendar,omitempty"`
}

// OutboxID derives a message's id from what it is for, the record it is
// about and when it was due: every machine that queues the same message
// names it alike.
func OutboxID(purpose, subjectID string, due time.Time) string {
	h := sha256.Sum256([]byte("quietdesk/outbox/v1\x00" + purpose + "\x00" + subjectID + "\x00" + strconv.FormatInt(due.Unix(), 10)))
	return hex.EncodeToString(h[:16])
}

// QueueMessage creates the message m describes (its id from OutboxID)
// unless a row of that id exists in any state, deleted included, and
// reports whether it created it. State, attempts and error start fresh.
func (tx *Tx) QueueMessage(m OutboxMessage, c OutboxContent) (string, bool, error) {
	if m.Purpose == "" || m.SubjectID == "" || m.DueAt.IsZero() {
		return "", false, fmt.Errorf("store: an outbox message needs a purpose, a subject and a due time")
	}
	id := OutboxID(m.Purpose, m.SubjectID, m.DueAt)
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM outbox WHERE id = ?", id).Scan(&n); err != nil {
		return "", false, fmt.Errorf("store: outbox: %w", err)
	}
	if n > 0 {
		return id, false, nil
	}
	sendAfter := m.SendAfter
	if sendAfter.IsZero() {
		sendAfter = m.DueAt
	}
	return id, true, tx.create("outbox", id, []write{
		{grp: "message", plain: []any{m.Purpose, m.SubjectID, unix(m.DueAt)}},
		{grp: "content", sealed: c},
		{grp: "state", plain: []any{OutboxQueued, unix(sendAfter), 0, "", tx.db.deviceID, unix(tx.now)}},
	})
}

const outboxColumns = `id, purpose, subject_id, due_at, state, send_after, attempts, error, device, changed_at`

func scanOutbox(rows *sql.Rows) (OutboxMessage, error) {
	var m OutboxMessage
	var due, after, changed int64
	err := rows.Scan(&m.ID, &m.Purpose, &m.SubjectID, &due, &m.State, &after, &m.Attempts, &m.Error, &m.Device, &changed)
	m.DueAt, m.SendAfter, m.ChangedAt = fromUnix(due), fromUnix(after), fromUnix(changed)
	return m, err
}

func (tx *Tx) outbox(where string, args ...any) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := tx.rowsOf("SELECT "+outboxColumns+" FROM outbox WHERE deleted = 0 "+where, args, func(rows *sql.Rows) error {
		m, err := scanOutbox(rows)
		out = append(out, m)
		return err
	})
	return out, err
}

// OutboxMessage returns one message. Errors: ENotFound.
func (tx *Tx) OutboxMessage(id string) (OutboxMessage, error) {
	return one(tx.outbox("AND id = ?", id))
}

// OutboxContent opens a message's recipient and text.
func (tx *Tx) OutboxContent(id string) (OutboxContent, error) {
	var blob []byte
	err := tx.sql.QueryRow("SELECT content FROM outbox WHERE id = ? AND deleted = 0", id).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxContent{}, errNotFound
	}
	if err != nil {
		return OutboxContent{}, fmt.Errorf("store: outbox: %w", err)
	}
	var c OutboxContent
	return c, tx.open("outbox", "content", id, blob, &c)
}

// SetOutboxContent replaces a queued message's recipient and text (its
// appointment's room changed). An unchanged content writes nothing.
func (tx *Tx) SetOutboxContent(id string, c OutboxContent) error {
	old, err := tx.OutboxContent(id)
	if err != nil {
		return err
	}
	return tx.save("outbox", id, []write{{grp: "content", sealed: c}}, []write{{grp: "content", sealed: old}})
}

// SetOutboxState records where a message stands, by this machine, now.
func (tx *Tx) SetOutboxState(id, state string, sendAfter time.Time, attempts int, failure string) error {
	switch state {
	case OutboxQueued, OutboxSending, OutboxSent, OutboxFailed, OutboxUnknown, OutboxWithdrawn:
	default:
		return fmt.Errorf("store: outbox state %q", state)
	}
	return tx.put("outbox", id, "state", []any{state, unix(sendAfter), attempts, failure, tx.db.deviceID, unix(tx.now)}, nil)
}

// OutboxDue lists queued messages whose time has come, oldest first.
func (tx *Tx) OutboxDue(now time.Time, limit int) ([]OutboxMessage, error) {
	return tx.outbox("AND state = ? AND send_after <= ? ORDER BY send_after, id LIMIT ?", OutboxQueued, unix(now), limit)
}

// OutboxInState lists the messages in one state.
func (tx *Tx) OutboxInState(state string) ([]OutboxMessage, error) {
	return tx.outbox("AND state = ? ORDER BY send_after, id", state)
}

// OutboxFor lists the messages about one record.
func (tx *Tx) OutboxFor(subjectID string) ([]OutboxMessage, error) {
	return tx.outbox("AND subject_id = ? ORDER BY due_at, id", subjectID)
}

// OutboxBetween lists messages that go (or went) in [from, to), by their
// send-after time, and every one that waits for a person, latest first.
// Not by due time: a staff alert's due time is a fixed mark that keeps
// its id the same on every machine (notify), not when it goes.
func (tx *Tx) OutboxBetween(from, to time.Time) ([]OutboxMessage, error) {
	return tx.outbox("AND ((send_after >= ? AND send_after < ?) OR state IN (?, ?)) ORDER BY send_after DESC, id", unix(from), unix(to), OutboxFailed, OutboxUnknown)
}

// OutboxCounts counts messages by state.
func (tx *Tx) OutboxCounts() (map[string]int, error) {
	out := map[string]int{}
	err := tx.rowsOf("SELECT state, COUNT(*) FROM outbox WHERE deleted = 0 GROUP BY state", nil, func(rows *sql.Rows) error {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return err
		}
		out[s] = n
		return nil
	})
	return out, err
}

// OutboxWaiting counts queued messages whose time has come.
func (tx *Tx) OutboxWaiting(now time.Time) (int, error) {
	var n int
	err := tx.sql.QueryRow("SELECT COUNT(*) FROM outbox WHERE deleted = 0 AND state = ? AND send_after <= ?", OutboxQueued, unix(now)).Scan(&n)
	return n, err
}

// MailRelaySet reports whether a relay was saved, without the key.
func (tx *Tx) MailRelaySet() (bool, error) {
	var n int
	err := tx.sql.QueryRow("SELECT COUNT(*) FROM mail_settings WHERE id = ? AND deleted = 0 AND relay IS NOT NULL", mailSettingsID).Scan(&n)
	return n > 0, err
}
