package calendar

import (
	"io"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Feed writes a clinician's iCalendar feed for [from, to): open sessions
// only, each named "Appointment" with its place and never its patient.
func Feed(tx *store.Tx, w io.Writer, clinicianID string, from, to time.Time) error {
	f, err := load(tx)
	if err != nil {
		return err
	}
	c, ok := f.clinicians[clinicianID]
	if !ok {
		return practice.Errorf(practice.ENotFound, "That clinician does not exist.")
	}
	appts, err := tx.AppointmentsBetween(from, to, store.AppointmentFilter{ClinicianIDs: []string{clinicianID}})
	if err != nil {
		return err
	}
	var events []FeedEvent
	for _, a := range appts {
		if a.Status.Open() {
			events = append(events, FeedEvent{ID: a.ID, Start: a.Start, End: a.End, Place: f.place(a)})
		}
	}
	return WriteFeed(w, c.FirstName+" "+c.LastName+" — Quietdesk", events, tx.Now())
}
