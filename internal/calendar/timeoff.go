package calendar

import "quietdesk/internal/practice"

// TimeOffClashes lists the sessions still to come (scheduled or confirmed) that time off would leave under
// it — the clinician's, or those in the blocked room — one conflict each
// ("Maria G. with Ana Ruiz on Tue, Mar 2, 10:00 AM – 10:53 AM"), in order, so the
// front desk can cancel or move them before or after saving it. Writes
// nothing. Errors: EInvalid.
func TimeOffClashes(tx Store, o practice.TimeOff) ([]practice.Conflict, error) {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	f, err := load(tx)
	if err != nil {
		return nil, err
	}
	overlapping, err := tx.OverlappingAppointments(o.Start, o.End, o.ClinicianID, o.RoomID, "")
	if err != nil {
		return nil, err
	}
	out := []practice.Conflict{}
	for _, a := range overlapping {
		if !movable(a.Status) || (o.ClinicianID != "" && a.ClinicianID != o.ClinicianID) || (o.RoomID != "" && roomOf(a) != o.RoomID) {
			continue
		}
		kind := practice.ConflictClinician
		if o.RoomID != "" {
			kind = practice.ConflictRoom
		}
		out = append(out, practice.Conflict{Kind: kind, Hard: true, OtherID: a.ID, Start: a.Start,
			Message: f.patientName(a.PatientID) + " with " + f.clinicianName(a.ClinicianID) + " " + when(a.Start, a.End, f.zone, f.settings.Clock)})
	}
	return out, nil
}
