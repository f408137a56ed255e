package practice

// Actor is the account an area's service acts for: its audit entries name
// AccountID, and with OwnCaseload set (a clinician, by the permission
// table in app/) it reaches only its own clinician's schedule.
type Actor struct {
	AccountID   string
	ClinicianID string // the clinician this account is, if any
	OwnCaseload bool
}

// Sees reports whether the actor may see clinicianID's schedule.
func (a Actor) Sees(clinicianID string) bool { return !a.OwnCaseload || clinicianID == a.ClinicianID }
