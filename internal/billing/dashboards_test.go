package billing_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestDashboardsOnAHandBuiltLedger checks every dashboard table against
// numbers worked out by hand (in the comments) on a ledger written entry by
// entry, as of Monday 8 March 2027 in Chicago: the aging buckets at their
// boundaries (30/31, 90/91, 120/121 days), a patient's balance aged from
// their oldest charge, denials by payer and reason, the monthly tables'
// 24-month window, fees and what of them is still owed, claims by status,
// and unbilled sessions by the practice's local month.
func TestDashboardsOnAHandBuiltLedger(t *testing.T) {
	f := newFixture(t)
	maria := f.maria.ID
	const tom, lee = "patient-tom", "patient-lee"
	aetna := practice.Payer{Name: "Aetna", PayerID: "AETNA1", Kind: practice.PayerInsurance, Active: true}
	f.update(func(tx *store.Tx) error { return tx.SavePayer(&aetna) })
	blue := f.blue.ID

	// Sessions: s1 (2 March) and s3 (31 December at 23:30, January in UTC)
	// are on no claim; s2 is on a draft, s5 only on a void; s6 is before
	// the 24 months; s4 was not completed.
	f.session("2027-03-02 10:00", 53, false)
	s2 := f.session("2027-02-26 10:00", 53, false)
	f.session("2026-12-31 23:00", 53, false)
	s5 := f.session("2027-01-15 10:00", 53, false)
	f.session("2025-03-14 10:00", 53, false)
	s4 := practice.Appointment{PatientID: maria, ClinicianID: f.ana.ID, TypeID: f.therapy.ID, Start: f.at("2027-03-03 10:00"),
		End: f.at("2027-03-03 10:53"), Status: practice.Scheduled, LocationID: f.office.ID}
	f.update(func(tx *store.Tx) error { return tx.SaveAppointment(&s4) })

	claim := func(patient, payer, freq string, status practice.ClaimStatus, appts ...string) string {
		c := practice.Claim{PatientID: patient, PayerID: payer, ClinicianID: f.ana.ID, Frequency: freq, AppointmentIDs: appts}
		f.update(func(tx *store.Tx) error {
			if err := tx.CreateClaim(&c, ""); err != nil {
				return err
			}
			if status != practice.ClaimDraft {
				return tx.SetClaimStatus(c.ID, status)
			}
			return nil
		})
		return c.ID
	}
	a := claim(maria, blue, practice.FreqOriginal, practice.ClaimPartiallyPaid)
	b := claim(tom, aetna.ID, practice.FreqOriginal, practice.ClaimDenied)
	claim(maria, blue, practice.FreqOriginal, practice.ClaimDraft, s2.ID)
	claim(maria, blue, practice.FreqVoid, practice.ClaimDraft, s5.ID)

	type e = practice.Entry
	ins := func(kind practice.EntryKind, claimID string, line int, patient, payer string, cents int, on string) e {
		return e{Kind: kind, Party: practice.PartyInsurance, ClaimID: claimID, Line: line, PatientID: patient, PayerID: payer, AmountCents: cents, On: on}
	}
	charge := func(claimID string, line int, patient, payer string, cents, expected int, on string) e {
		x := ins(practice.EntryCharge, claimID, line, patient, payer, cents, on)
		x.ExpectedCents = expected
		return x
	}
	coded := func(x e, group, reason string) e { x.GroupCode, x.ReasonCode = group, reason; return x }
	pat := func(kind practice.EntryKind, patient, appt string, cents int, on string) e {
		return e{Kind: kind, Party: practice.PartyPatient, PatientID: patient, AppointmentID: appt, AmountCents: cents, On: on, Method: "card"}
	}
	ledger := []e{
		// Claim A (Blue), line 1 of 1 March: $160 charged, $110 expected;
		// paid $90, CO-45 $35, PR-3 $25 → Blue owes $10, 7 days old.
		charge(a, 1, maria, blue, 16000, 11000, "2027-03-01"),
		ins(practice.EntryPayment, a, 1, maria, blue, 9000, "2027-03-05"),
		coded(ins(practice.EntryAdjustment, a, 1, maria, blue, 3500, "2027-03-05"), "CO", "45"),
		coded(ins(practice.EntryPatientResp, a, 1, maria, blue, 2500, "2027-03-05"), "PR", "3"),
		// Line 2 of 20 January: $160 denied CO-197 → owed, 47 days old.
		charge(a, 2, maria, blue, 16000, 11000, "2027-01-20"),
		coded(ins(practice.EntryDenial, a, 2, maria, blue, 16000, "2027-02-10"), "CO", "197"),
		// Claim B (Aetna, Tom): line 1 paid in full; line 2 denied CO-50,
		// 158 days old; line 3 unpaid, 78 days old.
		charge(b, 1, tom, aetna.ID, 13000, 9000, "2026-11-02"),
		ins(practice.EntryPayment, b, 1, tom, aetna.ID, 9000, "2026-12-01"),
		coded(ins(practice.EntryAdjustment, b, 1, tom, aetna.ID, 4000, "2026-12-01"), "CO", "45"),
		charge(b, 2, tom, aetna.ID, 13000, 9000, "2026-10-01"),
		coded(ins(practice.EntryDenial, b, 2, tom, aetna.ID, 13000, "2026-11-15"), "CO", "50"),
		charge(b, 3, tom, aetna.ID, 10000, 7000, "2026-12-20"),
		// Lines on claims the practice no longer holds (history): Blue's
		// of 2024 (before the monthly tables) part paid, $60 left.
		charge("h-old", 1, maria, blue, 20000, 14000, "2024-01-10"),
		ins(practice.EntryPayment, "h-old", 1, maria, blue, 14000, "2024-02-01"),
		// The buckets' edges: 30 days (0–30), 31 (31–60), 90 (61–90),
		// 91 (91–120), 120 (91–120), 121 (120+).
		charge("h-30", 1, maria, blue, 5000, 3500, "2027-02-06"),
		coded(ins(practice.EntryDenial, "h-30", 1, maria, blue, 5000, "2027-03-01"), "CO", "197"),
		charge("h-31", 1, tom, aetna.ID, 7000, 5000, "2027-02-05"),
		charge("h-90", 1, tom, aetna.ID, 1000, 0, "2026-12-08"),
		charge("h-91", 1, tom, aetna.ID, 2000, 0, "2026-12-07"),
		charge("h-120", 1, maria, blue, 3000, 0, "2026-11-08"),
		charge("h-121", 1, maria, blue, 4000, 0, "2026-11-07"),
		// María: $25 moved to her (5 March), paid $10 (6 March); a $50
		// no-show fee of 1 February, $20 of it paid → she owes $45, aged
		// from 1 February (35 days).
		pat(practice.EntryPayment, maria, "", 1000, "2027-03-06"),
		pat(practice.EntryFee, maria, "appt-noshow", 5000, "2027-02-01"),
		pat(practice.EntryPayment, maria, "appt-noshow", 2000, "2027-02-15"),
		// Tom: a $40 late-cancel fee of June 2026, unpaid (271 days).
		pat(practice.EntryFee, tom, "appt-late", 4000, "2026-06-10"),
		// Lee: paid $30 ahead, $10 refunded, then a $30 fee of January 2025
		// (before the fee table's months) → owes $10, 777 days.
		pat(practice.EntryPayment, lee, "", 3000, "2026-08-15"),
		pat(practice.EntryRefund, lee, "", 1000, "2026-09-01"),
		pat(practice.EntryFee, lee, "appt-old", 3000, "2025-01-20"),
	}
	f.update(func(tx *store.Tx) error {
		for i := range ledger {
			ledger[i].AccountID, ledger[i].Remarks = f.owner.AccountID, []string{}
			if err := tx.AddEntry(&ledger[i]); err != nil {
				return err
			}
		}
		return nil
	})

	want := billing.Dashboard{AsOf: "2027-03-08",
		Aging: []billing.AgingRow{
			// h-31 7000 | B3 10000 + h-90 1000 | h-91 2000 | B2 13000
			{PayerID: aetna.ID, Name: "Aetna", Cents: [5]int{0, 7000, 11000, 2000, 13000}, Total: 33000},
			// A1 1000 + h-30 5000 | A2 16000 | h-120 3000 | h-old 6000 + h-121 4000
			{PayerID: blue, Name: "Blue Plan", Cents: [5]int{6000, 16000, 0, 3000, 10000}, Total: 35000},
			// María 4500 | Tom 4000 + Lee 1000
			{Name: "Patients", Cents: [5]int{0, 4500, 0, 0, 5000}, Total: 9500},
		},
		Statuses: []billing.StatusCount{
			{Status: practice.ClaimDraft, Claims: 2}, {Status: practice.ClaimReady}, {Status: practice.ClaimExported},
			{Status: practice.ClaimRejected}, {Status: practice.ClaimAccepted},
			{Status: practice.ClaimDenied, Claims: 1, Cents: 36000}, // 13000 + 13000 + 10000
			{Status: practice.ClaimPartiallyPaid, Claims: 1, Cents: 32000},
			{Status: practice.ClaimPaid}, {Status: practice.ClaimAppealed},
		},
		Denials: []billing.DenialRow{
			{PayerID: blue, Payer: "Blue Plan", Group: "CO", Reason: "197", Count: 2, Cents: 21000},
			{PayerID: aetna.ID, Payer: "Aetna", Group: "CO", Reason: "50", Count: 1, Cents: 13000},
		},
		Totals: billing.DashboardTotal{OutstandingCents: 77500, UnbilledSessions: 3, DeniedCents: 34000, FeesUnpaidCents: 7000},
	}
	money := map[string]billing.MonthMoney{
		"2027-03": {ChargedCents: 16000, ExpectedCents: 11000, PaidOnServiceCents: 9000, CollectedCents: 9000 + 1000},
		"2027-02": {ChargedCents: 5000 + 7000, ExpectedCents: 3500 + 5000, CollectedCents: 2000},
		"2027-01": {ChargedCents: 16000, ExpectedCents: 11000},
		"2026-12": {ChargedCents: 10000 + 1000 + 2000, ExpectedCents: 7000, CollectedCents: 9000},
		"2026-11": {ChargedCents: 13000 + 3000 + 4000, ExpectedCents: 9000, PaidOnServiceCents: 9000},
		"2026-10": {ChargedCents: 13000, ExpectedCents: 9000},
		"2026-09": {CollectedCents: -1000},
		"2026-08": {CollectedCents: 3000},
	}
	fees := map[string]billing.MonthFees{
		"2027-02": {Fees: 1, FeeCents: 5000, UnpaidCents: 3000},
		"2026-06": {Fees: 1, FeeCents: 4000, UnpaidCents: 4000},
	}
	unbilled := map[string]int{"2027-03": 1, "2027-01": 1, "2026-12": 1}
	for m := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		x := money[key]
		x.Month = key
		want.Months = append(want.Months, x)
		y := fees[key]
		y.Month = key
		want.Fees = append(want.Fees, y)
		want.Unbilled = append(want.Unbilled, billing.MonthCount{Month: key, Sessions: unbilled[key]})
	}

	var got billing.Dashboard
	f.update(func(tx *store.Tx) (err error) { got, err = f.svc.Dashboard(tx, f.biller); return err })
	if len(got.Months) != 24 {
		t.Fatalf("%d months, want 24", len(got.Months))
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"asOf", got.AsOf, want.AsOf}, {"aging", got.Aging, want.Aging}, {"statuses", got.Statuses, want.Statuses},
		{"denials", got.Denials, want.Denials}, {"months", got.Months, want.Months}, {"fees", got.Fees, want.Fees},
		{"unbilled", got.Unbilled, want.Unbilled}, {"totals", got.Totals, want.Totals},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, c.got, c.want)
		}
	}
}

// TestScrubFindsTheSameServiceOnAnotherClaim: a claim billing María's
// 90837 of 1 March again is a duplicate whether it is scrubbed alone, in a
// scrub of many (which reads only the scrubbed patients' other claims) or
// before export; another patient's claim for the same date and code is
// not, nor is a duplicate once the first claim is voided.
func TestScrubFindsTheSameServiceOnAnotherClaim(t *testing.T) {
	f := newFixture(t)
	first := f.batch(f.session("2027-03-01 09:00", 53, false).ID).Claims[0].Claim
	other := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Tom", LastName: "Reyes", DOB: "1985-02-03", Sex: "M"}, Active: true}
	f.update(func(tx *store.Tx) error { return tx.CreatePatient(&other) })
	again := practice.Claim{PatientID: f.maria.ID, PayerID: f.blue.ID, ClinicianID: f.ana.ID, Frequency: practice.FreqOriginal, Content: first.Content}
	elsewhere := practice.Claim{PatientID: other.ID, PayerID: f.blue.ID, ClinicianID: f.ana.ID, Frequency: practice.FreqOriginal, Content: first.Content}
	f.update(func(tx *store.Tx) error {
		if err := tx.CreateClaim(&again, ""); err != nil {
			return err
		}
		return tx.CreateClaim(&elsewhere, "")
	})
	duplicate := func(found []billing.Finding, claimID string) bool {
		for _, x := range found {
			if x.ClaimID == claimID && x.Field == "lines.0" && strings.Contains(x.Message, "already billed on another claim") {
				return true
			}
		}
		return false
	}
	scrub := func(ids ...string) []billing.Finding {
		var found []billing.Finding
		f.update(func(tx *store.Tx) (err error) { found, err = f.svc.ScrubMany(tx, f.biller, ids); return err })
		return found
	}
	one := func(id string) []billing.Finding {
		var found []billing.Finding
		f.update(func(tx *store.Tx) error {
			c, err := tx.Claim(id)
			if err == nil {
				found, err = f.svc.Scrub(tx, c)
			}
			return err
		})
		return found
	}
	if !duplicate(scrub(again.ID), again.ID) || !duplicate(one(again.ID), again.ID) || !duplicate(scrub(), again.ID) || !duplicate(scrub(), first.ID) {
		t.Fatal("the same service on two of María's claims is not found")
	}
	if duplicate(scrub(elsewhere.ID), elsewhere.ID) || duplicate(scrub(), elsewhere.ID) {
		t.Fatal("another patient's claim for the same date and code is called a duplicate")
	}
	err := f.try(func(tx *store.Tx) error { _, err := f.svc.Export837(tx, f.biller, []string{again.ID}); return err })
	if practice.ErrorCode(err) != practice.EInvalid {
		t.Fatalf("exporting a duplicate: %v", err)
	}
	f.update(func(tx *store.Tx) error {
		void := practice.Claim{PatientID: f.maria.ID, PayerID: f.blue.ID, ClinicianID: f.ana.ID, Frequency: practice.FreqVoid, ReplacesID: first.ID, Content: first.Content}
		return tx.CreateClaim(&void, "")
	})
	if duplicate(scrub(again.ID), again.ID) || duplicate(one(again.ID), again.ID) {
		t.Fatal("a service whose first claim was voided is still called a duplicate")
	}
}

// TestResendingAClaimSendsWhatWasSent: a file with a claim sent before and
// a new one carries the first exactly as it was sent (its draft content
// changed behind the service's back is not used), posts charges only for
// the new one, and the trail has one entry for each kind naming its claim.
func TestResendingAClaimSendsWhatWasSent(t *testing.T) {
	f := newFixture(t)
	first := f.exported("2027-03-01 09:00")
	second := f.batch(f.session("2027-03-02 09:00", 53, false).ID).Claims[0]
	// The claim's content as stored now differs from what was sent.
	f.update(func(tx *store.Tx) error {
		c := first.Claim.Content
		c.AuthNumber = "CHANGED-1"
		return tx.SaveClaimContent(first.Claim.ID, c)
	})
	w := &capture837{Rules: billing.DefaultRules()}
	f.svc = billing.NewService(authorizations.NewService(), w)
	var out billing.Exported
	f.update(func(tx *store.Tx) (err error) {
		out, err = f.svc.Export837(tx, f.biller, []string{first.Claim.ID, second.Claim.ID})
		return err
	})
	auth := map[string]string{}
	for _, c := range w.batch.Claims {
		auth[c.Claim.ID] = c.Claim.Content.AuthNumber
	}
	if want := map[string]string{first.Claim.ID: "B-7781", second.Claim.ID: "B-7781"}; !reflect.DeepEqual(auth, want) {
		t.Fatalf("authorization numbers written %v, want what was sent (B-7781) for both", auth)
	}
	if out.Resent != 1 || len(out.ClaimIDs) != 2 {
		t.Fatalf("exported %+v", out)
	}
	var charges int
	var entries []store.AuditEntry
	f.update(func(tx *store.Tx) error {
		list, err := tx.Entries(store.EntryFilter{})
		for _, e := range list {
			if e.Kind == practice.EntryCharge {
				charges++
			}
		}
		if err != nil {
			return err
		}
		entries, err = tx.AuditEntries(store.AuditQuery{})
		return err
	})
	if charges != 2 {
		t.Fatalf("%d charges after exporting two one-line claims once each (the first re-sent), want 2", charges)
	}
	got := map[string][]string{}
	for _, e := range entries {
		if e.Action == "claim.export" || e.Action == "claim.resend" {
			ids := strings.Fields(e.RecordID)
			slices.Sort(ids)
			got[e.Action] = append(got[e.Action], strings.Join(ids, " "))
		}
	}
	for _, ids := range got {
		slices.Sort(ids)
	}
	both := []string{first.Claim.ID, second.Claim.ID}
	slices.Sort(both)
	// The first claim's own export, then this file: one entry for the
	// claim exported, one for the claim sent again.
	if want := map[string][]string{"claim.export": both, "claim.resend": {first.Claim.ID}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("audit entries %v, want %v", got, want)
	}
	var subs []store.ClaimSubmission
	f.update(func(tx *store.Tx) (err error) { subs, err = tx.ClaimSubmissions(first.Claim.ID); return err })
	if len(subs) != 1 || subs[0].Content.AuthNumber != "B-7781" {
		t.Fatalf("submissions of the first claim: %d, authorization %q", len(subs), subs[0].Content.AuthNumber)
	}
}

// capture837 keeps the batch it is asked to write.
type capture837 struct {
	billing.Rules
	batch billing.ExportBatch
}

func (w *capture837) Write837(b billing.ExportBatch) ([]byte, error) {
	w.batch = b
	return []byte("ISA*" + b.Control + "~"), nil
}

// TestScrubFindsADuplicateOfASentClaim: the scrub of many opens another
// claim that was sent only when its dates of service reach the scrubbed
// claim's; the same service on a claim sent for that date is found, and a
// claim sent for other dates is not taken for one.
func TestScrubFindsADuplicateOfASentClaim(t *testing.T) {
	f := newFixture(t)
	sent := f.exported("2027-03-01 09:00")
	f.exported("2027-03-09 09:00")
	again := practice.Claim{PatientID: f.maria.ID, PayerID: f.blue.ID, ClinicianID: f.ana.ID, Frequency: practice.FreqOriginal, Content: sent.Claim.Content}
	f.update(func(tx *store.Tx) error { return tx.CreateClaim(&again, "") })
	var found []billing.Finding
	f.update(func(tx *store.Tx) (err error) {
		found, err = f.svc.ScrubMany(tx, f.biller, []string{again.ID})
		return err
	})
	var dup []string
	for _, x := range found {
		if strings.Contains(x.Message, "already billed on another claim") {
			dup = append(dup, x.Field+" "+x.FixID)
		}
	}
	if want := []string{"lines.0 " + sent.Claim.ID}; !reflect.DeepEqual(dup, want) {
		t.Fatalf("duplicates %q, want %q", dup, want)
	}
}
