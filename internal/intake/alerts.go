package intake

import (
	"context"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// SafetyAlerts is intake's alerts.Source: every safety flag not yet
// acknowledged reaches, urgently and until one of them acknowledges it,
// the patient's clinician (the one of the appointment the packet was for)
// and the owner, with the patient's name; and the front desk with only
// the patient's first name and that the clinician must be told now —
// never an answer or a score.
func SafetyAlerts(_ context.Context, tx *store.Tx, _ time.Time) ([]alerts.Alert, error) {
	list, err := tx.SubmissionScores()
	if err != nil {
		return nil, err
	}
	var out []alerts.Alert
	for _, s := range list {
		if !s.Flagged() || s.Review.FlagAckBy != "" {
			continue
		}
		pt, err := tx.Patient(s.PatientID)
		if err != nil {
			return nil, err
		}
		clinicianName := "the clinician"
		to := []alerts.Recipient{{Role: practice.RoleOwner}}
		if s.AppointmentID != "" {
			if a, err := tx.AppointmentSlot(s.AppointmentID); err == nil {
				to = append(to, alerts.Recipient{ClinicianID: a.ClinicianID})
				if c, err := tx.Clinician(a.ClinicianID); err == nil {
					clinicianName = c.FirstName + " " + c.LastName
				}
			}
		}
		name := pt.Identity.FirstName + " " + pt.Identity.LastName
		out = append(out,
			alerts.Alert{Key: "intake/" + s.ID + "/safety", Area: "intake", Severity: alerts.Urgent,
				Kind:  "An intake answer needs a clinician now",
				Title: name + " answered the PHQ-9 safety question above 0: see them before they leave, then acknowledge.",
				Due:   s.SubmittedAt, Table: "intake_submissions", ID: s.ID, PatientID: s.PatientID, To: to},
			alerts.Alert{Key: "intake/" + s.ID + "/tell-clinician", Area: "intake", Severity: alerts.Urgent,
				Kind:  "Tell a clinician now",
				Title: "Tell " + clinicianName + " now that " + pt.Identity.FirstName + " needs them (intake).",
				Due:   s.SubmittedAt, Table: "patients", ID: s.PatientID, PatientID: s.PatientID,
				To: []alerts.Recipient{{Role: practice.RoleFrontDesk}}})
	}
	return out, nil
}
