package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"quietdesk/internal/practice"
)

// --- credentials

// credentialInfo is the sealed part of a credential: what identifies it.
type credentialInfo struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Carrier string `json:"carrier"`
	Limits  string `json:"limits"`
	Notes   string `json:"notes"`
}

func credentialWrites(c *practice.Credential) []write {
	return []write{
		{grp: "item", plain: []any{c.ClinicianID, string(c.Kind), nullable(c.State), nullable(c.Issued), nullable(c.Expires)}},
		{grp: "info", sealed: credentialInfo{Type: c.Type, Number: c.Number, Carrier: c.Carrier, Limits: c.Limits, Notes: c.Notes}},
	}
}

// Credentials lists the credentials of one clinician, or of every
// clinician with clinicianID "", by kind and expiry.
func (tx *Tx) Credentials(clinicianID string) ([]practice.Credential, error) {
	if clinicianID == "" {
		return tx.credentials("")
	}
	return tx.credentials("AND clinician_id = ?", clinicianID)
}

// Credential returns one credential. Errors: ENotFound.
func (tx *Tx) Credential(id string) (practice.Credential, error) {
	return one(tx.credentials("AND id = ?", id))
}

func (tx *Tx) credentials(where string, args ...any) ([]practice.Credential, error) {
	var out []practice.Credential
	err := tx.rowsOf(`SELECT id, clinician_id, kind, COALESCE(state, ''), COALESCE(issued_on, ''), COALESCE(expires_on, ''), info
		FROM credentials WHERE deleted = 0 `+where+" ORDER BY clinician_id, kind, expires_on, id", args, func(rows *sql.Rows) error {
		var c practice.Credential
		var blob []byte
		if err := rows.Scan(&c.ID, &c.ClinicianID, &c.Kind, &c.State, &c.Issued, &c.Expires, &blob); err != nil {
			return err
		}
		var info credentialInfo
		if err := tx.open("credentials", "info", c.ID, blob, &info); err != nil {
			return err
		}
		c.Type, c.Number, c.Carrier, c.Limits, c.Notes = info.Type, info.Number, info.Carrier, info.Limits, info.Notes
		out = append(out, c)
		return nil
	})
	return out, err
}

// SaveCredential validates and creates (empty ID) or updates a credential
// of an existing clinician. Errors: EInvalid, ENotFound.
func (tx *Tx) SaveCredential(c *practice.Credential) error {
	c.Normalize()
	settings, err := tx.Settings()
	if err != nil {
		return err
	}
	y, m, d := tx.now.In(settings.Zone()).Date() // the practice's today bounds an attestation
	if err := c.Validate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)); err != nil {
		return err
	}
	if _, err := tx.Clinician(c.ClinicianID); err != nil {
		return practice.FieldProblem("clinicianId", "Choose an existing clinician.")
	}
	return upsert(tx, "credentials", &c.ID, c, credentialWrites, func() (practice.Credential, error) { return tx.Credential(c.ID) })
}

// DeleteCredential removes a credential. Errors: ENotFound.
func (tx *Tx) DeleteCredential(id string) error {
	if _, err := tx.Credential(id); err != nil {
		return err
	}
	return tx.tombstone("credentials", id)
}

// --- enrollments

// enrollmentIDs is the sealed part of an enrollment.
type enrollmentIDs struct {
	ProviderID string `json:"providerId"`
	ContractID string `json:"contractId"`
	Reference  string `json:"reference"`
	Contact    string `json:"contact"`
}

func enrollmentWrites(e *practice.Enrollment) []write {
	return []write{
		{grp: "link", plain: []any{e.ClinicianID, e.PayerID}},
		{grp: "state", plain: []any{string(e.Status), nullable(e.EffectiveOn), nullable(e.FollowUpOn), nullable(e.AssigneeID)}},
		{grp: "ids", sealed: enrollmentIDs{ProviderID: e.ProviderID, ContractID: e.ContractID, Reference: e.Reference, Contact: e.Contact}},
	}
}

// EnrollmentID is the id of a clinician's enrollment with a payer: a
// name-based UUID, the same on every machine, so two machines starting the
// same enrollment offline make one row.
func EnrollmentID(clinicianID, payerID string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("quietdesk/enrollment/"+clinicianID+"/"+payerID)).String()
}

// Enrollments lists the enrollments of one clinician, or every one with
// clinicianID "".
func (tx *Tx) Enrollments(clinicianID string) ([]practice.Enrollment, error) {
	if clinicianID == "" {
		return tx.enrollments("")
	}
	return tx.enrollments("AND clinician_id = ?", clinicianID)
}

// Enrollment returns one enrollment. Errors: ENotFound.
func (tx *Tx) Enrollment(id string) (practice.Enrollment, error) {
	return one(tx.enrollments("AND id = ?", id))
}

func (tx *Tx) enrollments(where string, args ...any) ([]practice.Enrollment, error) {
	var out []practice.Enrollment
	err := tx.rowsOf(`SELECT id, clinician_id, payer_id, status, COALESCE(effective_on, ''), COALESCE(follow_up_on, ''),
		COALESCE(assignee_id, ''), ids FROM enrollments WHERE deleted = 0 `+where+" ORDER BY clinician_id, payer_id", args, func(rows *sql.Rows) error {
		var e practice.Enrollment
		var blob []byte
		if err := rows.Scan(&e.ID, &e.ClinicianID, &e.PayerID, &e.Status, &e.EffectiveOn, &e.FollowUpOn, &e.AssigneeID, &blob); err != nil {
			return err
		}
		var ids enrollmentIDs
		if err := tx.open("enrollments", "ids", e.ID, blob, &ids); err != nil {
			return err
		}
		e.ProviderID, e.ContractID, e.Reference, e.Contact = ids.ProviderID, ids.ContractID, ids.Reference, ids.Contact
		out = append(out, e)
		return nil
	})
	return out, err
}

// SaveEnrollment validates and writes a clinician's enrollment with a
// payer under its name-based id, creating it the first time and writing
// only the changed groups after. Errors: EInvalid.
func (tx *Tx) SaveEnrollment(e *practice.Enrollment) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	if _, err := tx.Clinician(e.ClinicianID); err != nil {
		return practice.FieldProblem("clinicianId", "Choose an existing clinician.")
	}
	if _, err := one(tx.payers("AND id = ?", e.PayerID)); err != nil {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	if e.AssigneeID != "" {
		if _, err := tx.Account(e.AssigneeID); err != nil {
			return practice.FieldProblem("assigneeId", "Choose an existing staff member.")
		}
	}
	e.ID = EnrollmentID(e.ClinicianID, e.PayerID)
	old, err := tx.Enrollment(e.ID)
	if errors.Is(err, errNotFound) {
		return tx.create("enrollments", e.ID, enrollmentWrites(e))
	}
	if err != nil {
		return err
	}
	return tx.save("enrollments", e.ID, enrollmentWrites(e), enrollmentWrites(&old))
}

// --- enrollment history

// AddEnrollmentEvent appends an entry to an enrollment's history, at the
// transaction's time. Errors: EInvalid, ENotFound.
func (tx *Tx) AddEnrollmentEvent(ev *practice.EnrollmentEvent) error {
	if err := practice.CheckNote("note", ev.Note); err != nil {
		return err
	}
	if _, err := tx.Enrollment(ev.EnrollmentID); err != nil {
		return err
	}
	ev.ID, ev.At = newID(), tx.now
	return tx.create("enrollment_events", ev.ID, []write{
		{grp: "entry", plain: []any{ev.EnrollmentID, ev.At.UnixMilli(), ev.AccountID, string(ev.Status)}},
		{grp: "note", sealed: ev.Note},
	})
}

// EnrollmentEvents is an enrollment's history, oldest first (by time, then
// id, so every machine lists merged entries alike).
func (tx *Tx) EnrollmentEvents(enrollmentID string) ([]practice.EnrollmentEvent, error) {
	var out []practice.EnrollmentEvent
	err := tx.rowsOf(`SELECT id, enrollment_id, at, account_id, status, note FROM enrollment_events
		WHERE deleted = 0 AND enrollment_id = ? ORDER BY at, id`, []any{enrollmentID}, func(rows *sql.Rows) error {
		var ev practice.EnrollmentEvent
		var at int64
		var blob []byte
		if err := rows.Scan(&ev.ID, &ev.EnrollmentID, &at, &ev.AccountID, &ev.Status, &blob); err != nil {
			return err
		}
		ev.At = time.UnixMilli(at).UTC()
		if err := tx.open("enrollment_events", "note", ev.ID, blob, &ev.Note); err != nil {
			return err
		}
		out = append(out, ev)
		return nil
	})
	return out, err
}

// --- settings

const credentialingSettingsID = "practice"

// CredentialingSettings returns the practice's credentialing rules
// (defaults before the first save).
func (tx *Tx) CredentialingSettings() (practice.CredentialingSettings, error) {
	var s practice.CredentialingSettings
	var blob []byte
	err := tx.sql.QueryRow("SELECT info FROM credentialing_settings WHERE id = ? AND deleted = 0", credentialingSettingsID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: credentialing settings: %w", err)
	}
	return s, tx.open("credentialing_settings", "info", credentialingSettingsID, blob, &s)
}

// SaveCredentialingSettings validates and stores the rules. Errors: EInvalid.
func (tx *Tx) SaveCredentialingSettings(s *practice.CredentialingSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	old, err := tx.CredentialingSettings()
	if err != nil {
		return err
	}
	return tx.save("credentialing_settings", credentialingSettingsID, []write{{grp: "info", sealed: *s}}, []write{{grp: "info", sealed: old}})
}

// --- what the network rule and the lapse estimate read

// PrimaryPayer is the payer of a patient's primary policy, "" for a
// patient without one (self-pay). Plain columns only.
func (tx *Tx) PrimaryPayer(patientID string) (string, error) {
	var id string
	err := tx.sql.QueryRow("SELECT payer_id FROM policies WHERE deleted = 0 AND patient_id = ? AND rank = ? ORDER BY id LIMIT 1",
		patientID, string(practice.RankPrimary)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: primary payer: %w", err)
	}
	return id, nil
}

// BookedSession is a scheduled or confirmed session and the payer of its
// patient's primary policy.
type BookedSession struct {
	ClinicianID string
	PayerID     string
	Start       time.Time
}

// BookedSessions lists the scheduled and confirmed sessions starting in
// [from, to) of patients with a primary policy, with its payer (self-pay
// sessions are left out). Plain columns only, read from covering indexes
// (migration 7).
func (tx *Tx) BookedSessions(from, to time.Time) ([]BookedSession, error) {
	var out []BookedSession
	err := tx.rowsOf(`SELECT a.clinician_id, p.payer_id, a.start_at FROM appointments a
		JOIN policies p ON p.patient_id = a.patient_id AND p.rank = ? AND p.deleted = 0
		WHERE a.deleted = 0 AND a.start_at >= ? AND a.start_at < ? AND a.status IN (?, ?)`,
		[]any{string(practice.RankPrimary), from.Unix(), to.Unix(), string(practice.Scheduled), string(practice.Confirmed)},
		func(rows *sql.Rows) error {
			var b BookedSession
			var start int64
			if err := rows.Scan(&b.ClinicianID, &b.PayerID, &start); err != nil {
				return err
			}
			b.Start = time.Unix(start, 0).UTC()
			out = append(out, b)
			return nil
		})
	return out, err
}
