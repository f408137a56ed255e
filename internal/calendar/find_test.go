package calendar_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestFirstAvailableRespectsTheBooking: "find first available" offers only
// what could be booked as asked — the chosen clinician, one who may provide
// the type, telehealth or in person, every session of a series, and the
// waitlist person's preferences. The practice (newPractice) is open
// Monday–Friday 09:00–17:00 in Chicago; it is Monday 1 March 2027, 08:00.
// Cole, a psychiatrist, works the same hours.
func TestFirstAvailableRespectsTheBooking(t *testing.T) {
	p := newPractice(t)
	var cole practice.Clinician
	var meds practice.AppointmentType
	var wait practice.WaitlistEntry
	err := p.update(func(tx *store.Tx) error {
		cole = practice.Clinician{FirstName: "Cole", LastName: "Adeyemi", Credentials: "MD", Prescriber: true, Active: true}
		if err := tx.SaveClinician(&cole); err != nil {
			return err
		}
		var week []practice.WorkingHours
		for d := 1; d <= 5; d++ {
			week = append(week, practice.WorkingHours{LocationID: p.office.ID, Weekday: d, Start: "09:00", End: "17:00"})
		}
		if err := tx.SetWorkingHours(cole.ID, week); err != nil {
			return err
		}
		p.therapy.ProvidedBy = practice.TherapistOnly
		if err := tx.SaveAppointmentType(&p.therapy); err != nil {
			return err
		}
		meds = practice.AppointmentType{Name: "Medication management", DurationMin: 25, TelehealthAllowed: true, Active: true, ProvidedBy: practice.PrescriberOnly}
		if err := tx.SaveAppointmentType(&meds); err != nil {
			return err
		}
		// Wants Ben, on Wednesdays, starting 14:00–15:00, by video only.
		wait = practice.WaitlistEntry{Name: "Prospective", Phone: "(555) 201-0100", ClinicianIDs: []string{p.ben.ID},
			Weekdays: []int{3}, EarliestTime: "14:00", LatestTime: "15:00", Telehealth: "only", Priority: 2}
		return tx.SaveWaitlistEntry(&wait)
	})
	if err != nil {
		t.Fatal(err)
	}
	// Next Monday Ana sees Maria at 09:00 in Room 1 and Ben sees Noah at
	// 10:00 in Room 1: this Monday is free, but a weekly series is not.
	p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-08 09:00")})
	benAt10 := p.session(p.noah, "2027-03-08 10:00")
	benAt10.ClinicianID = p.ben.ID
	p.mustBook(calendar.Booking{Appointment: benAt10})

	inPerson := func(typeID string, minutes int, clinicians ...string) calendar.SlotQuery {
		return calendar.SlotQuery{ClinicianIDs: clinicians, TypeID: typeID, LocationID: p.office.ID, DurationMin: minutes}
	}
	weekly := func(q calendar.SlotQuery, count int) calendar.SlotQuery {
		q.Recurrence = &practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Count: count}
		return q
	}
	type want struct {
		clinician  practice.Clinician
		start      string // Chicago wall clock
		room       practice.Room
		telehealth bool
	}
	for _, tc := range []struct {
		name string
		q    calendar.SlotQuery
		want []want // each clinician's first opening, in order
	}{
		{"ChosenClinicianOnly", inPerson("", 53, p.ben.ID), []want{{clinician: p.ben, start: "2027-03-01 09:00", room: p.room1}}},
		{"TherapyIsNotOfferedWithAPsychiatrist", inPerson(p.therapy.ID, 53), []want{
			{clinician: p.ana, start: "2027-03-01 09:00", room: p.room1}, {clinician: p.ben, start: "2027-03-01 09:00", room: p.room1}}},
		{"MedicationOnlyWithAPrescriber", inPerson(meds.ID, 25), []want{{clinician: cole, start: "2027-03-01 09:00", room: p.room1}}},
		{"AnyTypeAnyClinician", inPerson(p.intake.ID, 60), []want{
			{clinician: p.ana, start: "2027-03-01 09:00", room: p.room1}, {clinician: p.ben, start: "2027-03-01 09:00", room: p.room1},
			{clinician: cole, start: "2027-03-01 09:00", room: p.room1}}},
		{"OneOffIgnoresNextWeek", inPerson(p.therapy.ID, 53, p.ana.ID), []want{{clinician: p.ana, start: "2027-03-01 09:00", room: p.room1}}},
		// 09:00–09:45 clash with Ana's 09:00–09:53 next Monday; at 10:00
		// Room 1 is Ben's next Monday, so the series takes Room 2.
		{"WeeklySeriesClearOfLaterSessions", weekly(inPerson(p.therapy.ID, 53, p.ana.ID), 4), []want{{clinician: p.ana, start: "2027-03-01 10:00", room: p.room2}}},
		{"OpenEndedSeries", weekly(inPerson(p.therapy.ID, 53, p.ana.ID), 0), []want{{clinician: p.ana, start: "2027-03-01 10:00", room: p.room2}}},
		{"SeriesOnlyOnItsDays", func() calendar.SlotQuery {
			q := weekly(inPerson(p.therapy.ID, 53, p.ana.ID), 4)
			q.Recurrence.Weekdays = []int{4} // Thursdays
			return q
		}(), []want{{clinician: p.ana, start: "2027-03-04 09:00", room: p.room1}}},
		{"WaitlistPreferences", calendar.SlotQuery{WaitlistEntryID: wait.ID, TypeID: p.therapy.ID, DurationMin: 53},
			[]want{{clinician: p.ben, start: "2027-03-03 14:00", telehealth: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slots := p.firstAvailable(tc.q)
			if len(slots) != len(tc.want) {
				t.Fatalf("got %d openings %+v, want %d", len(slots), slots, len(tc.want))
			}
			byClinician := map[string]calendar.Slot{}
			for _, s := range slots {
				byClinician[s.ClinicianID] = s
			}
			for _, w := range tc.want {
				s, ok := byClinician[w.clinician.ID]
				start := p.at(w.start)
				switch {
				case !ok:
					t.Errorf("no opening for %s", w.clinician.FirstName)
				case !s.Start.Equal(start) || !s.End.Equal(start.Add(time.Duration(tc.q.DurationMin)*time.Minute)):
					t.Errorf("%s: opening %v, want %v", w.clinician.FirstName, s.Start.In(p.zone), start)
				case s.RoomID != w.room.ID:
					t.Errorf("%s: room %q, want %q", w.clinician.FirstName, s.RoomID, w.room.Name)
				case w.telehealth && s.LocationID != "":
					t.Errorf("%s: telehealth opening at location %q", w.clinician.FirstName, s.LocationID)
				}
			}
		})
	}

	for _, tc := range []struct {
		name, field string
		q           calendar.SlotQuery
	}{
		{"ErrTypeInPersonOnly", "telehealth", calendar.SlotQuery{TypeID: p.intake.ID, Telehealth: true, DurationMin: 60}},
		{"ErrUnknownType", "typeId", calendar.SlotQuery{TypeID: "nope", LocationID: p.office.ID, DurationMin: 60}},
		{"ErrSeriesRule", "recurrence.interval", weekly(inPerson(p.therapy.ID, 53), 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "ErrSeriesRule" {
				tc.q.Recurrence.Interval = 0
			}
			err := p.update(func(tx *store.Tx) error { _, err := calendar.FirstAvailable(tx, tc.q); return err })
			var perr *practice.Error
			if !errors.As(err, &perr) || perr.Code != practice.EInvalid || perr.Fields[tc.field] == "" {
				t.Fatalf("got %v, want EInvalid on %s", err, tc.field)
			}
		})
	}
}

func (p *practiceFixture) firstAvailable(q calendar.SlotQuery) []calendar.Slot {
	p.t.Helper()
	var out []calendar.Slot
	err := p.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = calendar.FirstAvailable(tx, q)
		return err
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return out
}
