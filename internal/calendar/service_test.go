package calendar_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// clock is a settable time source for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }
func (c *clock) AddDate(y, m, d int) { c.Set(c.Now().AddDate(y, m, d)) }

// practiceFixture is a real practice database with two clinicians at one
// office with two rooms, and three patients; the practice is in Chicago.
type practiceFixture struct {
	t                 *testing.T
	db                *store.DB
	clock             *clock
	zone              *time.Location
	ana, ben          practice.Clinician
	office            practice.Location
	room1, room2      practice.Room
	therapy, intake   practice.AppointmentType
	maria, noah, zoey practice.Patient
	owner             practice.Actor // the practice's owner, acting at the front desk
	svc               *calendar.Service
}

func newPractice(t *testing.T) *practiceFixture {
	t.Helper()
	p := &practiceFixture{t: t, zone: zone(t, "America/Chicago"), clock: &clock{}, svc: calendar.NewService()}
	p.clock.Set(p.at("2027-03-01 08:00")) // a Monday
	db, err := store.Open(t.TempDir(), store.Options{Now: p.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p.db = db
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
		if err := tx.CreateAccount(&owner, "correct horse battery staple"); err != nil {
			return err
		}
		p.owner = practice.Actor{AccountID: owner.ID}
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10,
			Policy: practice.CalendarPolicy{LateCancelHours: 24, LateCancelFeeCents: 5000, NoShowFeeCents: 7500}}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		p.office = practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&p.office); err != nil {
			return err
		}
		p.room1 = practice.Room{LocationID: p.office.ID, Name: "Room 1", Active: true}
		p.room2 = practice.Room{LocationID: p.office.ID, Name: "Room 2", Active: true}
		for _, r := range []*practice.Room{&p.room1, &p.room2} {
			if err := tx.SaveRoom(r); err != nil {
				return err
			}
		}
		p.ana = practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Languages: []string{"English", "Spanish"}, Specialties: []string{"Anxiety"}, AcceptingNew: true, Active: true}
		p.ben = practice.Clinician{FirstName: "Ben", LastName: "Okafor", Languages: []string{"English"}, Specialties: []string{"Trauma"}, AcceptingNew: true, Active: true}
		for _, c := range []*practice.Clinician{&p.ana, &p.ben} {
			if err := tx.SaveClinician(c); err != nil {
				return err
			}
			var week []practice.WorkingHours
			for d := 1; d <= 5; d++ {
				week = append(week, practice.WorkingHours{LocationID: p.office.ID, Weekday: d, Start: "09:00", End: "17:00"})
			}
			if err := tx.SetWorkingHours(c.ID, week); err != nil {
				return err
			}
		}
		p.therapy = practice.AppointmentType{Name: "Individual 53", DurationMin: 53, ServiceCode: "90837", TelehealthAllowed: true, Active: true}
		p.intake = practice.AppointmentType{Name: "Intake", DurationMin: 60, ServiceCode: "90791", Active: true}
		for _, ty := range []*practice.AppointmentType{&p.therapy, &p.intake} {
			if err := tx.SaveAppointmentType(ty); err != nil {
				return err
			}
		}
		for _, x := range []struct {
			p           *practice.Patient
			first, last string
		}{{&p.maria, "María", "González"}, {&p.noah, "Noah", "Fischer"}, {&p.zoey, "Zoey", "Nakamura"}} {
			*x.p = practice.Patient{Identity: practice.PatientIdentity{FirstName: x.first, LastName: x.last, DOB: "1990-05-01"}, Active: true}
			if err := tx.CreatePatient(x.p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *practiceFixture) at(s string) time.Time { return at(p.t, p.zone, s) }

// session is a one-off in-person appointment with Ana in Room 1.
func (p *practiceFixture) session(patient practice.Patient, start string) practice.Appointment {
	s := p.at(start)
	return practice.Appointment{PatientID: patient.ID, ClinicianID: p.ana.ID, TypeID: p.therapy.ID, LocationID: p.office.ID,
		RoomID: p.room1.ID, Start: s, End: s.Add(53 * time.Minute)}
}

func (p *practiceFixture) update(fn func(tx *store.Tx) error) error {
	return p.db.Update(context.Background(), fn)
}

func (p *practiceFixture) book(b calendar.Booking) (calendar.BookingResult, error) {
	var res calendar.BookingResult
	err := p.update(func(tx *store.Tx) error {
		var err error
		res, err = p.svc.Book(tx, p.owner, b)
		return err
	})
	return res, err
}

func (p *practiceFixture) mustBook(b calendar.Booking) calendar.BookingResult {
	p.t.Helper()
	res, err := p.book(b)
	if err != nil {
		p.t.Fatal(err)
	}
	return res
}

func (p *practiceFixture) appointments(from, to string) []practice.Appointment {
	p.t.Helper()
	var out []practice.Appointment
	err := p.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = tx.AppointmentsBetween(p.at(from), p.at(to), store.AppointmentFilter{})
		return err
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return out
}

func (p *practiceFixture) appointment(id string) practice.Appointment {
	p.t.Helper()
	var a practice.Appointment
	if err := p.db.View(context.Background(), func(tx *store.Tx) error { var err error; a, err = tx.Appointment(id); return err }); err != nil {
		p.t.Fatal(err)
	}
	return a
}

func weeklyOn(days ...int) *practice.Recurrence {
	return &practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Weekdays: days}
}

func TestWeeklyOpenEndedSeries(t *testing.T) {
	p := newPractice(t)
	res := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00"), Recurrence: weeklyOn(2)})
	if n := len(res.Appointments); n != 53 {
		t.Fatalf("booked %d sessions, want 53: every Tuesday for a year", n)
	}
	for i, a := range res.Appointments {
		local := a.Start.In(p.zone)
		if local.Weekday() != time.Tuesday || local.Hour() != 10 || a.End.Sub(a.Start) != 53*time.Minute || a.SeriesID != res.SeriesID {
			t.Fatalf("session %d at %v (DST must not shift it)", i, local)
		}
	}

	t.Run("CancelOneLeavesTheRestIntact", func(t *testing.T) {
		third := res.Appointments[2]
		err := p.update(func(tx *store.Tx) error {
			_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: third.ID, Scope: calendar.ThisSession,
				Change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Vacation"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		all := p.appointments("2027-03-01 00:00", "2028-03-31 00:00")
		cancelled := 0
		for i, a := range all {
			if !a.Start.Equal(res.Appointments[i].Start) || a.ID != res.Appointments[i].ID {
				t.Fatalf("session %d changed: %v", i, a.Start)
			}
			if a.Status == practice.Cancelled {
				cancelled++
				if a.ID != third.ID || a.LateCancel || a.FeeCents != 0 {
					t.Fatalf("wrong session cancelled or charged: %+v", a)
				}
			}
		}
		if cancelled != 1 || len(all) != 53 {
			t.Fatalf("%d cancelled of %d, want 1 of 53", cancelled, len(all))
		}
	})

	t.Run("MaterializeKeepsAYearAhead", func(t *testing.T) {
		p.clock.AddDate(0, 0, 30)
		var made, again int
		err := p.update(func(tx *store.Tx) error {
			var err error
			if made, err = calendar.Materialize(tx); err != nil {
				return err
			}
			again, err = calendar.Materialize(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if made != 4 || again != 0 {
			t.Fatalf("made %d then %d, want 4 new Tuesdays then none", made, again)
		}
		if n := len(p.appointments("2027-03-01 00:00", "2028-12-31 00:00")); n != 57 {
			t.Fatalf("%d sessions after extending, want 57 (the cancelled one is not made again)", n)
		}
	})
}

func TestDoubleBookingNamedAndOverridden(t *testing.T) {
	p := newPractice(t)
	p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")})

	clash := p.session(p.noah, "2027-03-02 10:30")
	var found []practice.Conflict
	if err := p.db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		found, err = p.svc.CheckBooking(tx, calendar.Booking{Appointment: clash})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	kinds := map[practice.ConflictKind]string{}
	for _, c := range found {
		kinds[c.Kind] = c.Message
	}
	if !strings.Contains(kinds[practice.ConflictClinician], "María G.") || !strings.Contains(kinds[practice.ConflictRoom], "Room 1") {
		t.Fatalf("conflicts %+v: want the clinician and room clashes naming María G. and Room 1", found)
	}

	_, err := p.book(calendar.Booking{Appointment: clash})
	if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(err.Error(), "María G.") {
		t.Fatalf("booking over the clash: %v; want a conflict naming the other appointment", err)
	}
	if n := len(p.appointments("2027-03-02 00:00", "2027-03-03 00:00")); n != 1 {
		t.Fatalf("%d appointments after a refused booking, want 1", n)
	}

	t.Run("RoomOnly", func(t *testing.T) {
		ben := clash
		ben.ClinicianID = p.ben.ID
		_, err := p.book(calendar.Booking{Appointment: ben})
		if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(err.Error(), "Room 1") {
			t.Fatalf("room double-booking: %v", err)
		}
		ben.RoomID = p.room2.ID
		p.mustBook(calendar.Booking{Appointment: ben})
	})

	t.Run("Override", func(t *testing.T) {
		clash.RoomID = p.room2.ID
		clash.Start, clash.End = p.at("2027-03-02 10:00"), p.at("2027-03-02 10:53")
		clash.ClinicianID = p.ana.ID
		clash.PatientID = p.zoey.ID
		clash.OverrideReason = "Joint session agreed with both families"
		res := p.mustBook(calendar.Booking{Appointment: clash})
		if got := p.appointment(res.Appointments[0].ID); got.OverrideReason != clash.OverrideReason {
			t.Fatalf("override reason not kept: %q", got.OverrideReason)
		}
	})
}

func TestOutsideHoursIsOnlyAWarning(t *testing.T) {
	p := newPractice(t)
	evening := p.session(p.maria, "2027-03-02 18:00")
	res := p.mustBook(calendar.Booking{Appointment: evening})
	if len(res.Conflicts) != 1 || res.Conflicts[0].Kind != practice.ConflictHours || res.Conflicts[0].Hard {
		t.Fatalf("conflicts %+v, want one soft working-hours warning", res.Conflicts)
	}
}

func TestMoveThisAndFollowing(t *testing.T) {
	p := newPractice(t)
	res := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00"),
		Recurrence: &practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Weekdays: []int{2}, Count: 10}})
	fifth := res.Appointments[4] // 2027-03-30
	var moved calendar.ChangeResult
	err := p.update(func(tx *store.Tx) error {
		var err error
		moved, err = p.svc.Move(tx, p.owner, calendar.Move{ID: fifth.ID, Start: p.at("2027-04-01 14:00"), End: p.at("2027-04-01 14:53"),
			ClinicianID: p.ana.ID, LocationID: p.office.ID, RoomID: p.room2.ID, Scope: calendar.ThisAndFollowing})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(moved.Appointments) != 6 {
		t.Fatalf("moved %d sessions, want the 5th to the 10th", len(moved.Appointments))
	}
	all := p.appointments("2027-03-01 00:00", "2027-06-01 00:00")
	if len(all) != 10 {
		t.Fatalf("%d sessions after the move, want 10", len(all))
	}
	for i, a := range all {
		local := a.Start.In(p.zone)
		wantDay, wantHour := time.Tuesday, 10
		if i >= 4 {
			wantDay, wantHour = time.Thursday, 14
		}
		if local.Weekday() != wantDay || local.Hour() != wantHour {
			t.Fatalf("session %d at %v, want %v %d:00", i, local, wantDay, wantHour)
		}
		if (i >= 4) != (a.SeriesID != res.SeriesID) {
			t.Fatalf("session %d in series %s: the moved ones form a new series, the rest keep theirs", i, a.SeriesID)
		}
	}
	var old, next practice.Series
	_ = p.db.View(context.Background(), func(tx *store.Tx) error {
		old, _ = tx.Series(res.SeriesID)
		next, _ = tx.Series(all[4].SeriesID)
		return nil
	})
	if !old.Ended || old.Recurrence.Until != "2027-03-29" {
		t.Fatalf("old series %+v: want ended the day before the move", old.Recurrence)
	}
	if next.Recurrence.Count != 6 || next.Recurrence.Weekdays[0] != 4 {
		t.Fatalf("new series %+v: want 6 Thursdays", next.Recurrence)
	}

	t.Run("ErrCompletedCannotMove", func(t *testing.T) {
		p.clock.Set(p.at("2027-03-02 11:00"))
		first := res.Appointments[0]
		err := p.update(func(tx *store.Tx) error {
			if _, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: first.ID, Change: calendar.Change{To: practice.Completed}}); err != nil {
				return err
			}
			_, err := p.svc.Move(tx, p.owner, calendar.Move{ID: first.ID, Start: p.at("2027-03-03 10:00"), End: p.at("2027-03-03 10:53"),
				ClinicianID: p.ana.ID, LocationID: p.office.ID})
			return err
		})
		if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(err.Error(), "completed") {
			t.Fatalf("moving a completed session: %v", err)
		}
	})
}

func TestLifecycleThroughTheService(t *testing.T) {
	p := newPractice(t)
	a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00")}).Appointments[0]
	change := func(c calendar.Change) (calendar.ChangeResult, error) {
		var res calendar.ChangeResult
		err := p.update(func(tx *store.Tx) error {
			var err error
			res, err = p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: a.ID, Change: c})
			return err
		})
		return res, err
	}
	if _, err := change(calendar.Change{To: practice.NoShow}); practice.ErrorCode(err) == "" {
		t.Fatal("a no-show before the session starts must be refused")
	}
	p.clock.Set(p.at("2027-03-02 09:58"))
	if _, err := change(calendar.Change{To: practice.CheckedIn}); err != nil {
		t.Fatal(err)
	}
	p.clock.Set(p.at("2027-03-02 11:00"))
	if _, err := change(calendar.Change{To: practice.Completed, ActualEnd: p.at("2027-03-02 10:52")}); err != nil {
		t.Fatal(err)
	}
	got := p.appointment(a.ID)
	if got.Status != practice.Completed || !got.ActualStart.Equal(p.at("2027-03-02 09:58")) || !got.ActualEnd.Equal(p.at("2027-03-02 10:52")) {
		t.Fatalf("completed as %+v", got)
	}

	t.Run("NoShowFee", func(t *testing.T) {
		b := p.mustBook(calendar.Booking{Appointment: p.session(p.noah, "2027-03-02 12:00")}).Appointments[0]
		p.clock.Set(p.at("2027-03-02 12:20"))
		err := p.update(func(tx *store.Tx) error {
			_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: b.ID, Change: calendar.Change{To: practice.NoShow}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.appointment(b.ID); got.Status != practice.NoShow || got.FeeCents != 7500 {
			t.Fatalf("no-show recorded as %+v, want the $75 fee", got)
		}
	})
}

func TestCancellationOffersWaitlist(t *testing.T) {
	p := newPractice(t)
	a := p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-03 10:00")}).Appointments[0]
	fits := practice.WaitlistEntry{PatientID: p.zoey.ID, Language: "Spanish", Weekdays: []int{3}, Priority: 1}
	wrongDay := practice.WaitlistEntry{PatientID: p.noah.ID, Weekdays: []int{5}, Priority: 1}
	if err := p.update(func(tx *store.Tx) error {
		if err := tx.SaveWaitlistEntry(&fits); err != nil {
			return err
		}
		return tx.SaveWaitlistEntry(&wrongDay)
	}); err != nil {
		t.Fatal(err)
	}
	var res calendar.ChangeResult
	err := p.update(func(tx *store.Tx) error {
		var err error
		res, err = p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: a.ID,
			Change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Offers) != 1 || res.Offers[0].ID != fits.ID {
		t.Fatalf("offers %+v, want the Wednesday Spanish-speaking entry only", res.Offers)
	}
	if got := p.appointment(a.ID); got.LateCancel || got.FeeCents != 0 {
		t.Fatalf("a cancellation 50 h ahead is not late: %+v", got)
	}

	t.Run("ReinstateRefusedOnceTheSlotIsTaken", func(t *testing.T) {
		p.mustBook(calendar.Booking{Appointment: p.session(p.zoey, "2027-03-03 10:00")})
		err := p.update(func(tx *store.Tx) error {
			_, err := p.svc.SetStatus(tx, p.owner, calendar.StatusChange{ID: a.ID, Change: calendar.Change{To: practice.Scheduled}})
			return err
		})
		if practice.ErrorCode(err) != practice.EConflict || !strings.Contains(err.Error(), "Zoey N.") {
			t.Fatalf("reinstating into a taken slot: %v", err)
		}
		if got := p.appointment(a.ID); got.Status != practice.Cancelled {
			t.Fatalf("the refused reinstatement changed the appointment: %+v", got)
		}
	})
}

func TestBadBookingsWriteNothing(t *testing.T) {
	p := newPractice(t)
	ok := p.session(p.maria, "2027-03-02 10:00")
	inactive := p.ben
	inactive.Active = false
	if err := p.update(func(tx *store.Tx) error { return tx.SaveClinician(&inactive) }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, field string
		edit        func(b *calendar.Booking)
	}{
		{"end before start", "end", func(b *calendar.Booking) { b.Appointment.End = b.Appointment.Start.Add(-time.Hour) }},
		{"zero length", "end", func(b *calendar.Booking) { b.Appointment.End = b.Appointment.Start }},
		{"a whole day", "end", func(b *calendar.Booking) { b.Appointment.End = b.Appointment.Start.Add(24 * time.Hour) }},
		{"series without weekdays", "recurrence.weekdays", func(b *calendar.Booking) { b.Recurrence = weeklyOn() }},
		{"inactive clinician", "clinicianId", func(b *calendar.Booking) { b.Appointment.ClinicianID = p.ben.ID }},
		{"in-person type by video", "telehealth", func(b *calendar.Booking) {
			b.Appointment.TypeID, b.Appointment.Telehealth = p.intake.ID, true
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := calendar.Booking{Appointment: ok}
			tc.edit(&b)
			_, err := p.book(b)
			var pe *practice.Error
			if !errors.As(err, &pe) || pe.Code != practice.EInvalid || pe.Fields[tc.field] == "" {
				t.Fatalf("err = %v; want invalid with a message for %s", err, tc.field)
			}
			if n := len(p.appointments("2027-01-01 00:00", "2029-01-01 00:00")); n != 0 {
				t.Fatalf("%d appointments written", n)
			}
		})
	}
}
func TestFeedHasNoPatientInformation(t *testing.T) {
	p := newPractice(t)
	p.mustBook(calendar.Booking{Appointment: p.session(p.maria, "2027-03-02 10:00"), Recurrence: weeklyOn(2)})
	var buf bytes.Buffer
	if err := p.db.View(context.Background(), func(tx *store.Tx) error {
		return p.svc.Feed(tx, p.owner, &buf, p.ana.ID, p.at("2027-03-01 00:00"), p.at("2027-04-01 00:00"))
	}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Count(out, "BEGIN:VEVENT") != 5 || !strings.Contains(out, "SUMMARY:Appointment") || !strings.Contains(out, "Main Street") {
		t.Fatalf("feed:\n%s", out)
	}
	for _, secret := range []string{"María", "González", "Maria", p.maria.ID} {
		if strings.Contains(out, secret) {
			t.Fatalf("feed contains %q", secret)
		}
	}
}
