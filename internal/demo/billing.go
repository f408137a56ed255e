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

// demoDenials are realistic denial reasons (CARC), with their group.
var demoDenials = []struct{ group, reason string }{{"CO", "197"}, {"CO", "50"}, {"CO", "16"}, {"CO", "29"}, {"PR", "27"}, {"CO", "97"}}

// historyWindow is how many weeks of sessions the billing history reads
// and writes at a time: the large demo's four years are never all in memory.
const historyWindow = 4

// makeBilling gives the practice its billing identity, fee schedule and
// payers' claim rules, diagnoses for every patient ever seen, claims for
// every completed session of the whole history up to the week before last
// (exported, most paid, some partly paid or denied, the newest still
// waiting), the no-show and late-cancel fees, and leaves last week's
// completed sessions unbilled so a biller has a batch to make. One
// Medicaid patient seen last week has an authorization on record whose
// number was never entered: the claim the batch makes lacks it.
func makeBilling(ctx context.Context, db *store.DB, g gen, ownerID string, years int) error {
	rules := billing.DefaultRules()
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
	w, err := newClaimWriter(ctx, db, g, ownerID, rules, zone)
	if err != nil {
		return err
	}
	// A week before the schedule's first session, so none is left out.
	first := lastMonday.AddDate(-years, 0, -7)
	end := lastMonday.AddDate(0, 0, 7)
	for from := first; from.Before(end); from = from.AddDate(0, 0, 7*historyWindow) {
		to := from.AddDate(0, 0, 7*historyWindow)
		if to.After(end) {
			to = end
		}
		var seen []practice.Appointment
		if err := db.View(ctx, func(tx *store.Tx) (err error) {
			seen, err = tx.AppointmentsBetween(from, to, store.AppointmentFilter{})
			return err
		}); err != nil {
			return err
		}
		if err := w.diagnose(seen); err != nil {
			return err
		}
		if err := w.bill(seen, lastMonday); err != nil {
			return err
		}
	}
	return nil
}

// claimWriter writes the history's claims as the export and the payers'
// answers would have left them, and last week's missing authorization
// number. It holds the practice's setup, read once, and what it has
// already looked up or drawn per patient.
type claimWriter struct {
	ctx        context.Context
	db         *store.DB
	g          gen
	ownerID    string
	rules      billing.Rules
	zone       *time.Location
	common     []practice.Diagnosis
	typeCode   map[string]string
	payerRules map[string]practice.PayerBilling
	payerCode  map[string]string
	prescriber map[string]bool
	inCare     map[string]bool           // diagnosed
	patients   map[string]patientBilling // looked up for a claim
	missing    bool                      // the authorization without a number exists
}

// patientBilling is what a patient's claims repeat.
type patientBilling struct {
	payerID   string
	policy    practice.InsurancePolicy
	diagnoses []practice.Diagnosis
}

func newClaimWriter(ctx context.Context, db *store.DB, g gen, ownerID string, rules billing.Rules, zone *time.Location) (*claimWriter, error) {
	w := &claimWriter{ctx: ctx, db: db, g: g, ownerID: ownerID, rules: rules, zone: zone, common: rules.ICD10Common(),
		typeCode: map[string]string{}, payerCode: map[string]string{}, prescriber: map[string]bool{},
		inCare: map[string]bool{}, patients: map[string]patientBilling{}}
	err := db.View(ctx, func(tx *store.Tx) error {
		types, err := tx.AppointmentTypes()
		if err != nil {
			return err
		}
		for _, t := range types {
			w.typeCode[t.ID] = t.ServiceCode
		}
		if w.payerRules, err = tx.AllPayerBilling(); err != nil {
			return err
		}
		payers, err := tx.Payers()
		if err != nil {
			return err
		}
		for _, y := range payers {
			w.payerCode[y.ID] = y.PayerID
		}
		clinicians, err := tx.Clinicians()
		if err != nil {
			return err
		}
		for _, c := range clinicians {
			w.prescriber[c.ID] = c.Prescriber
		}
		return nil
	})
	return w, err
}

// frequentDiagnoses are the codes most of the demo's patients carry.
var frequentDiagnoses = []string{"F41.1", "F33.1", "F43.10", "F32.1", "F43.23", "F90.0", "F41.0", "F60.3"}

// diagnose gives every patient first seen in these sessions one or two
// diagnoses, before their first claim is written.
func (w *claimWriter) diagnose(seen []practice.Appointment) error {
	var order []string
	for _, a := range seen {
		if a.Status == practice.Completed && !w.inCare[a.PatientID] {
			w.inCare[a.PatientID] = true
			order = append(order, a.PatientID)
		}
	}
	sort.Strings(order)
	for start := 0; start < len(order); start += batchSize {
		chunk := order[start:min(start+batchSize, len(order))]
		err := w.db.Update(w.ctx, func(tx *store.Tx) error {
			for _, pid := range chunk {
				list := []practice.Diagnosis{{Code: pick(w.g, frequentDiagnoses)}}
				if w.g.chance(0.35) {
					x := pick(w.g, w.common)
					if x.Code != list[0].Code {
						list = append(list, practice.Diagnosis{Code: x.Code})
					}
				}
				for i := range list {
					if r, err := w.rules.ICD10Check(list[i].Code); err == nil {
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
	return nil
}

// bill writes the fees and claims of these sessions; those from lastMonday
// on are last week's, left for the biller's batch.
func (w *claimWriter) bill(seen []practice.Appointment, lastMonday time.Time) error {
	for start := 0; start < len(seen); start += batchSize {
		chunk := seen[start:min(start+batchSize, len(seen))]
		err := w.db.Update(w.ctx, func(tx *store.Tx) error {
			now := tx.Now()
			for _, a := range chunk {
				day := a.Start.In(w.zone).Format(time.DateOnly)
				lastWeek := !a.Start.Before(lastMonday)
				if a.FeeCents > 0 && !lastWeek {
					fee := practice.Entry{ID: billing.FeeEntryID(a.ID), Kind: practice.EntryFee, Party: practice.PartyPatient, PatientID: a.PatientID,
						AppointmentID: a.ID, AmountCents: a.FeeCents, On: day, AccountID: w.ownerID, Remarks: []string{}, Note: "Missed-appointment fee"}
					if err := tx.AddEntry(&fee); err != nil {
						return err
					}
					if w.g.chance(0.6) {
						paid := practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: a.PatientID, AppointmentID: a.ID,
							AmountCents: a.FeeCents, On: a.Start.In(w.zone).AddDate(0, 0, 7).Format(time.DateOnly), AccountID: w.ownerID, Method: "card", Remarks: []string{}}
						if err := tx.AddEntry(&paid); err != nil {
							return err
						}
					}
				}
				if a.Status != practice.Completed {
					continue
				}
				pb, err := w.patient(tx, a.PatientID)
				if err != nil {
					return err
				}
				if pb.payerID == "" {
					continue
				}
				if lastWeek {
					if w.payerCode[pb.payerID] == "CCMCD" && !w.missing {
						st, err := credentialing.InNetwork(tx, a.ClinicianID, pb.payerID, a.Start.In(w.zone))
						if err != nil {
							return err
						}
						if !st.InNetwork {
							continue
						}
						// The one thing missing on its claim: the patient's
						// address must be whole (the scrubber checks it too).
						pt, err := tx.Patient(a.PatientID)
						if err != nil {
							return err
						}
						if ad := pt.Contact.Address; ad.Line1 == "" || ad.City == "" || len(ad.State) != 2 || ad.Zip == "" {
							continue
						}
						if err := missingNumber(tx, w.ownerID, a, pb.payerID, lastMonday, w.zone); err != nil {
							return err
						}
						w.missing = true
					}
					continue
				}
				if err := w.claim(tx, a, pb, day, now); err != nil {
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

// patient looks up, once, the payer, primary policy and diagnoses a
// patient's claims repeat; no payer means the patient pays themselves.
func (w *claimWriter) patient(tx *store.Tx, patientID string) (patientBilling, error) {
	if pb, ok := w.patients[patientID]; ok {
		return pb, nil
	}
	var pb patientBilling
	var err error
	if pb.payerID, err = tx.PrimaryPayer(patientID); err != nil || pb.payerID == "" {
		return pb, err
	}
	pols, err := tx.Policies(patientID)
	if err != nil {
		return pb, err
	}
	for _, p := range pols {
		if p.Rank == practice.RankPrimary {
			pb.policy = p
		}
	}
	diag, err := tx.Diagnoses(patientID)
	if err != nil {
		return pb, err
	}
	pb.diagnoses = diag.List
	w.patients[patientID] = pb
	return pb, nil
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

// claim writes one session's claim as exported, and the payer's answer:
// most paid at the expected rate, some with the patient's copay, some
// denied, the last month's partly still waiting.
func (w *claimWriter) claim(tx *store.Tx, a practice.Appointment, p patientBilling, day string, now time.Time) error {
	g, ownerID, zone, payerID, pb := w.g, w.ownerID, w.zone, p.payerID, w.payerRules[p.payerID]
	minutes := int(a.ActualEnd.Sub(a.ActualStart) / time.Minute)
	lines, err := w.rules.Code(billing.CodingInput{TypeCode: w.typeCode[a.TypeID], Minutes: minutes, Prescriber: w.prescriber[a.ClinicianID],
		Telehealth: a.Telehealth, AtHome: a.Telehealth, Payer: pb})
	if err != nil {
		return nil // not billable
	}
	pol := p.policy
	rel := pol.Subscriber.Relationship
	if rel == "" {
		rel = "self"
	}
	c := practice.Claim{PatientID: a.PatientID, PayerID: payerID, ClinicianID: a.ClinicianID, Frequency: practice.FreqOriginal, AppointmentIDs: []string{a.ID}}
	c.Content = practice.ClaimContent{PolicyID: pol.ID, MemberID: pol.MemberID, GroupNumber: pol.GroupNumber, Relationship: rel, Lines: []practice.ClaimLine{}}
	for i, d := range p.diagnoses {
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
