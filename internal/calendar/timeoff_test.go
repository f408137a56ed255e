package calendar_test

import (
	"slices"
	"testing"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestTimeOffListsTheSessionsUnderIt: time off over booked sessions names
// each session still to come that it would leave under it, and only those.
func TestTimeOffListsTheSessionsUnderIt(t *testing.T) {
	p := newPractice(t)
	p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")}) // Ana, Room 1
	p.mustBook(calendar.Booking{Appointment: p.session(p.noah, "2027-03-02 14:00")})  // Ana, Room 1
	cancelled := p.mustBook(calendar.Booking{Appointment: p.session(p.zoey, "2027-03-02 16:00")}).Appointments[0]
	err := p.update(func(tx *store.Tx) error {
		_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: cancelled.ID, Change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Moved away"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bens := p.session(p.zoey, "2027-03-02 11:00")
	bens.ClinicianID, bens.RoomID = p.ben.ID, p.room2.ID
	p.mustBook(calendar.Booking{Appointment: bens})

	for _, tc := range []struct {
		name string
		off  practice.TimeOff
		want []string
	}{
		{"AnasAfternoon", practice.TimeOff{ClinicianID: p.ana.ID, Kind: practice.TimeOffAway, Start: p.at("2027-03-02 12:00"), End: p.at("2027-03-02 17:00")},
			[]string{"Noah F. with Ana Ruiz on Tue, Mar 2, 2:00 PM – 2:53 PM"}}, // Zoey's 16:00 was cancelled
		{"AnasDay", practice.TimeOff{ClinicianID: p.ana.ID, Kind: practice.TimeOffAway, Start: p.at("2027-03-02 00:00"), End: p.at("2027-03-03 00:00")},
			[]string{"María G. with Ana Ruiz on Tue, Mar 2, 10:00 AM – 10:53 AM", "Noah F. with Ana Ruiz on Tue, Mar 2, 2:00 PM – 2:53 PM"}},
		{"Room2Blocked", practice.TimeOff{RoomID: p.room2.ID, Kind: practice.TimeOffBlocked, Start: p.at("2027-03-02 08:00"), End: p.at("2027-03-02 18:00")},
			[]string{"Zoey N. with Ben Okafor on Tue, Mar 2, 11:00 AM – 11:53 AM"}},
		{"FreeMorning", practice.TimeOff{ClinicianID: p.ben.ID, Kind: practice.TimeOffAway, Start: p.at("2027-03-02 08:00"), End: p.at("2027-03-02 11:00")},
			[]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []practice.Conflict
			err := p.db.View(t.Context(), func(tx *store.Tx) error {
				var err error
				got, err = calendar.TimeOffClashes(tx, tc.off)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			msgs := []string{}
			for _, c := range got {
				msgs = append(msgs, c.Message)
			}
			if !slices.Equal(msgs, tc.want) {
				t.Fatalf("got %q, want %q", msgs, tc.want)
			}
		})
	}
	t.Run("ErrNoOne", func(t *testing.T) {
		err := p.db.View(t.Context(), func(tx *store.Tx) error {
			_, err := calendar.TimeOffClashes(tx, practice.TimeOff{Kind: practice.TimeOffAway, Start: p.at("2027-03-02 08:00"), End: p.at("2027-03-02 09:00")})
			return err
		})
		assertFieldError(t, err, "clinicianId", "Choose the clinician or room this applies to.")
	})
}
