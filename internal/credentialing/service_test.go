package credentialing_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/calendar"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor: real, and fast enough for tests
	os.Exit(m.Run())
}

// fixture is a real practice database in Chicago on Wednesday 10 February
// 2027: Ana Ruiz and Ben Okafor; Aetna and the Lyra EAP; María (Aetna),
// Noah (no policy: self-pay) and Zoey (Lyra EAP); the owner, Sam at the
// front desk, and Ana's own clinician account.
type fixture struct {
	t                 *testing.T
	db                *store.DB
	now               time.Time
	zone              *time.Location
	svc               *calendar.Service
	owner, sam, anaAc practice.Actor
	ana, ben          practice.Clinician
	aetna, lyra       practice.Payer
	maria, noah, zoey practice.Patient
	office            practice.Location
	room              practice.Room
	therapy           practice.AppointmentType
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, svc: calendar.NewService(credentialing.BookingCheck).WithNetwork(credentialing.NetworkRule)}
	var err error
	if f.zone, err = time.LoadLocation("America/Chicago"); err != nil {
		t.Fatal(err)
	}
	f.now = f.at("2027-02-10 08:00")
	db, err := store.Open(t.TempDir(), store.Options{Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	err = db.Create(context.Background(), func(tx *store.Tx) error {
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10, Address: practice.Address{State: "OR"}}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		f.office = practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&f.office); err != nil {
			return err
		}
		f.room = practice.Room{LocationID: f.office.ID, Name: "Room 1", Active: true}
		if err := tx.SaveRoom(&f.room); err != nil {
			return err
		}
		f.therapy = practice.AppointmentType{Name: "Individual 53", DurationMin: 53, ServiceCode: "90837", Active: true}
		if err := tx.SaveAppointmentType(&f.therapy); err != nil {
			return err
		}
		f.ana = practice.Clinician{FirstName: "Ana", LastName: "Ruiz", AcceptingNew: true, Active: true}
		f.ben = practice.Clinician{FirstName: "Ben", LastName: "Okafor", AcceptingNew: true, Active: true}
		for _, c := range []*practice.Clinician{&f.ana, &f.ben} {
			if err := tx.SaveClinician(c); err != nil {
				return err
			}
			var week []practice.WorkingHours
			for d := 1; d <= 5; d++ {
				week = append(week, practice.WorkingHours{LocationID: f.office.ID, Weekday: d, Start: "08:00", End: "18:00"})
			}
			if err := tx.SetWorkingHours(c.ID, week); err != nil {
				return err
			}
		}
		for _, a := range []struct {
			actor *practice.Actor
			acct  practice.Account
		}{
			{&f.owner, practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}},
			{&f.sam, practice.Account{Username: "sam", DisplayName: "Sam Desk", Role: practice.RoleFrontDesk}},
			{&f.anaAc, practice.Account{Username: "ana", DisplayName: "Ana Ruiz", Role: practice.RoleClinician, ClinicianID: f.ana.ID}},
		} {
			if err := tx.CreateAccount(&a.acct, "correct horse battery staple"); err != nil {
				return err
			}
			*a.actor = practice.Actor{AccountID: a.acct.ID, ClinicianID: a.acct.ClinicianID, OwnCaseload: a.acct.Role == practice.RoleClinician}
		}
		f.aetna = practice.Payer{Name: "Aetna", Kind: practice.PayerInsurance, Active: true}
		f.lyra = practice.Payer{Name: "Lyra EAP", Kind: practice.PayerEAP, Active: true}
		for _, y := range []*practice.Payer{&f.aetna, &f.lyra} {
			if err := tx.SavePayer(y); err != nil {
				return err
			}
		}
		for _, x := range []struct {
			p      *practice.Patient
			first  string
			payers string
		}{{&f.maria, "María", f.aetna.ID}, {&f.noah, "Noah", ""}, {&f.zoey, "Zoey", f.lyra.ID}} {
			*x.p = practice.Patient{Identity: practice.PatientIdentity{FirstName: x.first, LastName: "Test", DOB: "1990-05-01"}, Active: true}
			if err := tx.CreatePatient(x.p); err != nil {
				return err
			}
			if x.payers != "" {
				if err := tx.SavePolicy(&practice.InsurancePolicy{PatientID: x.p.ID, PayerID: x.payers, Rank: practice.RankPrimary, MemberID: "M1"}); err != nil {
					return err
				}
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
	f.t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, f.zone)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func (f *fixture) update(fn func(tx *store.Tx) error) error {
	return f.db.Update(context.Background(), fn)
}

func (f *fixture) must(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.update(fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) enroll(by practice.Actor, e practice.Enrollment, note string) practice.Enrollment {
	f.t.Helper()
	var out practice.Enrollment
	f.must(func(tx *store.Tx) (err error) {
		out, err = credentialing.RecordEnrollment(tx, by, credentialing.EnrollmentChange{Enrollment: e, Note: note})
		return err
	})
	return out
}

func (f *fixture) credential(c practice.Credential) practice.Credential {
	f.t.Helper()
	f.must(func(tx *store.Tx) error { return credentialing.SaveCredential(tx, f.owner, &c) })
	return c
}

// session is a one-off appointment with clinician at a local time.
func (f *fixture) session(patient practice.Patient, clinician practice.Clinician, start string) practice.Appointment {
	s := f.at(start)
	return practice.Appointment{PatientID: patient.ID, ClinicianID: clinician.ID, TypeID: f.therapy.ID, LocationID: f.office.ID,
		RoomID: f.room.ID, Start: s, End: s.Add(53 * time.Minute)}
}

// credentialConflicts checks a booking and returns the credential
// conflicts' messages (and whether they are hard).
func (f *fixture) credentialConflicts(a practice.Appointment) (msgs []string, hard bool) {
	f.t.Helper()
	err := f.db.View(context.Background(), func(tx *store.Tx) error {
		found, err := f.svc.CheckBooking(tx, calendar.Booking{Appointment: a})
		for _, c := range found {
			if c.Kind == credentialing.ConflictCredential {
				msgs, hard = append(msgs, c.Message), c.Hard
			}
		}
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return msgs, hard
}

// counts is how many credentialing rows there are, and change records.
func (f *fixture) counts() [3]int {
	f.t.Helper()
	var n [3]int
	err := f.db.View(context.Background(), func(tx *store.Tx) error {
		creds, err := tx.Credentials("")
		if err != nil {
			return err
		}
		list, err := tx.Enrollments("")
		if err != nil {
			return err
		}
		n[0], n[1] = len(creds), len(list)
		for _, e := range list {
			ev, err := tx.EnrollmentEvents(e.ID)
			if err != nil {
				return err
			}
			n[2] += len(ev)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestBadInputWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollSent}, "")
	before := f.counts()
	licence := practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredLicence, State: "OR", Type: "LCSW", Number: "C1234",
		Issued: "2025-02-01", Expires: "2027-01-31"}
	tests := []struct {
		name, field, msg string
		write            func(tx *store.Tx) error
	}{
		{"ExpiryBeforeIssue", "expires", "The expiry date is before the issue date.", func(tx *store.Tx) error {
			c := licence
			c.Expires = "2025-01-31"
			return credentialing.SaveCredential(tx, f.owner, &c)
		}},
		{"UnknownState", "state", `Unknown state "ZZ"; use a two-letter US state code, e.g. OR.`, func(tx *store.Tx) error {
			c := licence
			c.State = "zz"
			return credentialing.SaveCredential(tx, f.owner, &c)
		}},
		{"BadDEACheckDigit", "number", "This DEA number's check digit is wrong; please check for a typo.", func(tx *store.Tx) error {
			c := practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredDEA, State: "OR", Number: "AB1234564", Expires: "2028-01-31"}
			return credentialing.SaveCredential(tx, f.owner, &c)
		}},
		{"NoteOf10000Characters", "note", "Too long: at most 2000 characters.", func(tx *store.Tx) error {
			_, err := credentialing.RecordEnrollment(tx, f.owner, credentialing.EnrollmentChange{
				Enrollment: practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollInProcess},
				Note:       strings.Repeat("n", 10000)})
			return err
		}},
		{"ApprovalWithoutEffectiveDate", "effectiveOn", "An approval needs the date the clinician is in network from.", func(tx *store.Tx) error {
			_, err := credentialing.RecordEnrollment(tx, f.owner, credentialing.EnrollmentChange{
				Enrollment: practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved}, Note: "Approved"})
			return err
		}},
		{"CAQHAttestedInTheFuture", "issued", "The last attestation cannot be in the future.", func(tx *store.Tx) error {
			c := practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredCAQH, Number: "12345678", Issued: "2027-02-11"}
			return credentialing.SaveCredential(tx, f.owner, &c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.update(tt.write)
			pe, ok := err.(*practice.Error)
			if !ok || pe.Code != practice.EInvalid || pe.Fields[tt.field] != tt.msg {
				t.Fatalf("error %v; want EInvalid with %s: %q", err, tt.field, tt.msg)
			}
			if got := f.counts(); got != before {
				t.Fatalf("rows (credentials, enrollments, history) %v after a refused write, want %v", got, before)
			}
		})
	}
}

func TestBookingGuard(t *testing.T) {
	f := newFixture(t)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollInProcess, EffectiveOn: "2027-03-01"}, "")
	outOfNetwork := "Ana Ruiz is not in network with Aetna until 1 Mar 2027; application in process."

	t.Run("WarnsWithTheReason", func(t *testing.T) {
		var res calendar.BookingResult
		f.must(func(tx *store.Tx) (err error) {
			res, err = f.svc.Book(tx, f.owner, calendar.Booking{Appointment: f.session(f.maria, f.ana, "2027-02-15 10:00")})
			return err
		})
		if len(res.Conflicts) != 1 || res.Conflicts[0].Message != outOfNetwork || res.Conflicts[0].Hard {
			t.Fatalf("conflicts %+v; want the warning %q", res.Conflicts, outOfNetwork)
		}
	})
	t.Run("ThePracticesDayDecides", func(t *testing.T) {
		// 19:00 on Sunday 28 February in Chicago is 01:00 UTC on 1 March:
		// the practice's day, 28 February, is before the expected date.
		if msgs, _ := f.credentialConflicts(f.session(f.maria, f.ana, "2027-02-28 19:00")); len(msgs) != 1 || msgs[0] != outOfNetwork {
			t.Errorf("28 February 19:00 local (1 March UTC): %q, want %q", msgs, outOfNetwork)
		}
		// From the expected date on, an application still in process says so without a date.
		want := "Ana Ruiz is not in network with Aetna; application in process."
		if msgs, _ := f.credentialConflicts(f.session(f.maria, f.ana, "2027-03-01 09:00")); len(msgs) != 1 || msgs[0] != want {
			t.Errorf("1 March, still in process: %q, want %q", msgs, want)
		}
	})
	t.Run("SelfPayChecksOnlyLicenceAndMalpractice", func(t *testing.T) {
		if msgs, _ := f.credentialConflicts(f.session(f.noah, f.ana, "2027-02-15 11:00")); len(msgs) != 0 {
			t.Errorf("self-pay: %q, want none", msgs)
		}
	})
	t.Run("EAPCheckedAgainstItsOwnPayer", func(t *testing.T) {
		want := "Ana Ruiz is not enrolled with Lyra EAP."
		if msgs, _ := f.credentialConflicts(f.session(f.zoey, f.ana, "2027-02-15 12:00")); len(msgs) != 1 || msgs[0] != want {
			t.Errorf("EAP patient: %q, want %q", msgs, want)
		}
	})
	t.Run("UntrackedClinicianNotWarned", func(t *testing.T) {
		if msgs, _ := f.credentialConflicts(f.session(f.maria, f.ben, "2027-02-15 10:00")); len(msgs) != 0 {
			t.Errorf("Ben has no enrollments on record: %q, want none", msgs)
		}
	})
	t.Run("ExpiredLicence", func(t *testing.T) {
		f.credential(practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredLicence, State: "OR", Type: "LCSW", Number: "C1",
			Issued: "2025-02-20", Expires: "2027-02-20"})
		want := "Ana Ruiz's licence expired on 20 Feb 2027."
		if msgs, _ := f.credentialConflicts(f.session(f.noah, f.ana, "2027-02-22 10:00")); len(msgs) != 1 || msgs[0] != want {
			t.Errorf("self-pay after the licence expired: %q, want %q", msgs, want)
		}
		if msgs, _ := f.credentialConflicts(f.session(f.noah, f.ana, "2027-02-19 10:00")); len(msgs) != 0 {
			t.Errorf("self-pay before the licence expired: %q, want none", msgs)
		}
	})
	t.Run("HardSettingNeedsAnAuditedOverride", func(t *testing.T) {
		f.must(func(tx *store.Tx) error {
			return credentialing.SaveSettings(tx, f.owner, &practice.CredentialingSettings{GuardHard: true})
		})
		a := f.session(f.maria, f.ana, "2027-02-17 10:00")
		err := f.update(func(tx *store.Tx) error {
			_, err := f.svc.Book(tx, f.owner, calendar.Booking{Appointment: a})
			return err
		})
		pe, ok := err.(*practice.Error)
		if !ok || pe.Code != practice.EConflict || pe.Message != outOfNetwork || pe.Fields["overrideReason"] == "" {
			t.Fatalf("hard guard: %v; want EConflict %q asking for an override reason", err, outOfNetwork)
		}
		a.OverrideReason = "Patient agreed to pay out of network"
		var res calendar.BookingResult
		f.must(func(tx *store.Tx) (err error) {
			res, err = f.svc.Book(tx, f.owner, calendar.Booking{Appointment: a})
			return err
		})
		id := res.Appointments[0].ID
		f.must(func(tx *store.Tx) error {
			entries, err := tx.AuditEntries(store.AuditQuery{RecordID: id, Action: "appointment.override"})
			if err != nil {
				return err
			}
			if len(entries) != 1 || entries[0].AccountID != f.owner.AccountID {
				t.Errorf("override audit entries %+v; want one by the owner", entries)
			}
			return nil
		})
	})
	t.Run("ApprovalClearsTheWarning", func(t *testing.T) {
		f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved, EffectiveOn: "2027-02-01",
			ProviderID: "P-77"}, "Approved by phone")
		if msgs, _ := f.credentialConflicts(f.session(f.maria, f.ana, "2027-02-18 10:00")); len(msgs) != 0 {
			t.Errorf("after the approval: %q, want none", msgs)
		}
	})
}

func TestInNetworkForBilling(t *testing.T) {
	f := newFixture(t)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved, EffectiveOn: "2027-03-01"}, "")
	f.credential(practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredMalpractice, Carrier: "CPH", Number: "MP-1", Expires: "2027-06-30"})
	for _, tt := range []struct {
		payer, on string
		want      []string
	}{
		{f.aetna.ID, "2027-03-01", nil},
		{f.aetna.ID, "2027-02-28", []string{"Ana Ruiz is not in network with Aetna until 1 Mar 2027; approved."}},
		{f.aetna.ID, "2027-07-01", []string{"Ana Ruiz's malpractice policy expired on 30 Jun 2027."}},
		{f.lyra.ID, "2027-03-01", []string{"Ana Ruiz is not enrolled with Lyra EAP."}},
		{"", "2027-03-01", nil},
	} {
		var s credentialing.Standing
		f.must(func(tx *store.Tx) (err error) {
			s, err = credentialing.InNetwork(tx, f.ana.ID, tt.payer, date(t, tt.on))
			return err
		})
		var got []string
		for _, r := range s.Reasons {
			got = append(got, r.Message)
		}
		if s.InNetwork != (len(tt.want) == 0) || !slices.Equal(got, tt.want) {
			t.Errorf("payer %q on %s: in network %v, %q; want %q", tt.payer, tt.on, s.InNetwork, got, tt.want)
		}
	}
	err := f.update(func(tx *store.Tx) error {
		_, err := credentialing.InNetwork(tx, "nobody", f.aetna.ID, date(t, "2027-03-01"))
		return err
	})
	if practice.ErrorCode(err) != practice.ENotFound {
		t.Errorf("unknown clinician: %v, want ENotFound", err)
	}
}

func TestWaitlistAndMatchingUseTheRule(t *testing.T) {
	f := newFixture(t)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollInProcess, EffectiveOn: "2027-04-01"}, "")
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ben.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved, EffectiveOn: "2026-01-01"}, "")

	t.Run("MatchRanksInNetworkFirst", func(t *testing.T) {
		var got []calendar.ClinicianMatch
		f.must(func(tx *store.Tx) (err error) {
			got, err = f.svc.MatchClinicians(tx, calendar.Need{PayerID: f.aetna.ID, Telehealth: "any"}, f.office.ID, 53)
			return err
		})
		if len(got) != 2 || got[0].ClinicianID != f.ben.ID || !slices.Contains(got[0].Reasons, "In network with Aetna") ||
			!slices.Contains(got[1].Reasons, "Ana Ruiz is not in network with Aetna until 1 Apr 2027; application in process.") {
			t.Fatalf("matches %+v; want Ben (in network) before Ana, each with the reason", got)
		}
	})
	t.Run("FreedSlotOffersOnlyInNetworkEntries", func(t *testing.T) {
		var booked calendar.BookingResult
		f.must(func(tx *store.Tx) (err error) {
			booked, err = f.svc.Book(tx, f.owner, calendar.Booking{Appointment: f.session(f.noah, f.ana, "2027-02-16 10:00")})
			return err
		})
		insured := practice.WaitlistEntry{PatientID: f.maria.ID, PayerID: f.aetna.ID, Priority: 1}
		selfPay := practice.WaitlistEntry{PatientID: f.zoey.ID, Priority: 2}
		f.must(func(tx *store.Tx) error {
			if err := tx.SaveWaitlistEntry(&insured); err != nil {
				return err
			}
			return tx.SaveWaitlistEntry(&selfPay)
		})
		var res calendar.ChangeResult
		f.must(func(tx *store.Tx) (err error) {
			res, err = f.svc.SetStatus(tx, f.owner, calendar.StatusChange{ID: booked.Appointments[0].ID,
				Change: calendar.Change{To: practice.Cancelled, CancelledBy: practice.ByPatient, Reason: "Sick"}})
			return err
		})
		if len(res.Offers) != 1 || res.Offers[0].ID != selfPay.ID {
			t.Fatalf("offers %+v; want only the entry without Aetna (Ana is not in network with it on 16 Feb)", res.Offers)
		}
	})
}

func TestAlertsReachWhoMustAct(t *testing.T) {
	f := newFixture(t)
	// Today is 2027-02-10. Licence expiring 2027-03-05: Feb 10 → Feb 28 (18) → Mar 5 (23): the 30-day band.
	lic := f.credential(practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredLicence, State: "OR", Type: "LCSW", Number: "C1",
		Issued: "2025-03-05", Expires: "2027-03-05"})
	// CAQH attested 2026-10-01: Oct 1 → Jan 29 is 120 days (30+30+31+29); overdue by 12 days on Feb 10.
	caqh := f.credential(practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredCAQH, Number: "12345678", Issued: "2026-10-01"})
	// Ben's malpractice expires in 200 days: no band, no alert.
	f.credential(practice.Credential{ClinicianID: f.ben.ID, Kind: practice.CredMalpractice, Carrier: "CPH", Number: "MP-2", Expires: "2027-08-29"})
	e := f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ben.ID, PayerID: f.aetna.ID, Status: practice.EnrollInProcess,
		FollowUpOn: "2027-02-08", AssigneeID: f.sam.AccountID}, "Called, waiting")

	reg := &alerts.Registry{}
	reg.Add(credentialing.Alerts)
	mine := func(w alerts.Who) (keys, titles []string) {
		f.must(func(tx *store.Tx) error {
			list, err := reg.For(context.Background(), tx, f.now, w)
			for _, a := range list {
				keys, titles = append(keys, a.Key), append(titles, a.Title)
			}
			return err
		})
		return keys, titles
	}
	licKey, caqhKey, followKey := "credentialing/credentials/"+lic.ID+"/30", "credentialing/credentials/"+caqh.ID+"/expired",
		"credentialing/enrollments/"+e.ID+"/overdue"

	keys, titles := mine(alerts.Who{Role: practice.RoleOwner, AccountID: f.owner.AccountID})
	// Most severe first: the two overdue items (CAQH due 29 Jan before the follow-up of 8 Feb), then the licence.
	if !slices.Equal(keys, []string{caqhKey, followKey, licKey}) {
		t.Fatalf("owner's alerts %q; want %q", keys, []string{caqhKey, followKey, licKey})
	}
	wantTitles := []string{
		"Ana Ruiz's CAQH attestation was due 29 Jan 2027 (12 days ago)",
		"Follow up with Aetna on Ben Okafor's enrollment, due 8 Feb 2027 (2 days ago)",
		"Ana Ruiz's OR LCSW licence expires 5 Mar 2027 (in 23 days)",
	}
	if !slices.Equal(titles, wantTitles) {
		t.Errorf("titles %q;\nwant %q", titles, wantTitles)
	}
	if keys, _ := mine(alerts.Who{Role: practice.RoleClinician, AccountID: f.anaAc.AccountID, ClinicianID: f.ana.ID}); !slices.Equal(keys, []string{caqhKey, licKey}) {
		t.Errorf("Ana's alerts %q; want her CAQH and licence only", keys)
	}
	if keys, _ := mine(alerts.Who{Role: practice.RoleFrontDesk, AccountID: f.sam.AccountID}); !slices.Equal(keys, []string{followKey}) {
		t.Errorf("Sam's alerts %q; want the follow-up assigned to him only", keys)
	}
	if keys, _ := mine(alerts.Who{Role: practice.RoleClinician, AccountID: "ben-account", ClinicianID: f.ben.ID}); len(keys) != 0 {
		t.Errorf("Ben's alerts %q; want none (his malpractice is 200 days away; the follow-up is Sam's)", keys)
	}
}

func TestDashboard(t *testing.T) {
	f := newFixture(t)
	// Approved, in network from 1 March.
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved, EffectiveOn: "2027-03-01"}, "")
	f.credential(practice.Credential{ClinicianID: f.ana.ID, Kind: practice.CredLicence, State: "OR", Type: "LCSW", Number: "C1", Expires: "2028-03-05"})
	f.credential(practice.Credential{ClinicianID: f.ben.ID, Kind: practice.CredLicence, State: "OR", Type: "LPC", Number: "C2", Expires: "2028-03-05"})
	f.must(func(tx *store.Tx) error {
		return credentialing.SaveSettings(tx, f.owner, &practice.CredentialingSettings{ExpectedCents: map[string]int{f.aetna.ID: 12000}})
	})
	// María (Aetna) weekly with Ana on Mondays 15, 22 Feb, 1 and 8 Mar: the first two fall before 1 March.
	f.must(func(tx *store.Tx) error {
		a := f.session(f.maria, f.ana, "2027-02-15 10:00")
		_, err := f.svc.Book(tx, f.owner, calendar.Booking{Appointment: a,
			Recurrence: &practice.Recurrence{Frequency: practice.Weekly, Interval: 1, Weekdays: []int{1}, Count: 4}})
		return err
	})
	dash := func(by practice.Actor) credentialing.Overview {
		var o credentialing.Overview
		f.must(func(tx *store.Tx) (err error) { o, err = credentialing.Dashboard(tx, by); return err })
		return o
	}
	o := dash(f.owner)
	want := credentialing.Lapse{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, FirstDay: "2027-02-15", Sessions: 2, ExpectedCents: 12000, CostCents: 24000}
	if len(o.Lapses) != 1 || o.Lapses[0] != want {
		t.Fatalf("lapses %+v; want %+v", o.Lapses, want)
	}
	if o.Today != "2027-02-10" || o.CAQHDays != 120 || len(o.Credentials) != 2 || len(o.Enrollments) != 1 || len(o.Clinicians) != 2 {
		t.Errorf("overview today %s, cycle %d, %d credentials, %d enrollments, %d clinicians", o.Today, o.CAQHDays, len(o.Credentials), len(o.Enrollments), len(o.Clinicians))
	}

	t.Run("ClinicianSeesOwnOnly", func(t *testing.T) {
		benActor := practice.Actor{AccountID: "ben-account", ClinicianID: f.ben.ID, OwnCaseload: true}
		o := dash(benActor)
		if len(o.Credentials) != 1 || o.Credentials[0].Type != "LPC" || len(o.Enrollments) != 0 || len(o.Lapses) != 0 ||
			len(o.Clinicians) != 1 || o.Clinicians[0].ID != f.ben.ID || o.Settings.ExpectedCents != nil {
			t.Fatalf("Ben's overview %+v; want his own licence only", o)
		}
		err := f.update(func(tx *store.Tx) error {
			_, err := credentialing.History(tx, benActor, store.EnrollmentID(f.ana.ID, f.aetna.ID))
			return err
		})
		if practice.ErrorCode(err) != practice.EForbidden {
			t.Errorf("Ben reading Ana's enrollment history: %v, want EForbidden", err)
		}
	})
	t.Run("ApprovalClearsTheLapse", func(t *testing.T) {
		f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollApproved, EffectiveOn: "2027-02-15"}, "")
		if o := dash(f.owner); len(o.Lapses) != 0 {
			t.Fatalf("lapses after approval effective 15 Feb: %+v, want none", o.Lapses)
		}
	})
}

func TestHistoryKeepsEveryEntryInOrder(t *testing.T) {
	f := newFixture(t)
	e := f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollSent}, "Mailed the application")
	f.now = f.now.Add(time.Hour)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollSent, FollowUpOn: "2027-02-24"}, "")
	f.now = f.now.Add(time.Hour)
	f.enroll(f.owner, practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.aetna.ID, Status: practice.EnrollInProcess}, "Payer confirmed receipt")
	var list []practice.EnrollmentEvent
	f.must(func(tx *store.Tx) (err error) { list, err = credentialing.History(tx, f.anaAc, e.ID); return err })
	// The second save changed only the follow-up date, with no note: no entry.
	if len(list) != 2 || list[0].Note != "Mailed the application" || list[0].Status != practice.EnrollSent ||
		list[1].Note != "Payer confirmed receipt" || list[1].Status != practice.EnrollInProcess || list[0].By != "Olivia Owner" ||
		!list[1].At.Equal(f.now) {
		t.Fatalf("history %+v", list)
	}
	err := f.update(func(tx *store.Tx) error {
		return tx.AddEnrollmentEvent(&practice.EnrollmentEvent{EnrollmentID: "none", Note: "x"})
	})
	if practice.ErrorCode(err) != practice.ENotFound {
		t.Errorf("a note on no enrollment: %v, want ENotFound", err)
	}
}
