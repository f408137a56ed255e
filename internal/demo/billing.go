package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"quietdesk/internal/billing"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// streamBilling draws the demo's billing.
const streamBilling uint64 = 0x51d3_0012

// demoFees is the practice's fee schedule; payers are expected to pay about 70%.
var demoFees = map[string]int{"90791": 220_00, "90792": 260_00, "90832": 95_00, "90834": 140_00, "90837": 180_00, "90846": 150_00,
	"90847": 160_00, "90853": 60_00, "90839": 250_00, "90840": 120_00, "90785": 25_00, "99213": 130_00, "99214": 190_00,
	"90833": 80_00, "90836": 110_00, "90838": 140_00, "99404": 120_00}

// historyWeeks is how far back the demo's claims reach, by size (the large
// demo's ledger for the dashboards' benchmark comes from its own run).
var historyWeeks = map[int]int{600: 20, 10000: 10}

// demoDenials are realistic denial reasons (CARC), with their group.
var demoDenials = []struct{ group, reason string }{{"CO", "197"}, {"CO", "50"}, {"CO", "16"}, {"CO", "29"}, {"PR", "27"}, {"CO", "97"}}

// makeBilling gives the practice its billing identity, fee schedule and
// payers' claim rules, diagnoses for every patient seen in the last four
// months, claims for the completed sessions of the weeks before last
// (exported, most paid, some partly paid or denied, the newest still
// waiting), the no-show and late-cancel fees, and leaves last week's
// completed sessions unbilled so a biller has a batch to make. One
// Medicaid patient seen last week has an authorization on record whose
// number was never entered: the claim the batch makes lacks it.
func makeBilling(ctx context.Context, db *store.DB, g gen, ownerID string, patientIDs []string) error {
	rules := billing.DefaultRules()
	weeks := historyWeeks[len(patientIDs)]
	if weeks == 0 {
		weeks = historyWeeks[600]
	}
	var zone *time.Location
	var lastMonday time.Time
	err := db.Update(ctx, func(tx *store.Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		if len(settings.Address.Zip) == 5 {
			settings.Address.Zip += "-" + g.digits(4)
		}
		if err := tx.SaveSettings(&settings); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		zone = settings.Zone()
		today := tx.Now().In(zone)
		midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone)
		lastMonday = midnight.AddDate(0, 0, -((int(today.Weekday())+6)%7)-7)
		bs := practice.BillingSettings{Taxonomy: "261QM0801X", SubmitterID: "QD" + g.digits(7), ContactName: "Billing office",
			ContactPhone: settings.Phone, ReceiverName: "Cascade Claims Exchange", ReceiverID: "CCX" + g.digits(6), ClaimPrefix: "QD", Fees: demoFees}
		if err := tx.SaveBillingSettings(&bs); err != nil {
			return fmt.Errorf("billing settings: %w", err)
		}
		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		for _, y := range payers {
			b := practice.DefaultPayerBilling(y.ID, y.Kind)
			switch y.PayerID {
			case "CCMCD":
				b.FilingIndicator, b.TimelyDays, b.VideoModifier = "MC", 180, "GT"
			case "SHMA9":
				b.FilingIndicator, b.TimelyDays = "16", 365
			case "CBH47":
				b.FilingIndicator = "BL"
			case "LHEAP":
				b.AlwaysModifiers = []string{"HJ"}
			}
			for code, fee := range demoFees {
				b.Expected[code] = fee * 7 / 10
			}
			if err := tx.SavePayerBilling(&b); err != nil {
				return fmt.Errorf("payer billing: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	common := rules.ICD10Common()
	frequent := []string{"F41.1", "F33.1", "F43.10", "F32.1", "F43.23", "F90.0", "F41.0", "F60.3"}
	// Who was seen in the last four months, and what.
	var seen []practice.Appointment
	err = db.View(ctx, func(tx *store.Tx) (err error) {
		seen, err = tx.AppointmentsBetween(lastMonday.AddDate(0, 0, -7*max(weeks, 17)), lastMonday.AddDate(0, 0, 7), store.AppointmentFilter{})
		return err
	})
	if err != nil {
		return err
	}
	inCare := map[string]bool{}
	var order []string
	for _, a := range seen {
		if a.Status == practice.Completed && !inCare[a.PatientID] {
			inCare[a.PatientID] = true
			order = append(order, a.PatientID)
		}
	}
	sort.Strings(order)
	for start := 0; start < len(order); start += batchSize {
		chunk := order[start:min(start+batchSize, len(order))]
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, pid := range chunk {
				list := []practice.Diagnosis{{Code: pick(g, frequent)}}
				if g.chance(0.35) {
					x := pick(g, common)
					if x.Code != list[0].Code {
						list = append(list, practice.Diagnosis{Code: x.Code})
					}
				}
				for i := range list {
					if r, err := rules.ICD10Check(list[i].Code); err == nil {
						list[i].Code, list[i].Description = r.Code, r.Description
					}
				}
				d := practice.Diagnoses{PatientID: pid, List: list}
				if err := tx.SaveDiagnoses(&d); err != nil {
					return fmt.Errorf("diagnoses: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return makeClaims(ctx, db, g, ownerID, rules, zone, lastMonday, weeks, seen)
}

// makeClaims writes the history's claims as the export and the payers'
// answers would have left them, and last week's missing authorization number.
func makeClaims(ctx context.Context, db *store.DB, g gen, ownerID string, rules billing.Rules, zone *time.Location, lastMonday time.Time,
	weeks int, seen []practice.Appointment) error {
	from := lastMonday.AddDate(0, 0, -7*weeks)
	now := time.Now()
	missingAuth := false // the demo's authorization without a number exists
	var sessions []practice.Appointment
	for _, a := range seen {
		if !a.Start.Before(from) && a.Start.Before(lastMonday.AddDate(0, 0, 7)) {
			sessions = append(sessions, a)
		}
	}
	for start := 0; start < len(sessions); start += batchSize {
		chunk := sessions[start:min(start+batchSize, len(sessions))]
		err := db.Update(ctx, func(tx *store.Tx) error {
			now = tx.Now()
			types, err := tx.AppointmentTypes()
			if err != nil {
				return err
			}
			typeCode := map[string]string{}
			for _, t := range types {
				typeCode[t.ID] = t.ServiceCode
			}
			payerRules, err := tx.AllPayerBilling()
			if err != nil {
				return err
			}
			payers, err := tx.Payers()
			if err != nil {
				return err
			}
			payerCode := map[string]string{}
			for _, y := range payers {
				payerCode[y.ID] = y.PayerID
			}
			clinicians, err := tx.Clinicians()
			if err != nil {
				return err
			}
			prescriber := map[string]bool{}
			for _, c := range clinicians {
				prescriber[c.ID] = c.Prescriber
			}
			for _, a := range chunk {
				day := a.Start.In(zone).Format(time.DateOnly)
				lastWeek := !a.Start.Before(lastMonday)
				if a.FeeCents > 0 && !lastWeek {
					fee := practice.Entry{ID: billing.FeeEntryID(a.ID), Kind: practice.EntryFee, Party: practice.PartyPatient, PatientID: a.PatientID,
						AppointmentID: a.ID, AmountCents: a.FeeCents, On: day, AccountID: ownerID, Remarks: []string{}, Note: "Missed-appointment fee"}
					if err := tx.AddEntry(&fee); err != nil {
						return err
					}
					if g.chance(0.6) {
						paid := practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: a.PatientID, AppointmentID: a.ID,
							AmountCents: a.FeeCents, On: a.Start.In(zone).AddDate(0, 0, 7).Format(time.DateOnly), AccountID: ownerID, Method: "card", Remarks: []string{}}
						if err := tx.AddEntry(&paid); err != nil {
							return err
						}
					}
				}
				if a.Status != practice.Completed {
					continue
				}
				payerID, err := tx.PrimaryPayer(a.PatientID)
				if err != nil || payerID == "" {
					continue
				}
				if lastWeek {
					if payerCode[payerID] == "CCMCD" && !missingAuth {
						st, err := credentialing.InNetwork(tx, a.ClinicianID, payerID, a.Start.In(zone))
						if err != nil {
							return err
						}
						if !st.InNetwork {
							continue
						}
						if err := missingNumber(tx, ownerID, a, payerID, lastMonday, zone); err != nil {
							return err
						}
						missingAuth = true
					}
					continue
				}
				if err := historyClaim(tx, g, ownerID, rules, a, payerID, payerRules[payerID], typeCode, prescriber, day, now, zone); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// missingNumber records a Medicaid authorization covering last week whose
// number nobody entered.
func missingNumber(tx *store.Tx, ownerID string, a practice.Appointment, payerID string, lastMonday time.Time, zone *time.Location) error {
	auths, err := tx.Authorizations(a.PatientID)
	if err != nil {
		return err
	}
	day := a.Start.In(zone).Format(time.DateOnly)
	for i := range auths {
		x := &auths[i]
		if x.PayerID == payerID && x.Start <= day && x.End >= day {
			x.Number, x.Status = "", practice.AuthAuthorized
			return tx.SaveAuthorization(x)
		}
	}
	x := practice.Authorization{PatientID: a.PatientID, PayerID: payerID, Kind: practice.AuthPrior, Status: practice.AuthAuthorized,
		Unit: practice.UnitSessions, Requested: 12, Authorized: 12, Start: lastMonday.AddDate(0, 0, -28).Format(time.DateOnly),
		End: lastMonday.AddDate(0, 0, 84).Format(time.DateOnly), WarnRemaining: 2, WarnDays: 14, CountMissed: practice.CountMissedPayer,
		Notes: "Approved by phone; the letter with the number has not come yet."}
	if err := tx.SaveAuthorization(&x); err != nil {
		return fmt.Errorf("authorization without its number: %w", err)
	}
	return tx.Audit(ownerID, "authorization.save", "authorizations", x.ID)
}

// historyClaim writes one session's claim as exported, and the payer's
// answer: most paid at the expected rate, some with the patient's copay,
// some denied, the last month's partly still waiting.
func historyClaim(tx *store.Tx, g gen, ownerID string, rules billing.Rules, a practice.Appointment, payerID string, pb practice.PayerBilling,
	typeCode map[string]string, prescriber map[string]bool, day string, now time.Time, zone *time.Location) error {
	minutes := int(a.ActualEnd.Sub(a.ActualStart) / time.Minute)
	lines, err := rules.Code(billing.CodingInput{TypeCode: typeCode[a.TypeID], Minutes: minutes, Prescriber: prescriber[a.ClinicianID],
		Telehealth: a.Telehealth, AtHome: a.Telehealth, Payer: pb})
	if err != nil {
		return nil // not billable
	}
	pols, err := tx.Policies(a.PatientID)
	if err != nil {
		return err
	}
	var pol practice.InsurancePolicy
	for _, p := range pols {
		if p.Rank == practice.RankPrimary {
			pol = p
		}
	}
	diag, err := tx.Diagnoses(a.PatientID)
	if err != nil {
		return err
	}
	rel := pol.Subscriber.Relationship
	if rel == "" {
		rel = "self"
	}
	c := practice.Claim{PatientID: a.PatientID, PayerID: payerID, ClinicianID: a.ClinicianID, Frequency: practice.FreqOriginal, AppointmentIDs: []string{a.ID}}
	c.Content = practice.ClaimContent{PolicyID: pol.ID, MemberID: pol.MemberID, GroupNumber: pol.GroupNumber, Relationship: rel, Lines: []practice.ClaimLine{}}
	for i, d := range diag.List {
		if i < practice.MaxDiagnoses {
			c.Content.Diagnoses = append(c.Content.Diagnoses, practice.Diagnosis{Code: d.Code, Description: d.Description})
		}
	}
	for _, l := range lines {
		l.AppointmentID, l.ServiceOn, l.Minutes, l.Telehealth, l.AtHome = a.ID, day, minutes, a.Telehealth, a.Telehealth
		l.ChargeCents, l.Pointers = demoFees[l.Code]*max(l.Units, 1), []int{1}
		c.Content.Lines = append(c.Content.Lines, l)
	}
	if err := tx.CreateClaim(&c, "QD"); err != nil {
		return err
	}
	sub := store.ClaimSubmission{ClaimID: c.ID, AccountID: ownerID, Control: g.digits(9), ChargeCents: c.Content.TotalCents(), From: day, To: day, Content: c.Content}
	if err := tx.AddClaimSubmission(&sub); err != nil {
		return err
	}
	status := practice.ClaimExported
	entry := func(e practice.Entry) error {
		e.ClaimID, e.PatientID, e.PayerID, e.AccountID = c.ID, a.PatientID, payerID, ownerID
		if e.Remarks == nil {
			e.Remarks = []string{}
		}
		return tx.AddEntry(&e)
	}
	paidOn := a.Start.In(zone).AddDate(0, 0, 14+g.r.IntN(21)).Format(time.DateOnly)
	answered := paidOn < now.In(zone).Format(time.DateOnly)
	outcome := g.r.Float64()
	for i, l := range c.Content.Lines {
		if err := entry(practice.Entry{Kind: practice.EntryCharge, Party: practice.PartyInsurance, Line: i + 1, AppointmentID: a.ID,
			AmountCents: l.ChargeCents, ExpectedCents: pb.Expected[l.Code] * max(l.Units, 1), On: day}); err != nil {
			return err
		}
		if !answered {
			continue
		}
		expected := pb.Expected[l.Code] * max(l.Units, 1)
		switch {
		case outcome < 0.08:
			d := pick(g, demoDenials)
			status = practice.ClaimDenied
			if err := entry(practice.Entry{Kind: practice.EntryDenial, Party: practice.PartyInsurance, Line: i + 1, AmountCents: l.ChargeCents,
				On: paidOn, GroupCode: d.group, ReasonCode: d.reason, Remarks: []string{"N130"}}); err != nil {
				return err
			}
		case outcome < 0.25:
			copay := min(25_00, expected)
			status = practice.ClaimPartiallyPaid
			for _, e := range []practice.Entry{
				{Kind: practice.EntryPayment, Party: practice.PartyInsurance, Line: i + 1, AmountCents: expected - copay, On: paidOn, Reference: "EFT" + g.digits(8)},
				{Kind: practice.EntryAdjustment, Party: practice.PartyInsurance, Line: i + 1, AmountCents: max(l.ChargeCents-expected-10_00, 0), On: paidOn, GroupCode: "CO", ReasonCode: "45"},
				{Kind: practice.EntryPatientResp, Party: practice.PartyInsurance, Line: i + 1, AmountCents: copay, On: paidOn, GroupCode: "PR", ReasonCode: "3"},
			} {
				if e.AmountCents <= 0 {
					continue
				}
				if err := entry(e); err != nil {
					return err
				}
			}
		default:
			status = practice.ClaimPaid
			for _, e := range []practice.Entry{
				{Kind: practice.EntryPayment, Party: practice.PartyInsurance, Line: i + 1, AmountCents: expected, On: paidOn, Reference: "EFT" + g.digits(8)},
				{Kind: practice.EntryAdjustment, Party: practice.PartyInsurance, Line: i + 1, AmountCents: l.ChargeCents - expected, On: paidOn, GroupCode: "CO", ReasonCode: "45"},
			} {
				if e.AmountCents <= 0 {
					continue
				}
				if err := entry(e); err != nil {
					return err
				}
			}
		}
	}
	if err := tx.SetClaimStatus(c.ID, status); err != nil {
		return err
	}
	return nil
}
