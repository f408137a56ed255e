package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"quietdesk/internal/practice"
)

// --- billing settings

const billingSettingsID = "practice"

// BillingSettings returns the practice's billing setup (empty before the
// first save).
func (tx *Tx) BillingSettings() (practice.BillingSettings, error) {
	s := practice.BillingSettings{Fees: map[string]int{}}
	var blob []byte
	err := tx.sql.QueryRow("SELECT info FROM billing_settings WHERE id = ? AND deleted = 0", billingSettingsID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: billing settings: %w", err)
	}
	if err := tx.open("billing_settings", "info", billingSettingsID, blob, &s); err != nil {
		return s, err
	}
	if s.Fees == nil {
		s.Fees = map[string]int{}
	}
	return s, nil
}

// SaveBillingSettings validates and stores the billing setup. Errors: EInvalid.
func (tx *Tx) SaveBillingSettings(s *practice.BillingSettings) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	old, err := tx.BillingSettings()
	if err != nil {
		return err
	}
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM billing_settings WHERE id = ?", billingSettingsID).Scan(&n); err != nil {
		return fmt.Errorf("store: billing settings: %w", err)
	}
	if n == 0 {
		return tx.create("billing_settings", billingSettingsID, []write{{grp: "info", sealed: *s}})
	}
	return tx.save("billing_settings", billingSettingsID, []write{{grp: "info", sealed: *s}}, []write{{grp: "info", sealed: old}})
}

// --- payers' claim rules

// payerRules is the JSON of payer_billing.rules.
type payerRules struct {
	VideoModifier   string            `json:"video"`
	AudioModifier   string            `json:"audio"`
	AlwaysModifiers []string          `json:"always"`
	TelehealthPOS   string            `json:"telePos"`
	CodeMap         map[string]string `json:"codeMap"`
	Expected        map[string]int    `json:"expected"`
	LineAuth        bool              `json:"lineAuth"`
}

// AllPayerBilling returns every payer's claim rules by payer id, the
// defaults for a payer without saved ones.
func (tx *Tx) AllPayerBilling() (map[string]practice.PayerBilling, error) {
	payers, err := tx.Payers()
	if err != nil {
		return nil, err
	}
	out := make(map[string]practice.PayerBilling, len(payers))
	for _, p := range payers {
		out[p.ID] = practice.DefaultPayerBilling(p.ID, p.Kind)
	}
	err = tx.rowsOf("SELECT id, filing_indicator, timely_days, rules FROM payer_billing WHERE deleted = 0", nil, func(rows *sql.Rows) error {
		var b practice.PayerBilling
		var raw string
		if err := rows.Scan(&b.PayerID, &b.FilingIndicator, &b.TimelyDays, &raw); err != nil {
			return err
		}
		var r payerRules
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return fmt.Errorf("store: payer billing rules: %w", err)
		}
		b.VideoModifier, b.AudioModifier, b.AlwaysModifiers, b.TelehealthPOS = r.VideoModifier, r.AudioModifier, r.AlwaysModifiers, r.TelehealthPOS
		b.CodeMap, b.Expected, b.LineAuth = r.CodeMap, r.Expected, r.LineAuth
		b.Normalize()
		out[b.PayerID] = b
		return nil
	})
	return out, err
}

// PayerBilling returns one payer's claim rules. Errors: ENotFound.
func (tx *Tx) PayerBilling(payerID string) (practice.PayerBilling, error) {
	all, err := tx.AllPayerBilling()
	if err != nil {
		return practice.PayerBilling{}, err
	}
	b, ok := all[payerID]
	if !ok {
		return b, practice.Errorf(practice.ENotFound, "That payer does not exist (it may have been removed on another machine).")
	}
	return b, nil
}

// SavePayerBilling validates and stores an existing payer's claim rules.
// Errors: EInvalid.
func (tx *Tx) SavePayerBilling(b *practice.PayerBilling) error {
	b.Normalize()
	if err := b.Validate(); err != nil {
		return err
	}
	if _, err := one(tx.payers("AND id = ?", b.PayerID)); err != nil {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	raw, err := json.Marshal(payerRules{b.VideoModifier, b.AudioModifier, b.AlwaysModifiers, b.TelehealthPOS, b.CodeMap, b.Expected, b.LineAuth})
	if err != nil {
		return err
	}
	return tx.putOrCreate("payer_billing", b.PayerID, []write{{grp: "rules", plain: []any{b.FilingIndicator, b.TimelyDays, string(raw)}}})
}

// --- diagnoses

// Diagnoses returns a patient's diagnoses (an empty list when none).
func (tx *Tx) Diagnoses(patientID string) (practice.Diagnoses, error) {
	d := practice.Diagnoses{PatientID: patientID, List: []practice.Diagnosis{}}
	var blob []byte
	err := tx.sql.QueryRow("SELECT list FROM diagnoses WHERE id = ? AND deleted = 0", patientID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && blob == nil) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("store: diagnoses: %w", err)
	}
	if err := tx.open("diagnoses", "list", patientID, blob, &d); err != nil {
		return d, err
	}
	d.PatientID = patientID
	if d.List == nil {
		d.List = []practice.Diagnosis{}
	}
	return d, nil
}

// SaveDiagnoses stores a patient's diagnoses as given (the billing service
// validates them). Errors: ENotFound.
func (tx *Tx) SaveDiagnoses(d *practice.Diagnoses) error {
	if _, err := tx.Patient(d.PatientID); err != nil {
		return err
	}
	old, err := tx.Diagnoses(d.PatientID)
	if err != nil {
		return err
	}
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM diagnoses WHERE id = ?", d.PatientID).Scan(&n); err != nil {
		return fmt.Errorf("store: diagnoses: %w", err)
	}
	if n == 0 {
		return tx.create("diagnoses", d.PatientID, []write{{grp: "list", sealed: *d}})
	}
	return tx.save("diagnoses", d.PatientID, []write{{grp: "list", sealed: *d}}, []write{{grp: "list", sealed: old}})
}

// --- claims

// ClaimFilter selects claims; zero fields select all.
type ClaimFilter struct {
	PatientID string
	// PatientIDs: the claims of any of these patients.
	PatientIDs []string
	PayerID    string
	Status     []practice.ClaimStatus
	IDs        []string
	// Newest bounds the list to every draft and ready claim and the
	// newest Newest others (0: no bound), picked by SQLite so years of
	// claims are not read to show a screenful.
	Newest int
}

const claimColumns = "id, number, patient_id, payer_id, clinician_id, frequency, COALESCE(replaces_id, ''), created_at, appointment_ids, status"

// ClaimHeads lists claims without their sealed content (plain columns
// only: numbers, ids, statuses), newest first.
func (tx *Tx) ClaimHeads(f ClaimFilter) ([]practice.Claim, error) { return tx.claims(f, false) }

// Claims lists claims with their content, newest first.
func (tx *Tx) Claims(f ClaimFilter) ([]practice.Claim, error) { return tx.claims(f, true) }

// Claim returns one claim with its content. Errors: ENotFound.
func (tx *Tx) Claim(id string) (practice.Claim, error) {
	list, err := tx.claims(ClaimFilter{IDs: []string{id}}, true)
	if err == nil && len(list) == 0 {
		return practice.Claim{}, practice.Errorf(practice.ENotFound, "That claim does not exist.")
	}
	if err != nil {
		return practice.Claim{}, err
	}
	return list[0], nil
}

func (tx *Tx) claims(f ClaimFilter, content bool) ([]practice.Claim, error) {
	q := "SELECT " + claimColumns
	if content {
		q += ", content"
	}
	where, args := claimsWhere(f)
	if f.Newest > 0 {
		// 'draft' and 'ready' are practice.ClaimDraft and ClaimReady.
		where += " AND (status IN ('draft', 'ready') OR id IN (SELECT id FROM claims WHERE " + where +
			" AND status NOT IN ('draft', 'ready') ORDER BY created_at DESC, id DESC LIMIT ?))"
		args = append(args, slices.Clone(args)...)
		args = append(args, f.Newest)
	}
	q += " FROM claims WHERE " + where + " ORDER BY created_at DESC, id DESC"
	var out []practice.Claim
	err := tx.rowsOf(q, args, func(rows *sql.Rows) error {
		var c practice.Claim
		var created int64
		var appts string
		var blob []byte
		dst := []any{&c.ID, &c.Number, &c.PatientID, &c.PayerID, &c.ClinicianID, &c.Frequency, &c.ReplacesID, &created, &appts, &c.Status}
		if content {
			dst = append(dst, &blob)
		}
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		c.Created = time.UnixMilli(created).UTC()
		if err := json.Unmarshal([]byte(appts), &c.AppointmentIDs); err != nil {
			return fmt.Errorf("store: claim sessions: %w", err)
		}
		if content {
			if err := tx.open("claims", "content", c.ID, blob, &c.Content); err != nil {
				return err
			}
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// claimsWhere is the WHERE clause of a claim filter and its arguments.
func claimsWhere(f ClaimFilter) (string, []any) {
	q := "deleted = 0"
	var args []any
	if f.PatientID != "" {
		q += " AND patient_id = ?"
		args = append(args, f.PatientID)
	}
	if len(f.PatientIDs) > 0 {
		q += " AND patient_id IN " + inList(len(f.PatientIDs))
		for _, id := range f.PatientIDs {
			args = append(args, id)
		}
	}
	if f.PayerID != "" {
		q += " AND payer_id = ?"
		args = append(args, f.PayerID)
	}
	if len(f.Status) > 0 {
		q += " AND status IN " + inList(len(f.Status))
		for _, s := range f.Status {
			args = append(args, string(s))
		}
	}
	if len(f.IDs) > 0 {
		q += " AND id IN " + inList(len(f.IDs))
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	return q, args
}

// ClaimSpan is a claim's plain facts and the dates of service its
// exports covered (From and To "" when it has none).
type ClaimSpan struct {
	ID, PatientID, Frequency, ReplacesID string
	Status                               practice.ClaimStatus
	From, To                             string
}

// ClaimSpans lists the live claims of the patients, newest first (as
// Claims), each with the span of dates of service its exports covered;
// nothing sealed is opened.
func (tx *Tx) ClaimSpans(patientIDs []string) ([]ClaimSpan, error) {
	if len(patientIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(patientIDs))
	for i, id := range patientIDs {
		args[i] = id
	}
	var out []ClaimSpan
	err := tx.rowsOf(`SELECT c.id, c.patient_id, c.frequency, COALESCE(c.replaces_id, ''), c.status,
			COALESCE((SELECT MIN(s.service_from) FROM claim_submissions AS s WHERE s.claim_id = c.id AND s.deleted = 0), ''),
			COALESCE((SELECT MAX(s.service_to) FROM claim_submissions AS s WHERE s.claim_id = c.id AND s.deleted = 0), '')
		FROM claims AS c WHERE c.deleted = 0 AND c.patient_id IN `+inList(len(patientIDs))+`
		ORDER BY c.created_at DESC, c.id DESC`, args, func(rows *sql.Rows) error {
		var c ClaimSpan
		if err := rows.Scan(&c.ID, &c.PatientID, &c.Frequency, &c.ReplacesID, &c.Status, &c.From, &c.To); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// BilledAppointments maps every session on a claim that is not a void to
// that claim's id (plain columns only).
func (tx *Tx) BilledAppointments() (map[string]string, error) {
	out := map[string]string{}
	err := tx.rowsOf("SELECT id, appointment_ids FROM claims WHERE deleted = 0 AND frequency <> ?", []any{practice.FreqVoid}, func(rows *sql.Rows) error {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		var ids []string
		if err := json.Unmarshal([]byte(raw), &ids); err != nil {
			return fmt.Errorf("store: claim sessions: %w", err)
		}
		for _, a := range ids {
			out[a] = id
		}
		return nil
	})
	return out, err
}

// ClaimNumberPrefix is this machine's claim number prefix: five characters
// from its device id and epoch, so office computers never hand out the
// same number, nor does one restored from a backup (a new epoch).
func (tx *Tx) ClaimNumberPrefix() string {
	sum := sha256.Sum256([]byte("quietdesk/claim-number/" + tx.db.deviceID + "/" + tx.db.epoch))
	return base32.StdEncoding.EncodeToString(sum[:])[:5]
}

// CreateClaim writes a new claim as a draft under the next number of this
// machine's sequence. The billing service builds and checks it.
func (tx *Tx) CreateClaim(c *practice.Claim, prefix string) error {
	p := prefix + tx.ClaimNumberPrefix() + "-"
	seq, err := tx.nextClaimNumber(p)
	if err != nil {
		return err
	}
	c.ID, c.Number, c.Created, c.Status = newID(), p+strconv.Itoa(seq), tx.now, practice.ClaimDraft
	if c.AppointmentIDs == nil {
		c.AppointmentIDs = []string{}
	}
	appts, err := json.Marshal(c.AppointmentIDs)
	if err != nil {
		return err
	}
	return tx.create("claims", c.ID, []write{
		{grp: "claim", plain: []any{c.Number, c.PatientID, c.PayerID, c.ClinicianID, c.Frequency, nullable(c.ReplacesID), c.Created.UnixMilli(), string(appts)}},
		{grp: "content", sealed: c.Content},
		{grp: "status", plain: []any{string(c.Status)}},
	})
}

// nextClaimNumber takes the next number of the sequence whose numbers start
// with p. The last one is kept in meta, which is local: only this machine
// hands out its prefix's numbers, and a restored copy has a new prefix.
// Finding it from the claims instead read every claim this machine ever
// made (the numbers do not sort as text), once per claim: a batch slowed
// down with each year of history. A machine from before meta kept it finds
// it from its claims once.
func (tx *Tx) nextClaimNumber(p string) (int, error) {
	key := "claim_number/" + p
	var last sql.NullString
	err := tx.sql.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.sql.QueryRow("SELECT substr(number, ?) FROM claims WHERE number LIKE ? ORDER BY length(number) DESC, number DESC LIMIT 1",
			len(p)+1, p+"%").Scan(&last)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: claim number: %w", err)
	}
	seq := 0
	if last.Valid {
		if seq, err = strconv.Atoi(last.String); err != nil {
			return 0, fmt.Errorf("store: claim number %q: %w", p+last.String, err)
		}
	}
	seq++
	if _, err := tx.sql.Exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, strconv.Itoa(seq)); err != nil {
		return 0, fmt.Errorf("store: claim number: %w", err)
	}
	return seq, nil
}

// SaveClaimContent writes a draft claim's content (the service refuses a
// claim that was sent).
func (tx *Tx) SaveClaimContent(id string, content practice.ClaimContent) error {
	old, err := tx.Claim(id)
	if err != nil {
		return err
	}
	return tx.save("claims", id, []write{{grp: "content", sealed: content}}, []write{{grp: "content", sealed: old.Content}})
}

// SetClaimStatus moves a claim's status forward; moving back is refused
// (EInvalid), the same status writes nothing.
func (tx *Tx) SetClaimStatus(id string, s practice.ClaimStatus) error {
	// Only the status is read: an export moves thousands of claims.
	var old string
	err := tx.queryRow("SELECT status FROM claims WHERE id = ? AND deleted = 0", id).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return practice.Errorf(practice.ENotFound, "That claim does not exist.")
	case err != nil:
		return fmt.Errorf("store: claim status: %w", err)
	case practice.ClaimStatus(old) == s:
		return nil
	}
	return tx.put("claims", id, "status", []any{string(s)}, nil)
}

// ClaimSubmission is what one export of a claim sent.
type ClaimSubmission struct {
	ID          string                `json:"id"`
	ClaimID     string                `json:"claimId"`
	At          time.Time             `json:"at"`
	AccountID   string                `json:"accountId"`
	Control     string                `json:"control"`
	ChargeCents int                   `json:"chargeCents"`
	From, To    string                `json:"-"`
	Content     practice.ClaimContent `json:"content"`
}

// AddClaimSubmission records what an export sent for a claim (append-only).
func (tx *Tx) AddClaimSubmission(s *ClaimSubmission) error {
	s.ID, s.At = newID(), tx.now
	return tx.create("claim_submissions", s.ID, []write{
		{grp: "entry", plain: []any{s.ClaimID, s.At.UnixMilli(), s.AccountID, s.Control, s.ChargeCents, s.From, s.To}},
		{grp: "content", sealed: s.Content},
	})
}

// ClaimSubmissions returns what was sent for a claim, the first export first.
func (tx *Tx) ClaimSubmissions(claimID string) ([]ClaimSubmission, error) {
	var out []ClaimSubmission
	err := tx.rowsOf(`SELECT `+submissionColumns+`
		FROM claim_submissions AS s WHERE s.deleted = 0 AND s.claim_id = ? ORDER BY s.at, s.id`, []any{claimID}, func(rows *sql.Rows) error {
		s, err := tx.scanSubmission(rows)
		out = append(out, s)
		return err
	})
	return out, err
}

// submissionColumns are what scanSubmission reads, in its order.
const submissionColumns = "s.id, s.claim_id, s.at, s.account_id, s.control, s.charge_cents, s.service_from, s.service_to, s.content"

// scanSubmission reads one row of submissionColumns, its content opened.
func (tx *Tx) scanSubmission(rows *sql.Rows) (ClaimSubmission, error) {
	var s ClaimSubmission
	var at int64
	var blob []byte
	if err := rows.Scan(&s.ID, &s.ClaimID, &at, &s.AccountID, &s.Control, &s.ChargeCents, &s.From, &s.To, &blob); err != nil {
		return s, err
	}
	s.At = time.UnixMilli(at).UTC()
	return s, tx.open("claim_submissions", "content", s.ID, blob, &s.Content)
}

// LatestSubmissions returns what the last export of each of claimIDs sent
// (claims never sent are missing), opening only those.
func (tx *Tx) LatestSubmissions(claimIDs []string) (map[string]ClaimSubmission, error) {
	out := map[string]ClaimSubmission{}
	if len(claimIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(claimIDs))
	for i, id := range claimIDs {
		args[i] = id
	}
	err := tx.rowsOf(`SELECT `+submissionColumns+`
		FROM claim_submissions AS s WHERE s.deleted = 0 AND s.claim_id IN `+inList(len(claimIDs))+`
			AND NOT EXISTS (SELECT 1 FROM claim_submissions AS t WHERE t.deleted = 0 AND t.claim_id = s.claim_id
				AND (t.at > s.at OR (t.at = s.at AND t.id > s.id)))`, args, func(rows *sql.Rows) error {
		s, err := tx.scanSubmission(rows)
		out[s.ClaimID] = s
		return err
	})
	return out, err
}

// --- the ledger

type entryNote struct {
	Reference    string `json:"reference"`
	RefundReason string `json:"refundReason"`
	Note         string `json:"note"`
}

// AddEntry appends a ledger entry at the transaction's time, under e.ID
// when given (a name-based id: the same fact posted on two machines is one
// entry), else a new one. The billing service validates it against the
// claim and the balance.
func (tx *Tx) AddEntry(e *practice.Entry) error {
	if e.ID == "" {
		e.ID = newID()
	}
	e.Posted = tx.now
	if e.Remarks == nil {
		e.Remarks = []string{}
	}
	remarks, err := json.Marshal(e.Remarks)
	if err != nil {
		return err
	}
	return tx.create("ledger", e.ID, []write{
		{grp: "entry", plain: []any{string(e.Kind), string(e.Party), e.ClaimID, e.Line, e.PatientID, e.PayerID, e.AppointmentID,
			e.AmountCents, e.ExpectedCents, e.On, e.Posted.UnixMilli(), e.AccountID, e.Method, e.GroupCode, e.ReasonCode, string(remarks)}},
		{grp: "note", sealed: entryNote{e.Reference, e.RefundReason, e.Note}},
	})
}

// EntryFilter selects ledger entries; zero fields select all. From and To
// bound the entry's date (inclusive).
type EntryFilter struct {
	// ClaimIDs: the entries of any of these claims.
	ClaimIDs  []string
	PatientID string
	From, To  string
	// Notes: also open each entry's sealed note (reference, reason, note).
	Notes bool
	// AnyOrder: the caller sums and needs no order (the dashboards over
	// years of ledger): SQLite skips sorting every row first.
	AnyOrder bool
}

// Entries lists ledger entries by date, then posting time and id (so every
// machine lists merged entries alike).
func (tx *Tx) Entries(f EntryFilter) ([]practice.Entry, error) {
	q := `SELECT id, kind, party, claim_id, line, patient_id, payer_id, appointment_id, amount_cents, expected_cents, on_date, posted_at,
		account_id, method, group_code, reason_code, remarks`
	if f.Notes {
		q += ", note"
	}
	q += " FROM ledger WHERE deleted = 0"
	var args []any
	for col, v := range map[string]string{"patient_id = ?": f.PatientID, "on_date >= ?": f.From, "on_date <= ?": f.To} {
		if v != "" {
			q += " AND " + col
			args = append(args, v)
		}
	}
	if len(f.ClaimIDs) > 0 {
		q += " AND claim_id IN " + inList(len(f.ClaimIDs))
		for _, id := range f.ClaimIDs {
			args = append(args, id)
		}
	}
	if !f.AnyOrder {
		q += " ORDER BY on_date, posted_at, id"
	}
	var out []practice.Entry
	err := tx.rowsOf(q, args, func(rows *sql.Rows) error {
		var e practice.Entry
		var posted int64
		var remarks string
		var blob []byte
		dst := []any{&e.ID, &e.Kind, &e.Party, &e.ClaimID, &e.Line, &e.PatientID, &e.PayerID, &e.AppointmentID, &e.AmountCents, &e.ExpectedCents, &e.On, &posted,
			&e.AccountID, &e.Method, &e.GroupCode, &e.ReasonCode, &remarks}
		if f.Notes {
			dst = append(dst, &blob)
		}
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		e.Posted = time.UnixMilli(posted).UTC()
		if remarks == "[]" || remarks == "" { // most entries: no remark codes
			e.Remarks = []string{}
		} else if err := json.Unmarshal([]byte(remarks), &e.Remarks); err != nil {
			return fmt.Errorf("store: ledger remarks: %w", err)
		}
		if f.Notes {
			var n entryNote
			if err := tx.open("ledger", "note", e.ID, blob, &n); err != nil {
				return err
			}
			e.Reference, e.RefundReason, e.Note = n.Reference, n.RefundReason, n.Note
		}
		out = append(out, e)
		return nil
	})
	return out, err
}
