package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"quietdesk/internal/practice"
)

// authNumbers is an authorization's sealed numbers group: each identifies
// the patient at the payer.
type authNumbers struct {
	Number        string `json:"number"`
	QuotedNumber  string `json:"quotedNumber"`
	Employer      string `json:"employer"`
	EAPCaseNumber string `json:"eapCaseNumber"`
	EAPMemberID   string `json:"eapMemberId"`
	BenefitYear   string `json:"benefitYear"`
}

type authContact struct {
	PayerContact  string `json:"payerContact"`
	CallReference string `json:"callReference"`
}

type authNotes struct {
	Notes string `json:"notes"`
}

func authorizationWrites(a *practice.Authorization) []write {
	codes, _ := json.Marshal(nonNil(a.ServiceCodes)) // a []string always marshals
	return []write{
		{grp: "link", plain: []any{a.PatientID, a.PayerID, nullable(a.RenewsID)}},
		{grp: "terms", plain: []any{string(a.Kind), string(a.Status), string(a.Unit), a.Requested, a.Authorized, a.Start, a.End,
			a.RequestedOn, string(codes), a.WarnRemaining, a.WarnDays, string(a.CountMissed)}},
		{grp: "numbers", sealed: authNumbers{a.Number, a.QuotedNumber, a.Employer, a.EAPCaseNumber, a.EAPMemberID, a.BenefitYear}},
		{grp: "contact", sealed: authContact{a.PayerContact, a.CallReference}},
		{grp: "notes", sealed: authNotes{a.Notes}},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Authorizations lists a patient's authorizations, by start date.
func (tx *Tx) Authorizations(patientID string) ([]practice.Authorization, error) {
	return tx.authorizations("AND patient_id = ?", patientID)
}

// AllAuthorizations lists every authorization of the practice, by patient
// and start date: the alerts and the practice-wide screens.
func (tx *Tx) AllAuthorizations() ([]practice.Authorization, error) { return tx.authorizations("") }

// AllAuthorizationTerms is AllAuthorizations without the sealed groups:
// the link and the terms (patient, payer, renewal, status, counts, dates,
// codes, thresholds), with the numbers, the payer contact and the notes
// left empty. The alerts read every authorization of the practice and
// none of what is sealed; opening three groups of each was most of the
// cost of reading them.
func (tx *Tx) AllAuthorizationTerms() ([]practice.Authorization, error) {
	return tx.authorizationsWith(false, "")
}

// Authorization returns one authorization. Errors: ENotFound.
func (tx *Tx) Authorization(id string) (practice.Authorization, error) {
	return one(tx.authorizations("AND id = ?", id))
}

func (tx *Tx) authorizations(where string, args ...any) ([]practice.Authorization, error) {
	return tx.authorizationsWith(true, where, args...)
}

// authorizationsWith lists authorizations, their sealed groups opened when
// sealed is set.
func (tx *Tx) authorizationsWith(sealed bool, where string, args ...any) ([]practice.Authorization, error) {
	var out []practice.Authorization
	groups := "numbers, contact, notes"
	if !sealed {
		groups = "NULL, NULL, NULL"
	}
	err := tx.rowsOf(`SELECT id, patient_id, payer_id, COALESCE(renews_id, ''), kind, status, unit, requested, authorized,
		start_on, end_on, requested_on, codes, warn_remaining, warn_days, count_missed, `+groups+`
		FROM authorizations WHERE deleted = 0 `+where+` ORDER BY patient_id, start_on, id`, args, func(rows *sql.Rows) error {
		var a practice.Authorization
		var codes string
		var numbers, contact, notes []byte
		if err := rows.Scan(&a.ID, &a.PatientID, &a.PayerID, &a.RenewsID, &a.Kind, &a.Status, &a.Unit, &a.Requested, &a.Authorized,
			&a.Start, &a.End, &a.RequestedOn, &codes, &a.WarnRemaining, &a.WarnDays, &a.CountMissed, &numbers, &contact, &notes); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(codes), &a.ServiceCodes); err != nil {
			return fmt.Errorf("store: authorization codes: %w", err)
		}
		if !sealed {
			out = append(out, a)
			return nil
		}
		var n authNumbers
		var c authContact
		var t authNotes
		for _, g := range []struct {
			grp  string
			blob []byte
			dst  any
		}{{"numbers", numbers, &n}, {"contact", contact, &c}, {"notes", notes, &t}} {
			if err := tx.open("authorizations", g.grp, a.ID, g.blob, g.dst); err != nil {
				return err
			}
		}
		a.Number, a.QuotedNumber, a.Employer, a.EAPCaseNumber, a.EAPMemberID, a.BenefitYear = n.Number, n.QuotedNumber, n.Employer, n.EAPCaseNumber, n.EAPMemberID, n.BenefitYear
		a.PayerContact, a.CallReference, a.Notes = c.PayerContact, c.CallReference, t.Notes
		out = append(out, a)
		return nil
	})
	return out, err
}

// SaveAuthorization creates (empty ID) or updates an authorization of an
// existing patient with an existing payer, writing only the groups that
// changed. The authorizations service checks the rules that need other
// records (a policy with the payer). Errors: EInvalid, ENotFound.
func (tx *Tx) SaveAuthorization(a *practice.Authorization) error {
	a.Normalize()
	if err := a.Validate(); err != nil {
		return err
	}
	if _, err := tx.Patient(a.PatientID); err != nil {
		return err
	}
	if _, err := one(tx.payers("AND id = ?", a.PayerID)); err != nil {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	return upsert(tx, "authorizations", &a.ID, a, authorizationWrites, func() (practice.Authorization, error) {
		return one(tx.authorizations("AND id = ? AND patient_id = ?", a.ID, a.PatientID))
	})
}

// PayerAuthRules returns a payer's authorization rules, the defaults when
// none were saved.
func (tx *Tx) PayerAuthRules(payerID string) (practice.PayerAuthRules, error) {
	all, err := tx.AllPayerAuthRules()
	if err != nil {
		return practice.PayerAuthRules{}, err
	}
	if r, ok := all[payerID]; ok {
		return r, nil
	}
	return practice.DefaultPayerAuthRules(payerID), nil
}

// AllPayerAuthRules returns the saved rules of every payer, by payer id.
func (tx *Tx) AllPayerAuthRules() (map[string]practice.PayerAuthRules, error) {
	out := map[string]practice.PayerAuthRules{}
	err := tx.rowsOf("SELECT id, requires_auth, enforcement, count_missed, count_upcoming FROM payer_auth_rules WHERE deleted = 0", nil,
		func(rows *sql.Rows) error {
			var r practice.PayerAuthRules
			if err := rows.Scan(&r.PayerID, &r.RequiresAuth, &r.Enforcement, &r.CountMissed, &r.CountUpcoming); err != nil {
				return err
			}
			out[r.PayerID] = r
			return nil
		})
	return out, err
}

// SavePayerAuthRules stores an existing payer's authorization rules.
// Errors: EInvalid.
func (tx *Tx) SavePayerAuthRules(r *practice.PayerAuthRules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := one(tx.payers("AND id = ?", r.PayerID)); err != nil {
		return practice.FieldProblem("payerId", "Choose an existing payer.")
	}
	w := []write{{grp: "rules", plain: []any{boolInt(r.RequiresAuth), string(r.Enforcement), boolInt(r.CountMissed), boolInt(r.CountUpcoming)}}}
	return tx.putOrCreate("payer_auth_rules", r.PayerID, w)
}

// AuthorizationChoices returns, by appointment id, the authorization a
// person chose for the appointments of patientID ("" for every patient).
//
// For one patient the join starts from their appointments (the patient
// index); for every patient it starts from the choices, a few rows, and
// looks each appointment up by id: CROSS JOIN keeps SQLite from scanning
// the whole calendar for them (6 s against 2 ms on the large demo).
func (tx *Tx) AuthorizationChoices(patientID string) (map[string]string, error) {
	q := `SELECT c.id, c.authorization_id FROM authorization_choices c CROSS JOIN appointments a ON a.id = c.id
		WHERE c.deleted = 0 AND a.deleted = 0 AND c.authorization_id <> ''`
	var args []any
	if patientID != "" {
		q = `SELECT c.id, c.authorization_id FROM appointments a JOIN authorization_choices c ON c.id = a.id
		WHERE c.deleted = 0 AND a.deleted = 0 AND c.authorization_id <> '' AND a.patient_id = ?`
		args = append(args, patientID)
	}
	out := map[string]string{}
	err := tx.rowsOf(q, args, func(rows *sql.Rows) error {
		var appt, auth string
		if err := rows.Scan(&appt, &auth); err != nil {
			return err
		}
		out[appt] = auth
		return nil
	})
	return out, err
}

// ChooseAuthorization records which authorization an appointment uses
// ("" returns the choice to the rules). The service checks that it applies.
func (tx *Tx) ChooseAuthorization(appointmentID, authorizationID string) error {
	return tx.putOrCreate("authorization_choices", appointmentID, []write{{grp: "choice", plain: []any{authorizationID}}})
}

// putOrCreate writes the groups of a row whose id is fixed by what it
// describes (a payer's rules, an appointment's choice): created the first
// time, its changed groups written after.
func (tx *Tx) putOrCreate(table, id string, writes []write) error {
	var n int
	err := tx.sql.QueryRow("SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", table, err)
	}
	if n == 0 {
		return tx.create(table, id, writes)
	}
	return tx.save(table, id, writes, nil)
}
