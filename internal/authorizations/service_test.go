package authorizations_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/authorizations"
	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// fixture is a practice in Chicago on Monday 1 March 2027 with one
// clinician, a therapy type (90837), a patient with an EAP benefit (Acme
// EAP) and an insurance policy (Blue Plan), and a third payer she has no
// policy with (Other Health).
type fixture struct {
	t                  *testing.T
	db                 *store.DB
	clock              *clock
	zone               *time.Location
	owner, biller      practice.Actor
	ana, ben           practice.Clinician
	therapy            practice.AppointmentType
	office             practice.Location
	maria, noah        practice.Patient
	eap, blue, other   practice.Payer
	auths              *authorizations.Service
	cal                *calendar.Service
	registry           *alerts.Registry
	benActor, anaActor practice.Actor
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	zone, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, zone: zone, clock: &clock{}, auths: authorizations.NewService(), registry: &alerts.Registry{}}
	f.cal = calendar.NewService()
	f.cal.AddSessionsCheck(f.auths.Check)
	f.registry.Add(f.auths.Alerts)
	f.clock.Set(f.at("2027-03-01 08:00"))
	db, err := store.Open(t.TempDir(), store.Options{Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
		if err := tx.CreateAccount(&owner, "correct horse battery staple"); err != nil {
			return err
		}
		f.owner = practice.Actor{AccountID: owner.ID}
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10, Policy: practice.DefaultCalendarPolicy}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		f.office = practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&f.office); err != nil {
			return err
		}
		f.ana = practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true}
		f.ben = practice.Clinician{FirstName: "Ben", LastName: "Okafor", Active: true}
		for _, c := range []*practice.Clinician{&f.ana, &f.ben} {
			if err := tx.SaveClinician(c); err != nil {
				return err
			}
		}
		f.anaActor = practice.Actor{AccountID: "ana-account", ClinicianID: f.ana.ID, OwnCaseload: true}
		f.benActor = practice.Actor{AccountID: "ben-account", ClinicianID: f.ben.ID, OwnCaseload: true}
		biller := practice.Account{Username: "bill", DisplayName: "Biller", Role: practice.RoleBiller}
		if err := tx.CreateAccount(&biller, "correct horse battery staple"); err != nil {
			return err
		}
		f.biller = practice.Actor{AccountID: biller.ID}
		f.therapy = practice.AppointmentType{Name: "Individual 53", DurationMin: 53, ServiceCode: "90837", Active: true}
		if err := tx.SaveAppointmentType(&f.therapy); err != nil {
			return err
		}
		f.eap = practice.Payer{Name: "Acme EAP", Kind: practice.PayerEAP, Active: true}
		f.blue = practice.Payer{Name: "Blue Plan", Kind: practice.PayerInsurance, Active: true}
		f.other = practice.Payer{Name: "Other Health", Kind: practice.PayerInsurance, Active: true}
		for _, y := range []*practice.Payer{&f.eap, &f.blue, &f.other} {
			if err := tx.SavePayer(y); err != nil {
				return err
			}
		}
		for _, x := range []struct {
			p           *practice.Patient
			first, last string
		}{{&f.maria, "María", "González"}, {&f.noah, "Noah", "Fischer"}} {
			*x.p = practice.Patient{Identity: practice.PatientIdentity{FirstName: x.first, LastName: x.last, DOB: "1990-05-01"}, Active: true}
			if err := tx.CreatePatient(x.p); err != nil {
				return err
			}
		}
		for _, ip := range []practice.InsurancePolicy{
			{PatientID: f.maria.ID, PayerID: f.eap.ID, Rank: practice.RankPrimary, MemberID: "EAP-1"},
			{PatientID: f.maria.ID, PayerID: f.blue.ID, Rank: practice.RankSecondary, MemberID: "BLU-1"},
			{PatientID: f.noah.ID, PayerID: f.blue.ID, Rank: practice.RankPrimary, MemberID: "BLU-2"},
		} {
			if err := tx.SavePolicy(&ip); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) at(s string) time.Time {
	v, err := time.ParseInLocation("2006-01-02 15:04", s, f.zone)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func (f *fixture) update(fn func(tx *store.Tx) error) error {
	return f.db.Update(context.Background(), fn)
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// eapAuth is Maria's Acme EAP benefit: n sessions in March 2027.
func (f *fixture) eapAuth(n int) practice.Authorization {
	return practice.Authorization{PatientID: f.maria.ID, PayerID: f.eap.ID, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
		Unit: practice.UnitSessions, Requested: n, Authorized: n, Start: "2027-03-01", End: "2027-03-31", WarnRemaining: 1, WarnDays: 7,
		Number: "AUTH-1", EAPCaseNumber: "CASE-9", Employer: "Acme Corp"}
}

func (f *fixture) save(a practice.Authorization) authorizations.View {
	f.t.Helper()
	var v authorizations.View
	f.must(f.update(func(tx *store.Tx) (err error) { v, err = f.auths.Save(tx, f.biller, a); return err }))
	return v
}

// session is a 53-minute session of Maria's with clinician c.
func (f *fixture) session(c practice.Clinician, start string) practice.Appointment {
	s := f.at(start)
	return practice.Appointment{PatientID: f.maria.ID, ClinicianID: c.ID, TypeID: f.therapy.ID, LocationID: f.office.ID,
		Start: s, End: s.Add(53 * time.Minute)}
}

func (f *fixture) book(b calendar.Booking) (calendar.BookingResult, error) {
	var res calendar.BookingResult
	err := f.update(func(tx *store.Tx) (err error) { res, err = f.cal.Book(tx, f.owner, b); return err })
	return res, err
}

func (f *fixture) list(by practice.Actor, patientID string) ([]authorizations.View, error) {
	var out []authorizations.View
	err := f.update(func(tx *store.Tx) (err error) { out, err = f.auths.List(tx, by, patientID); return err })
	return out, err
}

func (f *fixture) count() int {
	var n int
	f.must(f.db.View(context.Background(), func(tx *store.Tx) error {
		all, err := tx.AllAuthorizations()
		n = len(all)
		return err
	}))
	return n
}

func TestSave(t *testing.T) {
	f := newFixture(t)
	t.Run("OK", func(t *testing.T) {
		v := f.save(f.eapAuth(6))
		if v.Authorization.ID == "" || v.PayerName != "Acme EAP" || v.State != authorizations.StateActive || v.Usage.Remaining != 6 {
			t.Fatalf("saved view %+v: want an active Acme EAP authorization with 6 left", v)
		}
		got, err := f.list(f.biller, f.maria.ID)
		if err != nil || len(got) != 1 || got[0].Authorization.EAPCaseNumber != "CASE-9" || got[0].Authorization.Number != "AUTH-1" {
			t.Fatalf("list: %+v %v", got, err)
		}
	})

	long := strings.Repeat("n", 10_000)
	bad := []struct {
		name, field, message string
		change               func(a *practice.Authorization)
	}{
		{"ErrEndBeforeStart", "end", "The end date must not be before the start date.", func(a *practice.Authorization) { a.End = "2027-02-01" }},
		{"ErrZeroAuthorized", "authorized", "An authorization allows at least one of its sessions; enter the number the payer granted, or keep it as requested.",
			func(a *practice.Authorization) { a.Authorized = 0 }},
		{"ErrNegativeUnits", "requested", "The number of units requested cannot be negative.", func(a *practice.Authorization) {
			a.Unit, a.Requested = practice.Unit15Min, -4
		}},
		{"ErrLongNote", "notes", "Too long: at most 2000 characters.", func(a *practice.Authorization) { a.Notes = long }},
		{"ErrNoPolicyWithPayer", "payerId", "This patient has no policy with Other Health. Add the policy (or EAP benefit) to the patient's record first, then the authorization.",
			func(a *practice.Authorization) { a.PayerID = f.other.ID }},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			before := f.count()
			a := f.eapAuth(6)
			c.change(&a)
			err := f.update(func(tx *store.Tx) error { _, err := f.auths.Save(tx, f.biller, a); return err })
			var pe *practice.Error
			if !errors.As(err, &pe) || pe.Code != practice.EInvalid || pe.Fields[c.field] != c.message {
				t.Fatalf("got %v (%+v); want EInvalid with %s: %q", err, pe, c.field, c.message)
			}
			if strings.Contains(err.Error(), "González") || strings.Contains(pe.Fields[c.field], "Mar") && c.field == "payerId" {
				t.Fatalf("the message names the patient: %v", pe.Fields)
			}
			if n := f.count(); n != before {
				t.Fatalf("%d authorizations after a refused save, want %d", n, before)
			}
		})
	}

	t.Run("ClinicianSeesOwnPatientsOnly", func(t *testing.T) {
		if _, err := f.list(f.benActor, f.maria.ID); practice.ErrorCode(err) != practice.EForbidden {
			t.Fatalf("Ben, with no session of Maria's: %v; want EForbidden", err)
		}
		_, err := f.book(calendar.Booking{Appointment: f.session(f.ben, "2027-03-02 10:00")})
		f.must(err)
		if got, err := f.list(f.benActor, f.maria.ID); err != nil || len(got) != 1 {
			t.Fatalf("Ben, now seeing Maria: %d authorizations, %v", len(got), err)
		}
	})
}

func TestRenew(t *testing.T) {
	f := newFixture(t)
	first := f.save(f.eapAuth(6)).Authorization
	var next practice.Authorization
	f.must(f.update(func(tx *store.Tx) (err error) { next, err = f.auths.Renew(tx, f.biller, first.ID); return err }))
	// March (31 days) → 1 April to 1 May; requested for the 6 authorized; the case kept, the claim number not.
	if next.ID != "" || next.RenewsID != first.ID || next.Start != "2027-04-01" || next.End != "2027-05-01" || next.Status != practice.AuthRequested ||
		next.Requested != 6 || next.Authorized != 0 || next.EAPCaseNumber != "CASE-9" || next.Number != "" || next.RequestedOn != "2027-03-01" {
		t.Fatalf("renewal draft %+v", next)
	}
	saved := f.save(next)
	views, err := f.list(f.biller, f.maria.ID)
	f.must(err)
	if len(views) != 2 || views[0].RenewedBy != saved.Authorization.ID || saved.State != authorizations.StateRequested {
		t.Fatalf("chain: %+v", views)
	}
}

// TestSeriesCheck: Maria has 3 of 6 EAP sessions left; a weekly series of
// 12 gets a warning that sessions 4–12 are outside, with their dates; with
// the payer set to hard the booking needs a reason, which is kept and audited.
func TestSeriesCheck(t *testing.T) {
	f := newFixture(t)
	a := f.eapAuth(6)
	a.End = "2027-06-30"
	f.save(a)
	for _, day := range []string{"2027-03-01", "2027-03-02", "2027-03-03"} {
		_, err := f.book(calendar.Booking{Appointment: f.session(f.ana, day+" 14:00")})
		f.must(err)
	}
	series := calendar.Booking{Appointment: f.session(f.ana, "2027-03-09 10:00"),
		Recurrence: &practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Weekdays: []int{2}, Count: 12}}
	var found []practice.Conflict
	f.must(f.db.View(context.Background(), func(tx *store.Tx) (err error) { found, err = f.cal.CheckBooking(tx, series); return err }))
	var auth []practice.Conflict
	for _, c := range found {
		if c.Kind == authorizations.ConflictAuthorization {
			auth = append(auth, c)
		}
	}
	// Tuesdays from 9 March: sessions 4–12 are 30 Mar … 25 May.
	want := "Sessions 4–12 are outside the Acme EAP authorization: 3 sessions left of 6 (expires 30 Jun 2027): " +
		"30 Mar, 6 Apr, 13 Apr, 20 Apr, 27 Apr, 4 May, 11 May, 18 May, 25 May."
	if len(auth) != 9 || auth[0].Message != want || auth[0].Hard || !auth[0].Start.Equal(f.at("2027-03-30 10:00")) {
		t.Fatalf("got %d authorization conflicts, first %+v; want 9, the first saying %q", len(auth), first(auth), want)
	}
	if auth[1].Message != "Session 5 (6 Apr) is outside it too." {
		t.Fatalf("second: %q", auth[1].Message)
	}

	f.must(f.update(func(tx *store.Tx) error {
		_, err := f.auths.SavePayerRules(tx, f.owner, practice.PayerAuthRules{PayerID: f.eap.ID, Enforcement: practice.EnforceHard, CountMissed: true, CountUpcoming: true})
		return err
	}))
	_, err := f.book(series)
	var pe *practice.Error
	if !errors.As(err, &pe) || pe.Code != practice.EConflict || pe.Message != want+" (and 8 more conflicts)" || pe.Fields["overrideReason"] == "" {
		t.Fatalf("hard payer, no reason: %v; want EConflict asking for a reason", err)
	}
	series.Appointment.OverrideReason = "EAP extension requested by phone"
	res, err := f.book(series)
	f.must(err)
	if len(res.Appointments) != 12 {
		t.Fatalf("booked %d, want 12", len(res.Appointments))
	}
	views, err := f.list(f.biller, f.maria.ID)
	f.must(err)
	if u := views[0].Usage; u.Scheduled != 15 || u.Over != 9 || u.Remaining != -9 {
		t.Fatalf("usage after the override: %+v; want 15 booked, 9 over", u)
	}
	var override int
	f.must(f.db.View(context.Background(), func(tx *store.Tx) error {
		for _, ap := range res.Appointments[3:] {
			got, err := tx.Appointment(ap.ID)
			if err != nil {
				return err
			}
			if got.OverrideReason == "EAP extension requested by phone" {
				override++
			}
		}
		if got, _ := tx.Appointment(res.Appointments[0].ID); got.OverrideReason != "" {
			t.Errorf("session 1 is within the authorization but kept an override reason")
		}
		return nil
	}))
	if override != 9 {
		t.Fatalf("%d sessions outside kept the override reason, want 9", override)
	}
}

func first(list []practice.Conflict) practice.Conflict {
	if len(list) == 0 {
		return practice.Conflict{}
	}
	return list[0]
}

// TestMoveOutOfWindow: moving a session past the end date warns that it
// falls after the authorization ends; a payer that requires authorization
// flags sessions no authorization covers.
func TestMoveOutOfWindow(t *testing.T) {
	f := newFixture(t)
	f.save(f.eapAuth(6))
	res, err := f.book(calendar.Booking{Appointment: f.session(f.ana, "2027-03-30 10:00")})
	f.must(err)
	if len(res.Conflicts) != 0 {
		t.Fatalf("a covered session: %+v", res.Conflicts)
	}
	var found []practice.Conflict
	f.must(f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		found, err = f.cal.CheckMove(tx, calendar.Move{ID: res.Appointments[0].ID, Start: f.at("2027-04-06 10:00"), End: f.at("2027-04-06 10:53"),
			ClinicianID: f.ana.ID, LocationID: f.office.ID})
		return err
	}))
	if len(found) != 1 || found[0].Message != "This session is outside the Acme EAP authorization, which ends 31 Mar 2027." {
		t.Fatalf("move past the end: %+v", found)
	}

	f.must(f.update(func(tx *store.Tx) error {
		_, err := f.auths.SavePayerRules(tx, f.owner, practice.PayerAuthRules{PayerID: f.blue.ID, RequiresAuth: true, Enforcement: practice.EnforceWarn})
		return err
	}))
	noah := f.session(f.ana, "2027-03-03 10:00")
	noah.PatientID = f.noah.ID
	res, err = f.book(calendar.Booking{Appointment: noah})
	f.must(err)
	if len(res.Conflicts) != 1 || res.Conflicts[0].Message != "This session is not covered: Blue Plan requires an authorization and none applies." {
		t.Fatalf("no authorization where one is required: %+v", res.Conflicts)
	}
}

// TestBookingLine: the dialog's "session 7 of 8, expires …" line.
func TestBookingLine(t *testing.T) {
	f := newFixture(t)
	f.save(f.eapAuth(8))
	for i, day := range []string{"01", "02", "03", "04", "05", "08"} {
		_, err := f.book(calendar.Booking{Appointment: f.session(f.ana, "2027-03-"+day+" 14:00")})
		f.must(err)
		_ = i
	}
	var line authorizations.BookingLine
	f.must(f.update(func(tx *store.Tx) (err error) {
		line, err = f.auths.Preview(tx, f.owner, f.maria.ID, f.therapy.ID, f.at("2027-03-10 10:00"), f.at("2027-03-10 10:53"))
		return err
	}))
	if line.Line != "Acme EAP: session 7 of 8, expires 31 Mar 2027" || line.Number != 7 || line.Of != 8 || line.Warning {
		t.Fatalf("line %+v", line)
	}
}

// TestAlerts: a nearly used-up authorization reaches billers, the manager
// and every clinician who sees the patient; a booking past the count turns
// it urgent; a stale request asks for a chase.
func TestAlerts(t *testing.T) {
	f := newFixture(t)
	a := f.save(f.eapAuth(3)).Authorization
	for _, s := range []practice.Appointment{f.session(f.ana, "2027-03-02 10:00"), f.session(f.ben, "2027-03-09 10:00")} {
		_, err := f.book(calendar.Booking{Appointment: s})
		f.must(err)
	}
	all := f.alerts()
	if len(all) != 1 || all[0].Key != "auth/"+a.ID+"/remaining-1" || all[0].Kind != authorizations.KindRemaining ||
		all[0].Title != "María G. — Acme EAP: 1 session left of 3, expires 31 Mar 2027" || all[0].PatientID != f.maria.ID {
		t.Fatalf("alerts %+v", all)
	}
	for _, w := range []alerts.Who{{Role: practice.RoleBiller}, {Role: practice.RoleOwner}, {Role: practice.RoleClinician, ClinicianID: f.ana.ID},
		{Role: practice.RoleClinician, ClinicianID: f.ben.ID}} {
		if !all[0].Reaches(w) {
			t.Errorf("the alert does not reach %+v", w)
		}
	}
	if all[0].Reaches(alerts.Who{Role: practice.RoleFrontDesk}) || all[0].Reaches(alerts.Who{Role: practice.RoleClinician, ClinicianID: "someone-else"}) {
		t.Errorf("the alert reaches the front desk or a clinician who does not see her")
	}
	for _, day := range []string{"2027-03-16", "2027-03-23"} {
		_, err := f.book(calendar.Booking{Appointment: f.session(f.ana, day+" 10:00")})
		f.must(err)
	}
	all = f.alerts()
	if len(all) != 1 || all[0].Key != "auth/"+a.ID+"/over" || all[0].Severity != alerts.Urgent || all[0].Title != "María G. — Acme EAP: 4 sessions used or booked of 3 authorized" {
		t.Fatalf("over: %+v", all)
	}

	req := f.eapAuth(0)
	req.Status, req.Requested, req.Start, req.End, req.RequestedOn = practice.AuthRequested, 6, "2027-04-01", "2027-04-30", "2027-02-20"
	r := f.save(req).Authorization
	all = f.alerts()
	if len(all) != 2 || all[1].Key != "auth/"+r.ID+"/requested" || all[1].Kind != authorizations.KindRequested {
		t.Fatalf("stale request: %+v", all)
	}
	// April: March's authorization ended with nothing booked after it; the request is still open.
	f.clock.Set(f.at("2027-04-02 09:00"))
	all = f.alerts()
	if len(all) != 1 || all[0].Key != "auth/"+r.ID+"/requested" {
		t.Fatalf("in April: %+v", all)
	}
}

func (f *fixture) alerts() []alerts.Alert {
	f.t.Helper()
	var out []alerts.Alert
	f.must(f.db.View(context.Background(), func(tx *store.Tx) (err error) {
		out, err = f.registry.All(context.Background(), tx, f.clock.Now())
		return err
	}))
	return out
}

// TestUsageReadsFromTheWindowsStart: usage reads a patient's sessions only
// from the earliest authorization's start (a patient in care for years
// would otherwise cost all of their history), so the window's first
// minutes must still count, and sessions before it must not.
func TestUsageReadsFromTheWindowsStart(t *testing.T) {
	f := newFixture(t)
	f.clock.Set(f.at("2027-02-20 09:00"))
	before := f.session(f.ana, "2027-02-26 10:00")
	first := f.session(f.ana, "2027-03-01 00:05") // Chicago 00:05 is 06:05 UTC
	first.End = first.Start.Add(45 * time.Minute)
	later := f.session(f.ana, "2027-03-15 10:00")
	first.OverrideReason = "crisis follow-up" // outside working hours
	for _, s := range []practice.Appointment{before, first, later} {
		_, err := f.book(calendar.Booking{Appointment: s})
		f.must(err)
	}
	f.clock.Set(f.at("2027-03-20 09:00"))
	a := f.save(f.eapAuth(6)).Authorization
	got, err := f.list(f.biller, f.maria.ID)
	f.must(err)
	if len(got) != 1 || got[0].Authorization.ID != a.ID {
		t.Fatalf("list: %+v", got)
	}
	u := got[0].Usage
	// Two sessions in March, both still scheduled; February's is outside the window.
	if u.Scheduled != 2 || u.Remaining != 4 || len(u.Sessions) != 2 ||
		!u.Sessions[0].Start.Equal(first.Start) || u.Sessions[0].Number != 1 || !u.Sessions[1].Start.Equal(later.Start) {
		t.Fatalf("usage %+v; want the 00:05 and 15 March sessions, numbered 1 and 2, 4 left of 6", u)
	}
}

// TestThePracticeWideListReadsEachPatientsOwnSessions: the list reads every
// patient's sessions in one query and hands each patient theirs; two
// patients' sessions interleaved in time must not leak into each other's
// usage or clinicians.
func TestThePracticeWideListReadsEachPatientsOwnSessions(t *testing.T) {
	f := newFixture(t)
	f.save(f.eapAuth(6))
	blue := practice.Authorization{PatientID: f.noah.ID, PayerID: f.blue.ID, Kind: practice.AuthPrior, Status: practice.AuthAuthorized,
		Unit: practice.UnitSessions, Requested: 4, Authorized: 4, Start: "2027-03-01", End: "2027-03-31", WarnRemaining: 1, WarnDays: 7, Number: "PA-7"}
	f.save(blue)
	for _, day := range []string{"02", "09", "16"} {
		_, err := f.book(calendar.Booking{Appointment: f.session(f.ana, "2027-03-"+day+" 10:00")})
		f.must(err)
	}
	// Noah's two March sessions with Ben, then two in April with Ana, after his authorization ends.
	for _, at := range []struct {
		c   practice.Clinician
		day string
	}{{f.ben, "2027-03-03"}, {f.ben, "2027-03-10"}, {f.ana, "2027-04-07"}, {f.ana, "2027-04-14"}} {
		noah := f.session(at.c, at.day+" 11:00")
		noah.PatientID = f.noah.ID
		_, err := f.book(calendar.Booking{Appointment: noah})
		f.must(err)
	}
	var rows []authorizations.Row
	f.must(f.update(func(tx *store.Tx) (err error) {
		rows, err = f.auths.Overview(tx, f.biller, authorizations.Filter{})
		return err
	}))
	got := map[string]string{}
	for _, r := range rows {
		got[r.PatientName] = fmt.Sprintf("scheduled %d remaining %d sessions %d after the end %d clinicians %v",
			r.Usage.Scheduled, r.Usage.Remaining, len(r.Usage.Sessions), r.Usage.BookedAfterEnd, r.ClinicianIDs)
	}
	want := map[string]string{
		"María G.": fmt.Sprintf("scheduled 3 remaining 3 sessions 3 after the end 0 clinicians [%s]", f.ana.ID),
		"Noah F.":  fmt.Sprintf("scheduled 2 remaining 2 sessions 2 after the end 2 clinicians [%s %s]", f.ben.ID, f.ana.ID),
	}
	// One patient's own list reads every session one by one: it must agree.
	own, err := f.list(f.biller, f.noah.ID)
	f.must(err)
	if len(own) != 1 || own[0].Usage.BookedAfterEnd != 2 || own[0].Usage.Scheduled != 2 {
		t.Fatalf("Noah's own list: %+v", own)
	}
	if len(got) != 2 || got["María G."] != want["María G."] || got["Noah F."] != want["Noah F."] {
		t.Fatalf("overview %v; want %v", got, want)
	}
}
