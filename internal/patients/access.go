package patients

import "quietdesk/internal/practice"

// Access says whose records an actor may open. An actor with every
// caseload opens any record; one limited to their own (a clinician) opens
// only their own patients' (those with an appointment on their schedule,
// the rule the calendar applies to appointments) unless the practice lets
// clinicians see all.
type Access struct {
	all bool
	own map[string]bool
}

// AccessStore is what deciding access reads; the calendar's store has it
// too, so the calendar applies the same rule to a record's appointments.
type AccessStore interface {
	Settings() (practice.Settings, error)
	ClinicianPatients(clinicianID string) (map[string]bool, error)
}

// AccessFor loads the records by may open.
func AccessFor(tx AccessStore, by practice.Actor) (Access, error) {
	if !by.OwnCaseload {
		return Access{all: true}, nil
	}
	settings, err := tx.Settings()
	if err != nil || settings.CliniciansSeeAllPatients {
		return Access{all: true}, err
	}
	own, err := tx.ClinicianPatients(by.ClinicianID)
	if by.ClinicianID == "" {
		own = map[string]bool{} // an account linked to no clinician has no patients
	}
	return Access{own: own}, err
}

// MayOpen reports whether the account may open the patient's record.
func (a Access) MayOpen(patientID string) bool { return a.all || a.own[patientID] }

// Check refuses a record the account may not open. Errors: EForbidden.
func (a Access) Check(patientID string) error {
	if a.MayOpen(patientID) {
		return nil
	}
	return practice.Errorf(practice.EForbidden, "Clinicians open the records of their own patients only (a practice setting).")
}
