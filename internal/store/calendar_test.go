package store_test

import (
	"cmp"
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// calendarFixture is a practice with one of everything an appointment refers to.
type calendarFixture struct {
	db      *store.DB
	dir     string
	patient string
	calendarRefs
}

func newCalendarFixture(t *testing.T) calendarFixture {
	t.Helper()
	db, dir, _ := newPractice(t)
	f := calendarFixture{db: db, dir: dir}
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		p := samplePatient()
		if err := tx.CreatePatient(&p); err != nil {
			return err
		}
		f.patient = p.ID
		f.calendarRefs, err = saveCalendarRefs(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// saveCalendarRefs saves the clinician, appointment type, location and
// room a calendar test books with.
func saveCalendarRefs(tx *store.Tx) (calendarRefs, error) {
	cl := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
	if err := tx.SaveClinician(&cl); err != nil {
		return calendarRefs{}, err
	}
	typ := practice.AppointmentType{Name: "Individual 53", DurationMin: 53, ServiceCode: "90837", Active: true}
	if err := tx.SaveAppointmentType(&typ); err != nil {
		return calendarRefs{}, err
	}
	loc := practice.Location{Name: "Main office", Active: true}
	if err := tx.SaveLocation(&loc); err != nil {
		return calendarRefs{}, err
	}
	room := practice.Room{Name: "Room 1", LocationID: loc.ID, Active: true}
	if err := tx.SaveRoom(&room); err != nil {
		return calendarRefs{}, err
	}
	return calendarRefs{cl.ID, typ.ID, loc.ID, room.ID}, nil
}

func (f calendarFixture) appointment(start time.Time) practice.Appointment {
	return practice.Appointment{PatientID: f.patient, ClinicianID: f.clinician, TypeID: f.typ, LocationID: f.location,
		RoomID: f.room, Start: start, End: start.Add(53 * time.Minute), Status: practice.Scheduled}
}

func TestAppointmentRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	start := time.Date(2027, 3, 2, 15, 0, 0, 0, time.UTC)
	a := f.appointment(start)
	a.Notes, a.VideoLink = "Prefers the side door", "https://video.example.com/ana"
	if err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveAppointment(&a) }); err != nil {
		t.Fatal(err)
	}
	var got practice.Appointment
	var listed []practice.Appointment
	err := f.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if got, err = tx.Appointment(a.ID); err != nil {
			return err
		}
		listed, err = tx.AppointmentsBetween(start.Add(-time.Hour), start.Add(time.Hour), store.AppointmentFilter{ClinicianIDs: []string{f.clinician}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != a {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, a)
	}
	if len(listed) != 1 || listed[0].ID != a.ID || listed[0].Notes != "" || !listed[0].Start.Equal(start) {
		t.Fatalf("listed %+v: want the appointment without its sealed details", listed)
	}

	t.Run("OnlyChangedGroupsLogged", func(t *testing.T) {
		before := countChanges(t, f.dir)
		a.Status = practice.Confirmed
		if err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveAppointment(&a) }); err != nil {
			t.Fatal(err)
		}
		if n := countChanges(t, f.dir) - before; n != 1 {
			t.Fatalf("confirming wrote %d change records, want 1 (the state group)", n)
		}
	})

	t.Run("ErrRoomAtOtherLocation", func(t *testing.T) {
		b := f.appointment(start.Add(24 * time.Hour))
		var other practice.Location
		err := f.db.Update(ctx, func(tx *store.Tx) error {
			other = practice.Location{Name: "Annex", Active: true}
			if err := tx.SaveLocation(&other); err != nil {
				return err
			}
			b.LocationID = other.ID
			return tx.SaveAppointment(&b)
		})
		if code(err) != practice.EInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

func TestOverlappingAppointments(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	nine := time.Date(2027, 3, 2, 15, 0, 0, 0, time.UTC)
	booked := f.appointment(nine)
	cancelled := f.appointment(nine)
	cancelled.Status, cancelled.CancelledBy, cancelled.Reason = practice.Cancelled, practice.ByPatient, "sick"
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveAppointment(&booked); err != nil {
			return err
		}
		return tx.SaveAppointment(&cancelled)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                     string
		from, to                 time.Time
		clinician, room, patient string
		want                     int
	}{
		{"same clinician", nine.Add(30 * time.Minute), nine.Add(2 * time.Hour), f.clinician, "", "", 1},
		{"same room", nine.Add(-30 * time.Minute), nine.Add(time.Minute), "", f.room, "", 1},
		{"same patient", nine, nine.Add(time.Hour), "", "", f.patient, 1},
		{"touching end is free", nine.Add(53 * time.Minute), nine.Add(2 * time.Hour), f.clinician, f.room, f.patient, 0},
		{"touching start is free", nine.Add(-time.Hour), nine, f.clinician, f.room, f.patient, 0},
		{"other people", nine, nine.Add(time.Hour), "someone", "elsewhere", "nobody", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []practice.Appointment
			err := f.db.View(ctx, func(tx *store.Tx) error {
				var err error
				got, err = tx.OverlappingAppointments(tc.from, tc.to, tc.clinician, tc.room, tc.patient)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Fatalf("got %d overlapping, want %d (cancelled ones never count)", len(got), tc.want)
			}
		})
	}
}

func TestAddOccurrenceIsIdempotent(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	first := time.Date(2027, 3, 2, 15, 0, 0, 0, time.UTC)
	s := practice.Series{PatientID: f.patient, ClinicianID: f.clinician, TypeID: f.typ, LocationID: f.location, First: first,
		DurationMin: 53, Recurrence: practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Weekdays: []int{2}}}
	var created []bool
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSeries(&s); err != nil {
			return err
		}
		for range 2 {
			a := f.appointment(first)
			a.SeriesID, a.Occurrence = s.ID, first
			ok, err := tx.AddOccurrence(&a)
			if err != nil {
				return err
			}
			created = append(created, ok)
			if a.ID != store.OccurrenceID(s.ID, first) {
				t.Errorf("occurrence id %s is not the deterministic one", a.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !created[0] || created[1] {
		t.Fatalf("created = %v, want the first only", created)
	}
	var got practice.Series
	if err := f.db.View(ctx, func(tx *store.Tx) error { var err error; got, err = tx.Series(s.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if got.Recurrence.Frequency != practice.Weekly || len(got.Recurrence.Weekdays) != 1 || !got.First.Equal(first) {
		t.Fatalf("series read back as %+v", got)
	}
}

func TestWorkingHoursReplaceWeek(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	week := []practice.WorkingHours{
		{LocationID: f.location, Weekday: 1, Start: "09:00", End: "12:00"},
		{LocationID: f.location, Weekday: 1, Start: "13:00", End: "17:00"},
	}
	err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.SetWorkingHours(f.clinician, week) })
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrOverlap", func(t *testing.T) {
		bad := append([]practice.WorkingHours{}, week...)
		bad = append(bad, practice.WorkingHours{LocationID: f.location, Weekday: 1, Start: "11:00", End: "14:00"})
		before := countChanges(t, f.dir)
		err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.SetWorkingHours(f.clinician, bad) })
		if code(err) != practice.EInvalid || countChanges(t, f.dir) != before {
			t.Fatalf("err = %v; want invalid and nothing written", err)
		}
	})
	t.Run("RemovesUnlisted", func(t *testing.T) {
		err := f.db.Update(ctx, func(tx *store.Tx) error { return tx.SetWorkingHours(f.clinician, week[:1]) })
		if err != nil {
			t.Fatal(err)
		}
		var got []practice.WorkingHours
		if err := f.db.View(ctx, func(tx *store.Tx) error { var err error; got, err = tx.WorkingHours(); return err }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Start != "09:00" || got[0].ID != week[0].ID {
			t.Fatalf("hours = %+v, want the morning block only, same id", got)
		}
	})
}

// TestDefaultAppointmentType: the practice's default type must be one of its
// active types; a missing or retired one is refused by field and the
// settings stay as they were.
func TestDefaultAppointmentType(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	var retired practice.AppointmentType
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		retired = practice.AppointmentType{Name: "Old intake", DurationMin: 60, ServiceCode: "90791", Active: false}
		return tx.SaveAppointmentType(&retired)
	})
	if err != nil {
		t.Fatal(err)
	}
	save := func(typeID string) error {
		return f.db.Update(ctx, func(tx *store.Tx) error {
			s, err := tx.Settings()
			if err != nil {
				return err
			}
			s.DefaultTypeID = typeID
			return tx.SaveSettings(&s)
		})
	}
	saved := func() string {
		var s practice.Settings
		if err := f.db.View(ctx, func(tx *store.Tx) error { var err error; s, err = tx.Settings(); return err }); err != nil {
			t.Fatal(err)
		}
		return s.DefaultTypeID
	}
	t.Run("OK", func(t *testing.T) {
		if err := save(f.typ); err != nil {
			t.Fatal(err)
		}
		if got := saved(); got != f.typ {
			t.Fatalf("default type %q, want %q", got, f.typ)
		}
	})
	for name, id := range map[string]string{"ErrUnknownType": "no-such-type", "ErrRetiredType": retired.ID} {
		t.Run(name, func(t *testing.T) {
			err := save(id)
			var pe *practice.Error
			if !errors.As(err, &pe) || pe.Code != practice.EInvalid || pe.Fields["defaultTypeId"] != "Choose an active appointment type as the default." {
				t.Fatalf("saving %s as the default: %v", name, err)
			}
			if got := saved(); got != f.typ {
				t.Errorf("after a refused save the default is %q, want the earlier %q", got, f.typ)
			}
		})
	}
}

// TestPatientsAppointmentsIn: many patients' ranges in one query, each
// patient's appointments in [From, To) and no other's, by patient then
// start, with the fields the derived areas read: 833 of them, more than
// the first two blocks they are gathered in hold (256 and 512).
func TestPatientsAppointmentsIn(t *testing.T) {
	ctx := context.Background()
	f := newCalendarFixture(t)
	t0 := time.Date(2027, 3, 1, 14, 0, 0, 0, time.UTC)
	patients := []string{f.patient}
	var saved []practice.Appointment
	err := f.db.Update(ctx, func(tx *store.Tx) error {
		for _, first := range []string{"Bea", "Cy"} {
			p := samplePatient()
			p.Identity.FirstName = first
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
			patients = append(patients, p.ID)
		}
		// Zoë's, Bea's and Cy's in turn, every half hour: 500 each.
		for i := range 1500 {
			a := f.appointment(t0.Add(time.Duration(i) * 30 * time.Minute))
			a.PatientID = patients[i%3]
			switch i % 7 {
			case 1:
				a.Status = practice.Completed
				a.ActualStart, a.ActualEnd = a.Start.Add(2*time.Minute), a.Start.Add(50*time.Minute)
			case 2:
				a.Status, a.CancelledBy, a.LateCancel = practice.Cancelled, practice.ByPatient, true
			case 3:
				a.Status = practice.NoShow
			}
			if err := tx.SaveAppointment(&a); err != nil {
				return err
			}
			saved = append(saved, a)
		}
		// One removed: never listed.
		return tx.DeleteAppointment(saved[4].ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	ranges := []store.PatientRange{
		{PatientID: patients[0], From: t0, To: t0.Add(500 * time.Hour)},                        // Zoë's first 334 (i = 0, 3, …, 999)
		{PatientID: patients[1], From: t0.Add(30 * time.Minute), To: t0.Add(1000 * time.Hour)}, // all of Bea's from her first on
		{PatientID: patients[2], From: t0.Add(-24 * time.Hour), To: t0},                        // none of Cy's
	}
	var want []practice.Appointment
	for _, r := range ranges {
		for i, a := range saved {
			if a.PatientID != r.PatientID || a.Start.Before(r.From) || !a.Start.Before(r.To) || i == 4 {
				continue
			}
			want = append(want, practice.Appointment{ID: a.ID, PatientID: a.PatientID, TypeID: a.TypeID, ClinicianID: a.ClinicianID,
				Start: a.Start, End: a.End, Status: a.Status, ActualStart: a.ActualStart, ActualEnd: a.ActualEnd,
				CancelledBy: a.CancelledBy, LateCancel: a.LateCancel})
		}
	}
	slices.SortFunc(want, func(x, y practice.Appointment) int {
		return cmp.Or(cmp.Compare(x.PatientID, y.PatientID), x.Start.Compare(y.Start))
	})
	if len(want) != 334+499 {
		t.Fatalf("the fixture has %d appointments in the ranges, want 334 of Zoë's and 499 of Bea's (one removed)", len(want))
	}
	var got []practice.Appointment
	err = f.db.View(ctx, func(tx *store.Tx) (err error) {
		got, err = tx.PatientsAppointmentsIn(ranges)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d appointments, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("appointment %d:\n%+v\nwant\n%+v", i, got[i], want[i])
		}
	}
}
