package billing

import (
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is every store method the billing area uses; *store.Tx satisfies
// it. It reads the calendar's sessions, the patients' records and
// policies, and asks the authorizations and credentialing areas through
// their services (whose stores are part of this one); it writes only its
// own tables.
type Store interface {
	patients.Store
	authorizations.Store
	credentialing.Store

	BillingSettings() (practice.BillingSettings, error)
	SaveBillingSettings(s *practice.BillingSettings) error
	AllPayerBilling() (map[string]practice.PayerBilling, error)
	PayerBilling(payerID string) (practice.PayerBilling, error)
	SavePayerBilling(b *practice.PayerBilling) error
	Diagnoses(patientID string) (practice.Diagnoses, error)
	SaveDiagnoses(d *practice.Diagnoses) error

	ClaimHeads(f store.ClaimFilter) ([]practice.Claim, error)
	Claims(f store.ClaimFilter) ([]practice.Claim, error)
	Claim(id string) (practice.Claim, error)
	BilledAppointments() (map[string]string, error)
	ClaimSpans(patientIDs []string) ([]store.ClaimSpan, error)
	AppointmentSlots(ids []string) ([]practice.Appointment, error)
	PatientsByID(ids []string) (map[string]practice.Patient, error)
	PoliciesOf(patientIDs []string) (map[string][]practice.InsurancePolicy, error)
	ClaimNumberPrefix() string
	CreateClaim(c *practice.Claim, prefix string) error
	SaveClaimContent(id string, content practice.ClaimContent) error
	SetClaimStatus(id string, s practice.ClaimStatus) error
	AddClaimSubmission(s *store.ClaimSubmission) error
	ClaimSubmissions(claimID string) ([]store.ClaimSubmission, error)
	LatestSubmissions(claimIDs []string) (map[string]store.ClaimSubmission, error)
	AddEntry(e *practice.Entry) error
	Entries(f store.EntryFilter) ([]practice.Entry, error)
	LedgerSums(today, firstMonth string, edges []int) (store.LedgerSums, error)
	ClaimsOwed(claimIDs []string) (map[string]int, error)
	UnbilledCompleted(bounds []time.Time) ([]int, error)
}

var _ Store = (*store.Tx)(nil)

// storeAll selects every claim.
var storeAll = store.ClaimFilter{}
