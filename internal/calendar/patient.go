package calendar

import (
	"slices"
	"time"

	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Visit is one of a patient's appointments as their record lists it.
type Visit struct {
	ID          string               `json:"id"`
	SeriesID    string               `json:"seriesId"`
	Start       time.Time            `json:"start" ts_type:"string"`
	End         time.Time            `json:"end" ts_type:"string"`
	Status      practice.Status      `json:"status"`
	CancelledBy practice.CancelledBy `json:"cancelledBy"`
	LateCancel  bool                 `json:"lateCancel"`
	FeeCents    int                  `json:"feeCents"`
	Type        string               `json:"type"`
	Clinician   string               `json:"clinician"`
	Place       string               `json:"place"`
}

// PatientVisits is what a patient's record shows of their calendar.
type PatientVisits struct {
	Upcoming []Visit `json:"upcoming"` // soonest first
	Past     []Visit `json:"past"`     // latest first
	// FeeCents adds up the no-show and late-cancellation fees charged.
	// Payments are not recorded yet, so this is what was charged.
	FeeCents int `json:"feeCents"`
}

// PatientAppointments lists a patient's appointments for their record:
// those not yet started are upcoming (cancelled ones too, with their
// status), the rest past. Who may open the record may see them (the
// patients area's rule: a clinician limited to their own caseload sees their
// own patients' only); the read is audited as one of the record.
// Errors: ENotFound, EForbidden.
func (s *Service) PatientAppointments(tx Store, by practice.Actor, patientID string) (PatientVisits, error) {
	none := PatientVisits{Upcoming: []Visit{}, Past: []Visit{}}
	if _, err := tx.Patient(patientID); err != nil {
		return none, err
	}
	access, err := patients.AccessFor(tx, by)
	if err != nil {
		return none, err
	}
	if err := access.Check(patientID); err != nil {
		return none, err
	}
	v, err := patientVisits(tx, patientID)
	if err != nil {
		return none, err
	}
	return v, tx.Audit(by.AccountID, "patient.appointments", "patients", patientID)
}

func patientVisits(tx Store, patientID string) (PatientVisits, error) {
	out := PatientVisits{Upcoming: []Visit{}, Past: []Visit{}}
	f, err := load(tx)
	if err != nil {
		return out, err
	}
	appts, err := tx.AppointmentsBetween(time.Unix(0, 0), time.Unix(1<<40, 0), store.AppointmentFilter{PatientID: patientID})
	if err != nil {
		return out, err
	}
	now := tx.Now()
	for _, a := range appts {
		v := Visit{ID: a.ID, SeriesID: a.SeriesID, Start: a.Start, End: a.End, Status: a.Status, CancelledBy: a.CancelledBy,
			LateCancel: a.LateCancel, FeeCents: a.FeeCents, Type: f.types[a.TypeID].Name, Clinician: f.clinicianName(a.ClinicianID), Place: f.place(a)}
		out.FeeCents += a.FeeCents
		if a.Start.After(now) {
			out.Upcoming = append(out.Upcoming, v)
		} else {
			out.Past = append(out.Past, v)
		}
	}
	slices.Reverse(out.Past)
	return out, nil
}
