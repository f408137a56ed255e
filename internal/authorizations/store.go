// Package authorizations is the area of insurers' prior authorizations,
// employers' EAP benefits and managed-care visit limits: several per
// patient, their usage derived from the calendar (usage.go), the booking
// check that warns before a booking runs past one (check.go), the alerts
// that tell billers, managers and clinicians what needs action
// (alerts.go), and the EAP utilization report (report.go).
package authorizations

import (
	"time"

	"quietdesk/internal/attachments"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is every store method the area uses; *store.Tx satisfies it. It
// reads the calendar's appointments and the patients' policies (whose
// records a clinician may open is the patients area's rule, so its store
// is part of this one) and writes only its own tables.
type Store interface {
	patients.Store
	attachments.Store

	Payers() ([]practice.Payer, error)
	Clinicians() ([]practice.Clinician, error)
	AppointmentTypes() ([]practice.AppointmentType, error)
	PatientIdentities(ids []string) (map[string]practice.PatientIdentity, error)
	Appointment(id string) (practice.Appointment, error)
	AppointmentSlot(id string) (practice.Appointment, error)
	AppointmentsBetween(from, to time.Time, f store.AppointmentFilter) ([]practice.Appointment, error)
	PatientsAppointmentsIn(ranges []store.PatientRange) ([]practice.Appointment, error)
	PatientsAppointmentCounts(ranges []store.PatientRange) ([]store.BookedCount, error)
	PatientsBookedIn(ranges []store.PatientRange) (map[string]bool, error)

	Authorizations(patientID string) ([]practice.Authorization, error)
	AllAuthorizations() ([]practice.Authorization, error)
	AllAuthorizationTerms() ([]practice.Authorization, error)
	Authorization(id string) (practice.Authorization, error)
	SaveAuthorization(a *practice.Authorization) error
	PayerAuthRules(payerID string) (practice.PayerAuthRules, error)
	AllPayerAuthRules() (map[string]practice.PayerAuthRules, error)
	SavePayerAuthRules(r *practice.PayerAuthRules) error
	AuthorizationChoices(patientID string) (map[string]string, error)
	ChooseAuthorization(appointmentID, authorizationID string) error
}

var _ Store = (*store.Tx)(nil)
