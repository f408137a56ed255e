package credentialing

import (
	"time"

	"quietdesk/internal/attachments"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is every store method credentialing uses; *store.Tx satisfies it.
// It reads practice reference data and the patient's primary payer, and
// writes only credentialing's own tables.
type Store interface {
	attachments.Store
	Now() time.Time
	Audit(accountID, action, table, recordID string) error

	Settings() (practice.Settings, error)
	Clinicians() ([]practice.Clinician, error)
	Clinician(id string) (practice.Clinician, error)
	Payers() ([]practice.Payer, error)
	AccountNames() (map[string]string, error)
	PrimaryPayer(patientID string) (string, error)
	BookedSessions(from, to time.Time) ([]store.BookedSession, error)

	Credentials(clinicianID string) ([]practice.Credential, error)
	Credential(id string) (practice.Credential, error)
	SaveCredential(c *practice.Credential) error
	DeleteCredential(id string) error
	Enrollments(clinicianID string) ([]practice.Enrollment, error)
	Enrollment(id string) (practice.Enrollment, error)
	SaveEnrollment(e *practice.Enrollment) error
	AddEnrollmentEvent(ev *practice.EnrollmentEvent) error
	EnrollmentEvents(enrollmentID string) ([]practice.EnrollmentEvent, error)
	CredentialingSettings() (practice.CredentialingSettings, error)
	SaveCredentialingSettings(s *practice.CredentialingSettings) error
}

var _ Store = (*store.Tx)(nil)
