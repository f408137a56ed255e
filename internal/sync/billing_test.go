package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/authorizations"
	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// fake837 stands in for billing-rules' 837P writer until it is merged.
type fake837 struct{ billing.Rules }

func (fake837) Write837(b billing.ExportBatch) ([]byte, error) {
	return []byte("ISA*" + b.Control + "~"), nil
}

// TestOfflinePaymentsOnOneClaimAndAnExportedClaimOnBothMachines: two
// machines over loopback TLS. Apart, each posts a payment on the same
// claim; after sync both payments are in the ledger of both and the
// balance agrees (derived, never stored). A claim exported on A while B,
// apart, edited its draft is exported on both after sync, shows what was
// sent on both, and cannot be edited on either.
func TestOfflinePaymentsOnOneClaimAndAnExportedClaimOnBothMachines(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	svc := billing.NewService(authorizations.NewService(), fake837{billing.DefaultRules()})
	owner := practice.Actor{AccountID: "owner"}
	var patient practice.Patient
	var appts []string
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		settings.NPI, settings.TaxID, settings.Phone = "1234567893", "12-3456789", "(503) 555-0100"
		settings.Address = practice.Address{Line1: "1 Main St", City: "Portland", State: "OR", Zip: "97201-1234"}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		if err := tx.SaveBillingSettings(&practice.BillingSettings{Taxonomy: "261QM0801X", Fees: map[string]int{"90837": 16000}}); err != nil {
			return err
		}
		clin := practice.Clinician{FirstName: "Ana", LastName: "Ruiz", NPI: "1245319599", Taxonomy: "1041C0700X", Active: true}
		loc := practice.Location{Name: "Main", Active: true}
		typ := practice.AppointmentType{Name: "Therapy", DurationMin: 53, ServiceCode: "90837", Active: true}
		payer := practice.Payer{Name: "Blue Plan", PayerID: "BLUE1", Kind: practice.PayerInsurance, Active: true}
		patient = practice.Patient{Identity: practice.PatientIdentity{FirstName: "Maria", LastName: "Lopez", DOB: "1990-01-01", Sex: "F"},
			Contact: practice.PatientContact{Address: practice.Address{Line1: "5 Elm St", City: "Portland", State: "OR", Zip: "97202"}}, Active: true}
		for _, err := range []error{tx.SaveClinician(&clin), tx.SaveLocation(&loc), tx.SaveAppointmentType(&typ), tx.SavePayer(&payer), tx.CreatePatient(&patient)} {
			if err != nil {
				return err
			}
		}
		if err := tx.SavePolicy(&practice.InsurancePolicy{PatientID: patient.ID, PayerID: payer.ID, Rank: practice.RankPrimary, MemberID: "BLU123"}); err != nil {
			return err
		}
		if err := tx.SaveEnrollment(&practice.Enrollment{ClinicianID: clin.ID, PayerID: payer.ID, Status: practice.EnrollApproved, EffectiveOn: "2020-01-01"}); err != nil {
			return err
		}
		if _, err := svc.SaveDiagnoses(tx, owner, practice.Diagnoses{PatientID: patient.ID, List: []practice.Diagnosis{{Code: "F41.1"}}}); err != nil {
			return err
		}
		for d := 2; d <= 3; d++ {
			s := time.Now().AddDate(0, 0, -d).Truncate(time.Hour)
			ap := practice.Appointment{PatientID: patient.ID, ClinicianID: clin.ID, TypeID: typ.ID, LocationID: loc.ID, Start: s, End: s.Add(53 * time.Minute),
				Status: practice.Completed, ActualStart: s, ActualEnd: s.Add(55 * time.Minute)}
			if err := tx.SaveAppointment(&ap); err != nil {
				return err
			}
			appts = append(appts, ap.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two claims (one session each): the first exported now, the second a draft.
	var paid, draft string
	for _, id := range appts {
		err := a.db.Update(ctx, func(tx *store.Tx) error {
			res, err := svc.CreateBatch(tx, owner, []string{id})
			if err != nil || len(res.Claims) != 1 {
				t.Fatalf("batch: %+v %v", res, err)
			}
			if paid == "" {
				paid = res.Claims[0].Claim.ID
				_, err = svc.Export837(tx, owner, []string{paid})
				return err
			}
			draft = res.Claims[0].Claim.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b := join(t, a, "B")
	unlock(t, b)
	eventually(t, 5*time.Second, "B did not receive the practice", func() bool { return digestsEqual(a, b) })

	// Apart: A posts $60 from the payer, B $40, on the same $160 line; A
	// exports the draft while B edits it.
	b.svc.Stop()
	post := func(m *machine, cents int, ref string) {
		t.Helper()
		err := m.db.Update(ctx, func(tx *store.Tx) error {
			_, err := svc.Post(tx, owner, practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyInsurance, ClaimID: paid, Line: 1,
				PatientID: patient.ID, AmountCents: cents, On: time.Now().Format(time.DateOnly), Reference: ref})
			return err
		})
		if err != nil {
			t.Fatalf("%s: posting: %v", m.name, err)
		}
	}
	post(a, 6000, "EFT-A")
	post(b, 4000, "EFT-B")
	if err := a.db.Update(ctx, func(tx *store.Tx) error { _, err := svc.Export837(tx, owner, []string{draft}); return err }); err != nil {
		t.Fatal(err)
	}
	if err := b.db.Update(ctx, func(tx *store.Tx) error {
		_, err := svc.Edit(tx, owner, practice.ClaimEdit{ClaimID: draft, Note: "edited on B, never sent"})
		return err
	}); err != nil {
		t.Fatalf("B editing its draft while apart: %v", err)
	}
	b.start(t)
	eventually(t, 10*time.Second, "the machines did not converge", func() bool { return digestsEqual(a, b) })

	for _, m := range []*machine{a, b} {
		var v, d billing.ClaimView
		err := m.db.Update(ctx, func(tx *store.Tx) (err error) {
			if v, err = svc.Claim(tx, owner, paid); err != nil {
				return err
			}
			d, err = svc.Claim(tx, owner, draft)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		var refs []string
		for _, e := range v.Entries {
			if e.Kind == practice.EntryPayment {
				refs = append(refs, e.Reference)
			}
		}
		// $160 charged − $60 − $40 = $60 still owed by the payer.
		if len(refs) != 2 || v.Balance.InsuranceCents != 6000 || v.Balance.PaidCents != 10000 || v.Claim.Status != practice.ClaimPartiallyPaid {
			t.Fatalf("%s: payments %v, balance %+v, status %s; want both payments, $60 owed, partially paid", m.name, refs, v.Balance, v.Claim.Status)
		}
		if d.Claim.Status != practice.ClaimExported || d.Claim.Content.Note != "" {
			t.Fatalf("%s: the claim A exported: status %s, note %q; want exported as sent", m.name, d.Claim.Status, d.Claim.Content.Note)
		}
		err = m.db.Update(ctx, func(tx *store.Tx) error {
			_, err := svc.Edit(tx, owner, practice.ClaimEdit{ClaimID: draft, Note: "again"})
			return err
		})
		if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), "never changed") {
			t.Fatalf("%s: editing the exported claim: %v", m.name, err)
		}
	}
}
