package calendar

import (
	"slices"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Viewer is who looks at the calendar: a clinician sees their own
// appointments in full and a colleague's only as busy time.
type Viewer struct {
	Role        practice.Role
	ClinicianID string // the clinician's own column; "" for other roles
}

// ViewResult is what a calendar view shows.
type ViewResult struct {
	Appointments []practice.Appointment // in full: the viewer may open them
	Busy         []practice.Appointment // colleagues' booked time: clinician, start, end only
	TimeOff      []practice.TimeOff
}

// View loads the appointments starting in [from, to) that f selects, as
// viewer may see them: every role but a clinician sees them all; a
// clinician sees their own, and colleagues' open bookings as busy time with
// no patient, type, place or status, so a colleague's column never looks
// free and never shows whom they see.
func View(tx *store.Tx, from, to time.Time, f store.AppointmentFilter, viewer Viewer) (ViewResult, error) {
	var v ViewResult
	appts, err := tx.AppointmentsBetween(from, to, f)
	if err != nil {
		return v, err
	}
	if v.TimeOff, err = tx.TimeOffBetween(from, to); err != nil {
		return v, err
	}
	for _, a := range appts {
		switch {
		case viewer.Role != practice.RoleClinician || (a.ClinicianID == viewer.ClinicianID && viewer.ClinicianID != ""):
			v.Appointments = append(v.Appointments, a)
		case a.Status.Open():
			v.Busy = append(v.Busy, practice.Appointment{ID: a.ID, ClinicianID: a.ClinicianID, Start: a.Start, End: a.End})
		}
	}
	return v, nil
}

// ShownPatients lists, once each and sorted, the patients whose
// appointments the view shows in full, space-separated: the one audit
// entry of a view names every record it showed.
func (v ViewResult) ShownPatients() string {
	var ids []string
	for _, a := range v.Appointments {
		ids = append(ids, a.PatientID)
	}
	slices.Sort(ids)
	return strings.Join(slices.Compact(ids), " ")
}
