// Package billing is the billing area: the practice as billing provider
// and the payers' claim rules (setup), the patients' diagnoses, claims made
// in batches from completed sessions (claims.go), the scrubber that checks
// their values before export (scrub.go), the 837P, CSV and PDF exports
// (export.go), and the append-only ledger with the balances derived from
// it (ledger.go), summed up by the dashboards (dashboards.go).
package billing

import (
	"sort"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
)

// Service is the billing area's workflows. It holds no state but the
// services it asks: each call does its whole job in the caller's
// transaction.
type Service struct {
	auth  *authorizations.Service
	rules Rules
}

// NewService returns the billing service, asking auth which authorization
// covers a session and using rules for coding, code checks and exports.
func NewService(auth *authorizations.Service, rules Rules) *Service {
	return &Service{auth: auth, rules: rules}
}

// checkAccess refuses a patient whose record by may not open (a clinician
// reaches their own patients only). Errors: ENotFound, EForbidden.
func checkAccess(tx Store, by practice.Actor, patientID string) error {
	if _, err := tx.Patient(patientID); err != nil {
		return err
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return err
	}
	return access.Check(patientID)
}

// --- setup

// PayerSetup is one payer with its claim rules and whether it requires an
// authorization (the authorizations area's rule, shown here beside them).
type PayerSetup struct {
	Payer        practice.Payer        `json:"payer"`
	Billing      practice.PayerBilling `json:"billing"`
	RequiresAuth bool                  `json:"requiresAuth"`
}

// Setup is everything billing needs configured: the practice as billing
// provider (its NPI, tax ID and address are the practice settings'), each
// payer's rules and the clinicians as rendering providers.
type Setup struct {
	Practice   practice.Settings        `json:"practice"`
	Billing    practice.BillingSettings `json:"billing"`
	Payers     []PayerSetup             `json:"payers"`
	Clinicians []practice.Clinician     `json:"clinicians"`
}

// Setup returns the billing setup.
func (s *Service) Setup(tx Store) (Setup, error) {
	var out Setup
	var err error
	if out.Practice, err = tx.Settings(); err != nil {
		return out, err
	}
	if out.Billing, err = tx.BillingSettings(); err != nil {
		return out, err
	}
	payers, err := tx.Payers()
	if err != nil {
		return out, err
	}
	rules, err := tx.AllPayerBilling()
	if err != nil {
		return out, err
	}
	auth, err := tx.AllPayerAuthRules()
	if err != nil {
		return out, err
	}
	out.Payers = []PayerSetup{}
	for _, p := range payers {
		out.Payers = append(out.Payers, PayerSetup{Payer: p, Billing: rules[p.ID], RequiresAuth: auth[p.ID].RequiresAuth})
	}
	sort.Slice(out.Payers, func(i, j int) bool { return out.Payers[i].Payer.Name < out.Payers[j].Payer.Name })
	if out.Clinicians, err = tx.Clinicians(); err != nil {
		return out, err
	}
	return out, nil
}

// SaveSettings stores the practice's billing setup and fee schedule,
// audited. Errors: EInvalid.
func (s *Service) SaveSettings(tx Store, by practice.Actor, b practice.BillingSettings) (practice.BillingSettings, error) {
	if err := tx.SaveBillingSettings(&b); err != nil {
		return b, err
	}
	return b, tx.Audit(by.AccountID, "billing.settings", "billing_settings", "practice")
}

// SavePayer stores a payer's claim rules, audited. Errors: EInvalid.
func (s *Service) SavePayer(tx Store, by practice.Actor, b practice.PayerBilling) (practice.PayerBilling, error) {
	if err := tx.SavePayerBilling(&b); err != nil {
		return b, err
	}
	return b, tx.Audit(by.AccountID, "payer.billing", "payers", b.PayerID)
}

// --- diagnoses

// DiagnosesView is a patient's diagnoses with what is worth a second look:
// a well-formed code that is not on the common list is kept, with a warning.
type DiagnosesView struct {
	Diagnoses practice.Diagnoses `json:"diagnoses"`
	Warnings  []string           `json:"warnings"`
}

// Diagnoses returns a patient's diagnoses, audited as a view of the
// patient's record. Errors: EForbidden, ENotFound.
func (s *Service) Diagnoses(tx Store, by practice.Actor, patientID string) (DiagnosesView, error) {
	if err := checkAccess(tx, by, patientID); err != nil {
		return DiagnosesView{}, err
	}
	d, err := tx.Diagnoses(patientID)
	if err != nil {
		return DiagnosesView{}, err
	}
	return s.diagnosesView(d), tx.Audit(by.AccountID, "diagnosis.view", "patients", patientID)
}

// SaveDiagnoses replaces a patient's ordered diagnoses (at most 12, each a
// well-formed ICD-10-CM code), audited; nothing is written when anything
// is wrong. Errors: EInvalid, EForbidden, ENotFound.
func (s *Service) SaveDiagnoses(tx Store, by practice.Actor, d practice.Diagnoses) (DiagnosesView, error) {
	d.Normalize()
	for i, x := range d.List {
		if r, err := s.rules.ICD10Check(x.Code); err == nil {
			d.List[i].Code = r.Code
			if x.Description == "" {
				d.List[i].Description = r.Description
			}
		}
	}
	check := func(code string) error { _, err := s.rules.ICD10Check(code); return err }
	if err := d.Validate(check); err != nil {
		return DiagnosesView{}, err
	}
	if err := checkAccess(tx, by, d.PatientID); err != nil {
		return DiagnosesView{}, err
	}
	if err := tx.SaveDiagnoses(&d); err != nil {
		return DiagnosesView{}, err
	}
	if err := tx.Audit(by.AccountID, "diagnosis.save", "patients", d.PatientID); err != nil {
		return DiagnosesView{}, err
	}
	return s.diagnosesView(d), nil
}

func (s *Service) diagnosesView(d practice.Diagnoses) DiagnosesView {
	v := DiagnosesView{Diagnoses: d, Warnings: []string{}}
	for _, x := range d.List {
		if r, err := s.rules.ICD10Check(x.Code); err == nil && r.Warning != "" {
			v.Warnings = append(v.Warnings, r.Warning)
		}
	}
	return v
}

// CommonDiagnoses is the list of common mental-health codes to pick from.
func (s *Service) CommonDiagnoses() []practice.Diagnosis { return s.rules.ICD10Common() }

// localDay is the practice's date of t.
func localDay(zone *time.Location, t time.Time) string { return t.In(zone).Format(time.DateOnly) }
