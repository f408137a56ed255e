package calendar

import (
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Store is every store method the calendar uses; *store.Tx satisfies it.
// The calendar reads practice reference data (settings, clinicians,
// rooms, locations) and a patient's name for messages, and writes only its
// own tables: appointments, series, and the conflicts it raises.
type Store interface {
	Now() time.Time
	Audit(accountID, action, table, recordID string) error

	Settings() (practice.Settings, error)
	Clinicians() ([]practice.Clinician, error)
	Clinician(id string) (practice.Clinician, error)
	Locations() ([]practice.Location, error)
	Rooms() ([]practice.Room, error)
	Patient(id string) (practice.Patient, error)
	ClinicianPatients(clinicianID string) (map[string]bool, error)

	AppointmentTypes() ([]practice.AppointmentType, error)
	WorkingHours() ([]practice.WorkingHours, error)
	TimeOffBetween(from, to time.Time) ([]practice.TimeOff, error)
	Waitlist(status practice.WaitlistStatus) ([]practice.WaitlistEntry, error)
	WaitlistEntry(id string) (practice.WaitlistEntry, error)

	Appointment(id string) (practice.Appointment, error)
	AppointmentSlot(id string) (practice.Appointment, error)
	AppointmentsBetween(from, to time.Time, f store.AppointmentFilter) ([]practice.Appointment, error)
	OverlappingAppointments(from, to time.Time, clinicianID, roomID, patientID string) ([]practice.Appointment, error)
	SaveAppointment(a *practice.Appointment) error
	DeleteAppointment(id string) error
	AddOccurrence(a *practice.Appointment) (bool, error)

	Series(id string) (practice.Series, error)
	SeriesAppointments(seriesID string, from time.Time) ([]practice.Appointment, error)
	SeriesToExtend(until time.Time) ([]practice.Series, error)
	SaveSeries(s *practice.Series) error

	RecordConflict(kind, table string, rows []string, detail string) (string, error)
	ResolveConflict(id, accountID, choice string) error
}

var _ Store = (*store.Tx)(nil)
