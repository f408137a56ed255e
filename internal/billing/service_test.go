package billing_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// npi makes a valid NPI from nine digits (the Luhn check digit over the
// 80840 prefix, worked out the way practice.ValidNPI checks it).
func npi(t *testing.T, first9 string) string {
	for d := '0'; d <= '9'; d++ {
		if practice.ValidNPI(first9 + string(d)) {
			return first9 + string(d)
		}
	}
	t.Fatalf("no check digit for %s", first9)
	return ""
}

// writer837 stands in for billing-rules' 837P writer until it is merged:
// it writes one line per claim, so the tests see what was exported.
type writer837 struct{ billing.Rules }

func (w writer837) Write837(b billing.ExportBatch) ([]byte, error) {
	var sb strings.Builder
	sb.WriteString("ISA*" + b.Control + "~")
	for _, c := range b.Claims {
		sb.WriteString("CLM*" + c.Claim.Number + "~")
	}
	return []byte(sb.String()), nil
}

// fixture is a practice in Chicago on Monday 8 March 2027: clinician Ana
// Ruiz (LCSW, in network with Blue Plan since 2026), Blue Plan (requires
// an authorization; video modifier 95), patient María González with a
// primary Blue Plan policy, an authorization B-7781 for 10 sessions in
// March, and a fee schedule: 90832 $100, 90834 $130, 90837 $160.
type fixture struct {
	t       *testing.T
	db      *store.DB
	clock   *clock
	zone    *time.Location
	svc     *billing.Service
	owner   practice.Actor
	biller  practice.Actor
	ana     practice.Clinician
	anaAct  practice.Actor
	ben     practice.Clinician
	therapy practice.AppointmentType
	office  practice.Location
	maria   practice.Patient
	blue    practice.Payer
	auth    practice.Authorization
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	zone, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, zone: zone, clock: &clock{}}
	f.svc = billing.NewService(authorizations.NewService(), writer837{billing.DefaultRules()})
	f.clock.Set(f.at("2027-03-08 08:00"))
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
		biller := practice.Account{Username: "bill", DisplayName: "Biller", Role: practice.RoleBiller}
		if err := tx.CreateAccount(&biller, "correct horse battery staple"); err != nil {
			return err
		}
		f.biller = practice.Actor{AccountID: biller.ID}
		settings := practice.Settings{Name: "Test Practice", Timezone: "America/Chicago", LockMinutes: 10, Policy: practice.DefaultCalendarPolicy,
			NPI: npi(t, "123456789"), TaxID: "12-3456789", Phone: "(312) 555-0100",
			Address: practice.Address{Line1: "1 Main St", City: "Chicago", State: "IL", Zip: "60601-1234"}}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		bs := practice.BillingSettings{Taxonomy: "261QM0801X", Fees: map[string]int{"90832": 10000, "90834": 13000, "90837": 16000, "90791": 20000}}
		if err := tx.SaveBillingSettings(&bs); err != nil {
			return err
		}
		f.office = practice.Location{Name: "Main Street", Active: true}
		if err := tx.SaveLocation(&f.office); err != nil {
			return err
		}
		f.ana = practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Credentials: "LCSW", NPI: npi(t, "198765432"), Taxonomy: "1041C0700X", Active: true}
		f.ben = practice.Clinician{FirstName: "Ben", LastName: "Okafor", Active: true}
		for _, c := range []*practice.Clinician{&f.ana, &f.ben} {
			if err := tx.SaveClinician(c); err != nil {
				return err
			}
		}
		f.anaAct = practice.Actor{AccountID: "ana-account", ClinicianID: f.ana.ID, OwnCaseload: true}
		f.therapy = practice.AppointmentType{Name: "Individual therapy", DurationMin: 53, ServiceCode: "90837", TelehealthAllowed: true, Active: true}
		if err := tx.SaveAppointmentType(&f.therapy); err != nil {
			return err
		}
		f.blue = practice.Payer{Name: "Blue Plan", PayerID: "BLUE1", Kind: practice.PayerInsurance, Active: true}
		if err := tx.SavePayer(&f.blue); err != nil {
			return err
		}
		if err := tx.SavePayerAuthRules(&practice.PayerAuthRules{PayerID: f.blue.ID, RequiresAuth: true, Enforcement: practice.EnforceWarn}); err != nil {
			return err
		}
		e := practice.Enrollment{ClinicianID: f.ana.ID, PayerID: f.blue.ID, Status: practice.EnrollApproved, EffectiveOn: "2026-01-01"}
		if err := tx.SaveEnrollment(&e); err != nil {
			return err
		}
		f.maria = practice.Patient{Identity: practice.PatientIdentity{FirstName: "María", LastName: "González", DOB: "1990-05-01", Sex: "F"},
			Contact: practice.PatientContact{Address: practice.Address{Line1: "5 Elm St", City: "Chicago", State: "IL", Zip: "60602"}}, Active: true}
		if err := tx.CreatePatient(&f.maria); err != nil {
			return err
		}
		pol := practice.InsurancePolicy{PatientID: f.maria.ID, PayerID: f.blue.ID, Rank: practice.RankPrimary, MemberID: "XYZ123456"}
		if err := tx.SavePolicy(&pol); err != nil {
			return err
		}
		f.auth = practice.Authorization{PatientID: f.maria.ID, PayerID: f.blue.ID, Kind: practice.AuthPrior, Status: practice.AuthAuthorized,
			Unit: practice.UnitSessions, Requested: 10, Authorized: 10, Start: "2027-03-01", End: "2027-03-31", Number: "B-7781"}
		return tx.SaveAuthorization(&f.auth)
	})
	if err != nil {
		t.Fatal(err)
	}
	f.update(func(tx *store.Tx) error {
		_, err := f.svc.SaveDiagnoses(tx, f.biller, practice.Diagnoses{PatientID: f.maria.ID, List: []practice.Diagnosis{{Code: "F41.1"}, {Code: "f4310"}}})
		return err
	})
	return f
}

func (f *fixture) at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, f.zone)
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}

func (f *fixture) update(fn func(tx *store.Tx) error) {
	f.t.Helper()
	if err := f.db.Update(context.Background(), fn); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) try(fn func(tx *store.Tx) error) error {
	return f.db.Update(context.Background(), fn)
}

// session books a completed session at start lasting minutes (its actual
// times recorded), in the office or by telehealth.
func (f *fixture) session(start string, minutes int, telehealth bool) practice.Appointment {
	f.t.Helper()
	at := f.at(start)
	a := practice.Appointment{PatientID: f.maria.ID, ClinicianID: f.ana.ID, TypeID: f.therapy.ID, Start: at, End: at.Add(53 * time.Minute),
		Status: practice.Completed, ActualStart: at, ActualEnd: at.Add(time.Duration(minutes) * time.Minute), Telehealth: telehealth}
	if !telehealth {
		a.LocationID = f.office.ID
	}
	f.update(func(tx *store.Tx) error { return tx.SaveAppointment(&a) })
	return a
}

func (f *fixture) batch(ids ...string) billing.BatchResult {
	f.t.Helper()
	var res billing.BatchResult
	f.update(func(tx *store.Tx) (err error) { res, err = f.svc.CreateBatch(tx, f.biller, ids); return err })
	return res
}

func errorsOf(v billing.ClaimView) []string {
	var out []string
	for _, x := range v.Findings {
		if x.Severity == billing.SevError {
			out = append(out, x.Field+": "+x.Message)
		}
	}
	return out
}

func TestBatchCodesEachSessionFromItsActualMinutes(t *testing.T) {
	f := newFixture(t)
	a := f.session("2027-03-01 09:00", 37, false)
	b := f.session("2027-03-02 09:00", 38, false)
	c := f.session("2027-03-03 09:00", 53, false)
	short := f.session("2027-03-04 09:00", 15, false)
	var unbilled []billing.Unbilled
	f.update(func(tx *store.Tx) (err error) {
		unbilled, err = f.svc.Unbilled(tx, f.biller, "2027-03-01", "2027-03-07")
		return err
	})
	if len(unbilled) != 4 {
		t.Fatalf("unbilled: %d sessions, want 4", len(unbilled))
	}
	res := f.batch(a.ID, b.ID, c.ID, short.ID)
	if len(res.Claims) != 1 || len(res.Skipped) != 1 || res.Skipped[0].AppointmentID != short.ID {
		t.Fatalf("batch: %d claims, skipped %+v; want one claim and the 15-minute session skipped", len(res.Claims), res.Skipped)
	}
	v := res.Claims[0]
	var codes []string
	for _, l := range v.Claim.Content.Lines {
		codes = append(codes, l.Code+"/"+l.POS)
	}
	if got := strings.Join(codes, " "); got != "90832/11 90834/11 90837/11" {
		t.Fatalf("codes %s, want 90832/11 90834/11 90837/11", got)
	}
	// $100 + $130 + $160, from the fee schedule.
	if v.TotalCents != 39000 {
		t.Fatalf("total %d, want 39000", v.TotalCents)
	}
	if v.Claim.Content.AuthNumber != "B-7781" || v.Claim.Content.MemberID != "XYZ123456" {
		t.Fatalf("authorization %q, member %q", v.Claim.Content.AuthNumber, v.Claim.Content.MemberID)
	}
	if got := v.Claim.Content.Diagnoses; len(got) != 2 || got[0].Code != "F41.1" || got[1].Code != "F43.10" {
		t.Fatalf("diagnoses %+v, want F41.1 then F43.10", got)
	}
	if e := errorsOf(v); len(e) != 0 {
		t.Fatalf("a clean claim has errors: %q", e)
	}
	if !strings.HasSuffix(v.Claim.Number, "-1") {
		t.Fatalf("first claim number %q, want this machine's prefix and 1", v.Claim.Number)
	}
	// Billed sessions leave the unbilled list; billing them again is skipped.
	f.update(func(tx *store.Tx) (err error) {
		unbilled, err = f.svc.Unbilled(tx, f.biller, "2027-03-01", "2027-03-07")
		return err
	})
	if len(unbilled) != 1 || unbilled[0].AppointmentID != short.ID {
		t.Fatalf("after the batch, unbilled %+v; want only the 15-minute session", unbilled)
	}
	again := f.batch(a.ID)
	if len(again.Claims) != 0 || len(again.Skipped) != 1 {
		t.Fatalf("billing a session twice: %+v", again)
	}
}

func TestScrubberChecksValuesAndNamesTheFix(t *testing.T) {
	f := newFixture(t)
	tele := f.session("2027-03-01 09:00", 45, true)
	// No authorization number on the claim: the authorization was recorded
	// without one.
	f.update(func(tx *store.Tx) error {
		a, err := tx.Authorization(f.auth.ID)
		if err != nil {
			return err
		}
		a.Number = ""
		if err := tx.SaveAuthorization(&a); err != nil {
			return err
		}
		c, err := tx.Clinician(f.ana.ID)
		if err != nil {
			return err
		}
		c.NPI, c.Taxonomy = "", "" // no NPI nor taxonomy (mistyped ones are refused when saved)
		return tx.SaveClinician(&c)
	})
	v := f.batch(tele.ID).Claims[0]
	got := strings.Join(errorsOf(v), "\n")
	for _, want := range []string{"clinician.npi: Ana Ruiz's NPI is missing", "clinician.taxonomy: Ana Ruiz's taxonomy code is missing or malformed", "authNumber: Blue Plan requires an authorization number"} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
	// 45 minutes by video at home: 90834, POS 10, modifier 95.
	l := v.Claim.Content.Lines[0]
	if l.Code != "90834" || l.POS != "10" || strings.Join(l.Modifiers, ",") != "95" {
		t.Fatalf("telehealth line %s POS %s modifiers %v, want 90834 10 [95]", l.Code, l.POS, l.Modifiers)
	}
	var fix billing.Finding
	for _, x := range v.Findings {
		if x.Field == "authNumber" {
			fix = x
		}
	}
	if fix.FixIn != "claim" || !strings.Contains(fix.Fix, "Enter the authorization number") {
		t.Fatalf("the missing authorization's fix: %+v", fix)
	}
	// Export is refused while errors remain, and writes nothing.
	err := f.try(func(tx *store.Tx) error { _, err := f.svc.Export837(tx, f.biller, []string{v.Claim.ID}); return err })
	if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), "1 of the 1 claims have errors") {
		t.Fatalf("export with errors: %v", err)
	}
	// Fix: the NPI, and the number typed on the claim; a wrong number is
	// caught against the authorization covering the date.
	f.update(func(tx *store.Tx) error {
		c, _ := tx.Clinician(f.ana.ID)
		c.NPI, c.Taxonomy = f.ana.NPI, f.ana.Taxonomy
		if err := tx.SaveClinician(&c); err != nil {
			return err
		}
		a, _ := tx.Authorization(f.auth.ID)
		a.Number = "B-7781"
		return tx.SaveAuthorization(&a)
	})
	f.update(func(tx *store.Tx) (err error) {
		v, err = f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: v.Claim.ID, AuthNumber: "B-7718"})
		return err
	})
	if got := strings.Join(errorsOf(v), "\n"); !strings.Contains(got, "does not match the one covering 2027-03-01 (B-7781)") {
		t.Fatalf("a mistyped authorization number: %s", got)
	}
	f.update(func(tx *store.Tx) (err error) {
		v, err = f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: v.Claim.ID, AuthNumber: "B-7781"})
		return err
	})
	if e := errorsOf(v); len(e) != 0 {
		t.Fatalf("after the fixes: %q", e)
	}
	// An override to 90837 for 45 minutes is caught (minutes vs code), and
	// an office modifier on a telehealth line is the payer's to decide.
	f.update(func(tx *store.Tx) (err error) {
		v, err = f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: v.Claim.ID, AuthNumber: "B-7781",
			Lines: []practice.LineEdit{{Code: "90837", Modifiers: []string{"GT"}, Pointers: []int{1}, OverrideReason: "test"}}})
		return err
	})
	got = strings.Join(errorsOf(v), "\n")
	for _, want := range []string{"lines.0.code", "Blue Plan does not take modifier GT", "wants modifier 95"} {
		if !strings.Contains(got, want) {
			t.Errorf("after a bad override, findings lack %q:\n%s", want, got)
		}
	}
}

// exported makes and exports one claim for sessions of the given minutes.
func (f *fixture) exported(starts ...string) billing.ClaimView {
	f.t.Helper()
	var ids []string
	for _, s := range starts {
		ids = append(ids, f.session(s, 53, false).ID)
	}
	v := f.batch(ids...).Claims[0]
	f.update(func(tx *store.Tx) error { _, err := f.svc.Export837(tx, f.biller, []string{v.Claim.ID}); return err })
	f.update(func(tx *store.Tx) (err error) { v, err = f.svc.Claim(tx, f.biller, v.Claim.ID); return err })
	return v
}

func TestExportFreezesTheClaimAndPostsItsCharges(t *testing.T) {
	f := newFixture(t)
	v := f.exported("2027-03-01 09:00", "2027-03-02 09:00")
	if v.Claim.Status != practice.ClaimExported || v.ExportedAt == "" {
		t.Fatalf("status %s exported at %q", v.Claim.Status, v.ExportedAt)
	}
	// Two lines of $160: charges in the ledger, owed by the payer.
	if v.Balance.ChargedCents != 32000 || v.Balance.InsuranceCents != 32000 || len(v.Entries) != 2 {
		t.Fatalf("after export: %+v, %d entries", v.Balance, len(v.Entries))
	}
	err := f.try(func(tx *store.Tx) error {
		_, err := f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: v.Claim.ID, AuthNumber: "X"})
		return err
	})
	if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), "never changed") {
		t.Fatalf("editing an exported claim: %v", err)
	}
	// A replacement carries what was sent, frequency 7, and its export
	// takes the original's charges back (CR-129) and posts its own.
	var r billing.ClaimView
	f.update(func(tx *store.Tx) (err error) {
		r, err = f.svc.Correct(tx, f.biller, v.Claim.ID, practice.FreqReplacement)
		return err
	})
	if r.Claim.Frequency != "7" || r.Claim.ReplacesID != v.Claim.ID || r.TotalCents != 32000 || r.Claim.Status != practice.ClaimDraft {
		t.Fatalf("replacement: %+v", r.Claim)
	}
	f.update(func(tx *store.Tx) error {
		_, err := f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: r.Claim.ID, AuthNumber: "B-7781", OriginalRef: "PAYER-CLM-1"})
		return err
	})
	f.update(func(tx *store.Tx) error { _, err := f.svc.Export837(tx, f.biller, []string{r.Claim.ID}); return err })
	f.update(func(tx *store.Tx) (err error) { v, err = f.svc.Claim(tx, f.biller, v.Claim.ID); return err })
	if v.Balance.InsuranceCents != 0 || v.Balance.AdjustedCents != 32000 {
		t.Fatalf("the original after its replacement: %+v", v.Balance)
	}
	// A void of the replacement takes its charges back and posts none.
	var void billing.ClaimView
	f.update(func(tx *store.Tx) (err error) {
		void, err = f.svc.Correct(tx, f.biller, r.Claim.ID, practice.FreqVoid)
		return err
	})
	f.update(func(tx *store.Tx) error {
		_, err := f.svc.Edit(tx, f.biller, practice.ClaimEdit{ClaimID: void.Claim.ID, AuthNumber: "B-7781", OriginalRef: "PAYER-CLM-2"})
		return err
	})
	f.update(func(tx *store.Tx) error { _, err := f.svc.Export837(tx, f.biller, []string{void.Claim.ID}); return err })
	f.update(func(tx *store.Tx) (err error) { r, err = f.svc.Claim(tx, f.biller, r.Claim.ID); return err })
	if r.Balance.ChargedCents != 32000 || r.Balance.InsuranceCents != 0 || r.Balance.AdjustedCents != 32000 {
		t.Fatalf("the replacement after its void: %+v", r.Balance)
	}
	f.update(func(tx *store.Tx) (err error) { void, err = f.svc.Claim(tx, f.biller, void.Claim.ID); return err })
	if void.Balance.ChargedCents != 0 || len(void.Entries) != 0 {
		t.Fatalf("the void posted entries: %+v, %d entries", void.Balance, len(void.Entries))
	}
}

func TestPaymentsDenialsAndDerivedBalances(t *testing.T) {
	f := newFixture(t)
	v := f.exported("2027-03-01 09:00", "2027-03-02 09:00") // two lines of $160
	post := func(e practice.Entry) error {
		e.PatientID = f.maria.ID
		if e.On == "" {
			e.On = "2027-03-20"
		}
		return f.try(func(tx *store.Tx) error { _, err := f.svc.Post(tx, f.biller, e); return err })
	}
	ins := func(kind practice.EntryKind, line, cents int, group, reason string) practice.Entry {
		return practice.Entry{Kind: kind, Party: practice.PartyInsurance, ClaimID: v.Claim.ID, Line: line, AmountCents: cents, GroupCode: group, ReasonCode: reason}
	}
	// Line 1: paid $90, CO-45 $35 contractual, PR-3 $25 copay → the payer owes $10.
	for _, e := range []practice.Entry{ins(practice.EntryPayment, 1, 9000, "", ""), ins(practice.EntryAdjustment, 1, 3500, "CO", "45"),
		ins(practice.EntryPatientResp, 1, 2500, "PR", "3")} {
		if err := post(e); err != nil {
			t.Fatalf("posting %s: %v", e.Kind, err)
		}
	}
	// Line 2: denied (CO-197, no authorization) for the whole $160.
	if err := post(ins(practice.EntryDenial, 2, 16000, "CO", "197")); err != nil {
		t.Fatal(err)
	}
	f.update(func(tx *store.Tx) (err error) { v, err = f.svc.Claim(tx, f.biller, v.Claim.ID); return err })
	// 32000 − 9000 − 3500 − 2500 = 17000 from the payer (10 on line 1 + 160 denied on line 2); 2500 from the patient.
	if v.Balance.InsuranceCents != 17000 || v.Balance.PatientCents != 2500 || v.Balance.DeniedCents != 16000 || v.Claim.Status != practice.ClaimPartiallyPaid {
		t.Fatalf("after the remittance: %+v status %s", v.Balance, v.Claim.Status)
	}
	countEntries := func() int {
		var n int
		f.update(func(tx *store.Tx) error {
			list, err := tx.Entries(store.EntryFilter{ClaimIDs: []string{v.Claim.ID}})
			n = len(list)
			return err
		})
		return n
	}
	before := countEntries()
	for _, tc := range []struct {
		name string
		e    practice.Entry
		want string
	}{
		{"negative", ins(practice.EntryPayment, 1, -500, "", ""), "cannot be negative"},
		{"overpayment", ins(practice.EntryPayment, 1, 1500, "", ""), "more than the $10.00 the payer still owes on line 1"},
		{"denial above the charge", ins(practice.EntryDenial, 1, 16001, "CO", "50"), "more than the $160.00 charged"},
		{"bad CARC", ins(practice.EntryAdjustment, 1, 100, "XX", "45"), "adjustment group"},
		{"patient overpays", practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, ClaimID: v.Claim.ID, AmountCents: 3000, Method: "card"},
			"more than the $25.00 the patient still owes"},
		{"a charge typed in", practice.Entry{Kind: practice.EntryCharge, Party: practice.PartyPatient, AmountCents: 100}, "Charges are posted when"},
		{"long note", practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, AmountCents: 100, Method: "cash", Note: strings.Repeat("x", 10000)},
			"Too long"},
	} {
		err := post(tc.e)
		if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err)+fieldsOf(err), tc.want) {
			t.Errorf("%s: %v (%s), want %q", tc.name, err, fieldsOf(err), tc.want)
		}
	}
	if n := countEntries(); n != before {
		t.Fatalf("refused entries wrote %d", n-before)
	}
	// With a refund reason the patient's overpayment is kept as a credit
	// of $5, and refunding it brings the balance to zero.
	if err := post(practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, ClaimID: v.Claim.ID, AmountCents: 3000, Method: "card",
		RefundReason: "paid twice at the desk"}); err != nil {
		t.Fatal(err)
	}
	if err := post(practice.Entry{Kind: practice.EntryRefund, Party: practice.PartyPatient, ClaimID: v.Claim.ID, AmountCents: 500, Method: "card"}); err != nil {
		t.Fatal(err)
	}
	var acct billing.Account
	f.update(func(tx *store.Tx) (err error) { acct, err = f.svc.Account(tx, f.biller, f.maria.ID); return err })
	if acct.Balance.PatientCents != 0 || acct.Balance.InsuranceCents != 17000 || acct.Balance.PaidCents != 9000+3000-500 {
		t.Fatalf("account: %+v", acct.Balance)
	}
	// The claims list sums the same entries in SQL: the payer's $170 and
	// the patient's $25 − $30 + $5.
	var rows []billing.ClaimRow
	f.update(func(tx *store.Tx) (err error) {
		rows, err = f.svc.Claims(tx, f.biller, billing.ClaimFilter{})
		return err
	})
	if len(rows) != 1 || rows[0].ID != v.Claim.ID || rows[0].OwedCents != 17000 {
		t.Fatalf("claims list: %+v", rows)
	}
}

// TestClaimsListKeepsDraftsAndTheNewest: bounded, the list still holds
// every draft (a batch and an export work on them) and only the newest of
// the claims sent.
func TestClaimsListKeepsDraftsAndTheNewest(t *testing.T) {
	f := newFixture(t)
	sent := []billing.ClaimView{f.exported("2027-03-01 09:00"), f.exported("2027-03-02 09:00"), f.exported("2027-03-03 09:00")}
	drafts := f.batch(f.session("2027-03-04 09:00", 53, false).ID, f.session("2027-03-05 09:00", 53, false).ID).Claims
	if len(drafts) != 1 {
		t.Fatalf("the batch made %d claims, want the patient's one", len(drafts))
	}
	list := func(newest int) []string {
		var rows []billing.ClaimRow
		f.update(func(tx *store.Tx) (err error) {
			rows, err = f.svc.Claims(tx, f.biller, billing.ClaimFilter{Newest: newest})
			return err
		})
		var ids []string
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
		return ids
	}
	// Newest first: the draft, then the claims sent, last made first.
	all := []string{drafts[0].Claim.ID, sent[2].Claim.ID, sent[1].Claim.ID, sent[0].Claim.ID}
	if got := list(0); !slices.Equal(got, all) {
		t.Fatalf("every claim: %v, want %v", got, all)
	}
	if got := list(1); !slices.Equal(got, all[:2]) {
		t.Fatalf("the newest one besides drafts: %v, want %v", got, all[:2])
	}
}

func fieldsOf(err error) string {
	if pe, ok := err.(*practice.Error); ok {
		var sb strings.Builder
		for k, v := range pe.Fields {
			sb.WriteString(k + ": " + v + "; ")
		}
		return sb.String()
	}
	return ""
}

func TestDiagnosesAreCheckedAndClinicianReachesOwnPatientsOnly(t *testing.T) {
	f := newFixture(t)
	save := func(by practice.Actor, d practice.Diagnoses) error {
		return f.try(func(tx *store.Tx) error { _, err := f.svc.SaveDiagnoses(tx, by, d); return err })
	}
	err := save(f.biller, practice.Diagnoses{PatientID: f.maria.ID, List: []practice.Diagnosis{{Code: "41.1F"}}})
	if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(fieldsOf(err), "list.0.code") {
		t.Fatalf("a malformed code: %v %s", err, fieldsOf(err))
	}
	var thirteen []practice.Diagnosis
	for _, c := range []string{"F32.0", "F32.1", "F32.2", "F32.3", "F32.4", "F32.5", "F33.0", "F33.1", "F33.2", "F33.3", "F41.0", "F41.1", "F43.10"} {
		thirteen = append(thirteen, practice.Diagnosis{Code: c})
	}
	if err := save(f.biller, practice.Diagnoses{PatientID: f.maria.ID, List: thirteen}); practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("13 diagnoses: %v", err)
	}
	// Ana has no session with María yet: not her patient.
	if err := save(f.anaAct, practice.Diagnoses{PatientID: f.maria.ID, List: []practice.Diagnosis{{Code: "F41.1"}}}); practice.ErrorCode(err) != practice.EForbidden {
		t.Fatalf("a clinician's diagnosis for someone else's patient: %v", err)
	}
	f.session("2027-03-01 09:00", 53, false)
	if err := save(f.anaAct, practice.Diagnoses{PatientID: f.maria.ID, List: []practice.Diagnosis{{Code: "F33.1"}}}); err != nil {
		t.Fatalf("a clinician's diagnosis for her own patient: %v", err)
	}
	var v billing.DiagnosesView
	f.update(func(tx *store.Tx) (err error) { v, err = f.svc.Diagnoses(tx, f.biller, f.maria.ID); return err })
	if len(v.Diagnoses.List) != 1 || v.Diagnoses.List[0].Code != "F33.1" {
		t.Fatalf("diagnoses read back: %+v", v)
	}
}

// TestExportWritesThe837P: the shipped rules write the file — CLM02 is the
// sum of the lines ($160 + $160), the authorization goes on REF*G1, the
// diagnoses on HI without their dot, and SE counts the segments from ST.
func TestExportWritesThe837P(t *testing.T) {
	f := newFixture(t)
	f.svc = billing.NewService(authorizations.NewService(), billing.DefaultRules())
	var ids []string
	for _, s := range []string{"2027-03-01 09:00", "2027-03-02 09:00"} {
		ids = append(ids, f.session(s, 53, false).ID)
	}
	v := f.batch(ids...).Claims[0]
	var out billing.Exported
	f.update(func(tx *store.Tx) (err error) {
		out, err = f.svc.Export837(tx, f.biller, []string{v.Claim.ID})
		return err
	})
	segs := strings.Split(strings.TrimSpace(string(out.Data)), "~")
	find := func(prefix string) string {
		for _, s := range segs {
			if strings.HasPrefix(strings.TrimSpace(s), prefix) {
				return strings.TrimSpace(s)
			}
		}
		t.Fatalf("no %s segment in:\n%s", prefix, out.Data)
		return ""
	}
	if clm := find("CLM*"); !strings.HasPrefix(clm, "CLM*"+v.Claim.Number+"*320*") {
		t.Errorf("CLM: %s, want %s and 320", clm, v.Claim.Number)
	}
	if ref := find("REF*G1*"); ref != "REF*G1*B-7781" {
		t.Errorf("prior authorization: %s", ref)
	}
	if hi := find("HI*"); !strings.Contains(hi, "ABK:F411") || !strings.Contains(hi, "ABF:F4310") {
		t.Errorf("diagnoses: %s", hi)
	}
	st, se := -1, -1
	for i, s := range segs {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "ST*") {
			st = i
		}
		if strings.HasPrefix(s, "SE*") {
			se = i
			if want := strconv.Itoa(se - st + 1); strings.Split(s, "*")[1] != want {
				t.Errorf("SE counts %s segments, want %s", strings.Split(s, "*")[1], want)
			}
		}
	}
	if st < 0 || se < 0 {
		t.Fatalf("no ST/SE in:\n%s", out.Data)
	}
}
