package app_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// changeCount reads how many change records the practice file holds,
// bypassing the store: bad input must not add any (audit entries aside: a
// wrong current password is a failed login, audited as login.failed).
func changeCount(t *testing.T, dir string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow("SELECT COUNT(*) FROM changes WHERE tbl NOT IN ('audit_log', 'audit_heads')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBadInputOnEveryForm submits each form with empty names, impossible
// dates, an invalid NPI, a 10,000-character field and control characters,
// and expects a specific per-field message and no write at all.
func TestBadInputOnEveryForm(t *testing.T) {
	e := newEnv(t)
	loc, err := e.Practice.SaveLocation(practice.Location{Name: "Main office", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	payer, err := e.Practice.SavePayer(practice.Payer{Name: "Evergreen Health", Kind: practice.PayerInsurance, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	clin, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Cleo", LastName: "Park", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	pat, err := e.Patients.Create(practice.Patient{Identity: practice.PatientIdentity{FirstName: "Ana", LastName: "Ruiz", DOB: "1990-05-01"}})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 10000)
	patient := func(mut func(*practice.Patient)) func() error {
		return func() error {
			p := pat.Patient
			mut(&p)
			_, err := e.Patients.Update(p)
			return err
		}
	}
	authorization := func(mut func(*practice.Authorization)) func() error {
		return func() error {
			a := practice.Authorization{PatientID: pat.Patient.ID, PayerID: payer.ID, Kind: practice.AuthEAP, Status: practice.AuthAuthorized,
				Unit: practice.UnitSessions, Requested: 6, Authorized: 6, Start: "2027-03-01", End: "2027-03-31"}
			mut(&a)
			_, err := e.Authorizations.Save(a)
			return err
		}
	}
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"authorization ending before it starts", "end", authorization(func(a *practice.Authorization) { a.End = "2027-02-28" })},
		{"authorization of zero sessions", "authorized", authorization(func(a *practice.Authorization) { a.Authorized = 0 })},
		{"authorization of negative units", "requested", authorization(func(a *practice.Authorization) { a.Unit, a.Requested = practice.Unit15Min, -8 })},
		{"authorization 10,000-character note", "notes", authorization(func(a *practice.Authorization) { a.Notes = long })},
		{"authorization impossible date", "start", authorization(func(a *practice.Authorization) { a.Start = "2027-02-30" })},
		// Ana Ruiz has no policy with Evergreen Health (the message names the payer, not her).
		{"authorization on a payer without a policy", "payerId", authorization(func(a *practice.Authorization) {})},
		{"settings empty name", "name", func() error { _, err := e.Practice.SaveSettings(practice.Settings{LockMinutes: 10}); return err }},
		{"settings invalid NPI", "npi", func() error {
			_, err := e.Practice.SaveSettings(practice.Settings{Name: "X", NPI: "1234567890", LockMinutes: 10})
			return err
		}},
		{"settings lock time zero", "lockMinutes", func() error { _, err := e.Practice.SaveSettings(practice.Settings{Name: "X"}); return err }},
		{"settings bad time zone", "timezone", func() error {
			_, err := e.Practice.SaveSettings(practice.Settings{Name: "X", Timezone: "Mars/Olympus", LockMinutes: 10})
			return err
		}},
		{"location empty name", "name", func() error { _, err := e.Practice.SaveLocation(practice.Location{Name: " "}); return err }},
		{"location bad ZIP", "address.zip", func() error {
			_, err := e.Practice.SaveLocation(practice.Location{Name: "B", Address: practice.Address{Zip: "9721"}})
			return err
		}},
		{"room without location", "locationId", func() error { _, err := e.Practice.SaveRoom(practice.Room{Name: "Room 1"}); return err }},
		{"room at unknown location", "locationId", func() error {
			_, err := e.Practice.SaveRoom(practice.Room{Name: "Room 1", LocationID: "no-such-id"})
			return err
		}},
		{"room control characters", "name", func() error {
			_, err := e.Practice.SaveRoom(practice.Room{Name: "Room\u00071", LocationID: loc.ID})
			return err
		}},
		{"clinician invalid NPI", "npi", func() error {
			_, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "A", LastName: "B", NPI: "1234567890"})
			return err
		}},
		{"clinician 10,000 characters", "lastName", func() error {
			_, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "A", LastName: long})
			return err
		}},
		{"clinician bad taxonomy", "taxonomy", func() error {
			_, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "A", LastName: "B", Taxonomy: "LCSW"})
			return err
		}},
		{"payer empty name", "name", func() error { _, err := e.Practice.SavePayer(practice.Payer{Kind: practice.PayerEAP}); return err }},
		{"payer unknown kind", "kind", func() error { _, err := e.Practice.SavePayer(practice.Payer{Name: "P", Kind: "cash"}); return err }},
		{"account bad username", "username", func() error {
			_, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "a b", DisplayName: "A", Role: practice.RoleBiller}, Password: "Maple-Harbor-7-Lantern"})
			return err
		}},
		{"account weak password", "password", func() error {
			_, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "ab", DisplayName: "A", Role: practice.RoleBiller}, Password: "short"})
			return err
		}},
		{"account no role", "role", func() error {
			_, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "ab", DisplayName: "A"}, Password: "Maple-Harbor-7-Lantern"})
			return err
		}},
		{"patient empty first name", "identity.firstName", patient(func(p *practice.Patient) { p.Identity.FirstName = "" })},
		{"patient impossible date", "identity.dob", patient(func(p *practice.Patient) { p.Identity.DOB = "2001-02-29" })},
		{"patient date in the future", "identity.dob", patient(func(p *practice.Patient) { p.Identity.DOB = "2099-01-01" })},
		{"patient 10,000 characters", "contact.address.line1", patient(func(p *practice.Patient) { p.Contact.Address.Line1 = long })},
		{"patient control characters", "identity.lastName", patient(func(p *practice.Patient) { p.Identity.LastName = "Ru\x1biz" })},
		{"patient bad phone", "contact.phone", patient(func(p *practice.Patient) { p.Contact.Phone = "call me" })},
		{"guardian phone without name", "guardian.name", patient(func(p *practice.Patient) { p.Guardian.Phone = "(503) 555-0100" })},
		{"policy without member ID", "memberId", func() error {
			_, err := e.Patients.SavePolicy(practice.InsurancePolicy{PatientID: pat.Patient.ID, PayerID: payer.ID, Rank: practice.RankPrimary})
			return err
		}},
		{"policy unknown payer", "payerId", func() error {
			_, err := e.Patients.SavePolicy(practice.InsurancePolicy{PatientID: pat.Patient.ID, PayerID: "nope", Rank: practice.RankPrimary, MemberID: "M1"})
			return err
		}},
		{"policy impossible subscriber date", "subscriber.dob", func() error {
			_, err := e.Patients.SavePolicy(practice.InsurancePolicy{PatientID: pat.Patient.ID, PayerID: payer.ID, Rank: practice.RankPrimary,
				MemberID: "M1", Subscriber: practice.Subscriber{DOB: "1980-13-01"}})
			return err
		}},
		{"appointment type empty name", "name", func() error {
			_, err := e.Calendar.SaveType(practice.AppointmentType{DurationMin: 50, ServiceCode: "90837", Color: "#3b82f6"})
			return err
		}},
		{"appointment type two-minute session", "durationMin", func() error {
			_, err := e.Calendar.SaveType(practice.AppointmentType{Name: "Intake", DurationMin: 2, ServiceCode: "90791", Color: "#3b82f6"})
			return err
		}},
		{"working hours ending before they start", "end", func() error {
			_, err := e.Calendar.SetHours(clin.ID, []practice.WorkingHours{{ClinicianID: clin.ID, LocationID: loc.ID, Weekday: 1, Start: "17:00", End: "09:00"}})
			return err
		}},
		{"working hours impossible time", "start", func() error {
			_, err := e.Calendar.SetHours(clin.ID, []practice.WorkingHours{{ClinicianID: clin.ID, LocationID: loc.ID, Weekday: 1, Start: "25:61", End: "17:00"}})
			return err
		}},
		{"waitlist impossible earliest time", "earliestTime", func() error {
			_, err := e.Calendar.SaveWaitlist(practice.WaitlistEntry{PatientID: pat.Patient.ID, EarliestTime: "9 o'clock", Telehealth: "any"})
			return err
		}},
		{"waitlist newcomer without a phone", "phone", func() error {
			_, err := e.Calendar.SaveWaitlist(practice.WaitlistEntry{Name: "New Caller", Telehealth: "any"})
			return err
		}},
		{"time off ending before it starts", "end", func() error {
			at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
			_, err := e.Calendar.SaveTimeOff(practice.TimeOff{ClinicianID: clin.ID, Kind: practice.TimeOffAway, Start: at, End: at.Add(-time.Hour)})
			return err
		}},
		// Billing: a negative charge (in the fee schedule, or typed as a
		// payment), a payment larger than the balance without a refund
		// reason, a malformed ICD-10 code, a 10,000-character note.
		{"fee schedule negative charge", "fees", func() error {
			_, err := e.Billing.SaveSettings(practice.BillingSettings{Fees: map[string]int{"90837": -16000}})
			return err
		}},
		{"billing taxonomy malformed", "taxonomy", func() error {
			_, err := e.Billing.SaveSettings(practice.BillingSettings{Taxonomy: "LCSW"})
			return err
		}},
		{"payer filing indicator unknown", "filingIndicator", func() error {
			_, err := e.Billing.SavePayer(practice.PayerBilling{PayerID: payer.ID, FilingIndicator: "XX", TimelyDays: 90})
			return err
		}},
		{"payment of a negative amount", "amountCents", func() error {
			_, err := e.Billing.Post(practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: pat.Patient.ID,
				AmountCents: -2500, On: "2027-03-01", Method: "cash"})
			return err
		}},
		{"payment larger than the balance without a refund reason", "amountCents", func() error {
			_, err := e.Billing.Post(practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: pat.Patient.ID,
				AmountCents: 2500, On: "2027-03-01", Method: "cash"})
			return err
		}},
		{"payment 10,000-character note", "note", func() error {
			_, err := e.Billing.Post(practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: pat.Patient.ID,
				AmountCents: 2500, On: "2027-03-01", Method: "cash", RefundReason: "credit", Note: long})
			return err
		}},
		{"copay of a negative amount", "amountCents", func() error {
			_, err := e.Billing.TakeCopay(billing.Copay{PatientID: pat.Patient.ID, AmountCents: -500, Method: "cash"})
			return err
		}},
		{"diagnosis malformed ICD-10", "list.0.code", func() error {
			_, err := e.Billing.SaveDiagnoses(practice.Diagnoses{PatientID: pat.Patient.ID, List: []practice.Diagnosis{{Code: "F4.11"}}})
			return err
		}},
		{"diagnoses 10,000-character note", "note", func() error {
			_, err := e.Billing.SaveDiagnoses(practice.Diagnoses{PatientID: pat.Patient.ID, List: []practice.Diagnosis{{Code: "F41.1"}}, Note: long})
			return err
		}},
		{"connect to an address without a port", "address", func() error { return e.Devices.ConnectAddress("192.168.1.20") }},
		{"connect to nothing", "address", func() error { return e.Devices.ConnectAddress("   ") }},
		{"password change too weak", "next", func() error { return e.Session.ChangePassword(ownerPassword, "abc") }},
		{"password change wrong current", "current", func() error {
			return e.Session.ChangePassword("not the password", "Maple-Harbor-7-Lantern")
		}},
	}
	before := changeCount(t, e.Dir)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pe := uiError(t, tc.call())
			if pe == nil || pe.Code != practice.EInvalid {
				t.Fatalf("got %+v, want an invalid-input error", pe)
			}
			if pe.Fields[tc.field] == "" {
				t.Fatalf("no message for field %q; fields: %v", tc.field, pe.Fields)
			}
		})
	}
	if after := changeCount(t, e.Dir); after != before {
		t.Fatalf("bad input wrote %d change records", after-before)
	}
}

// TestCreatePracticeBadInput: the first-run form reports each problem on
// its own field and creates no database file.
func TestCreatePracticeBadInput(t *testing.T) {
	e := openEnv(t, envOptions{})
	_, err := e.Session.CreatePractice(app.PracticeSetup{PracticeName: "", OwnerName: "\x00", Username: "x", Password: "password"})
	pe := uiError(t, err)
	if pe == nil || pe.Code != practice.EInvalid {
		t.Fatalf("got %+v", pe)
	}
	for _, f := range []string{"practiceName", "ownerName", "username", "password"} {
		if pe.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, pe.Fields)
		}
	}
	if e.DB.Exists() {
		t.Fatal("a practice was created from bad input")
	}
	if st, _ := e.Session.Status(); st.PracticeExists {
		t.Fatal("status claims a practice exists")
	}
}
