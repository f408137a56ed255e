package billing

import (
	"sort"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// SuperbillLine is one service on a superbill.
type SuperbillLine struct {
	ServiceOn   string
	Code        string
	Modifiers   []string
	Units       int
	POS         string
	Pointers    []int
	ChargeCents int
	PaidCents   int // what the patient paid for that session
	Clinician   practice.Clinician
}

// SuperbillData is what a superbill shows: what a patient needs to claim
// out-of-network reimbursement for a period.
type SuperbillData struct {
	Practice  practice.Settings
	Billing   practice.BillingSettings
	Patient   practice.Patient
	From, To  string
	Diagnoses []practice.Diagnosis
	Lines     []SuperbillLine
	Created   time.Time
}

// StatementLine is one line of a patient statement.
type StatementLine struct {
	On          string
	Description string
	DebitCents  int
	CreditCents int
}

// StatementData is a patient statement: the period's entries and the balance due.
type StatementData struct {
	Practice     practice.Settings
	Billing      practice.BillingSettings
	Patient      practice.Patient
	From, To     string
	Lines        []StatementLine
	PreviousDue  int // the balance before From
	BalanceCents int // what the patient owes now
	Created      time.Time
}

// Documents is the PDF part of Rules.
type Documents interface {
	SuperbillPDF(d SuperbillData) ([]byte, error)
	StatementPDF(d StatementData) ([]byte, error)
	CMS1500PDF(practice practice.Settings, billing practice.BillingSettings, c ExportClaim) ([]byte, error)
}

// Document makes a PDF, audited: a patient's "superbill" or "statement"
// for from–to (local dates), or a claim's "cms1500" copy (id is the
// patient's or the claim's). It returns the bytes and a file name that
// names no one. Errors: EInvalid, EForbidden, ENotFound.
func (s *Service) Document(tx Store, by practice.Actor, kind, id, from, to string) ([]byte, string, error) {
	switch kind {
	case "superbill":
		d, err := s.superbill(tx, by, id, from, to)
		if err != nil {
			return nil, "", err
		}
		data, err := s.rules.SuperbillPDF(d)
		if err != nil {
			return nil, "", err
		}
		return data, "superbill-" + from + "-" + to + ".pdf", tx.Audit(by.AccountID, "billing.superbill", "patients", id)
	case "statement":
		d, err := s.statement(tx, by, id, from, to)
		if err != nil {
			return nil, "", err
		}
		data, err := s.rules.StatementPDF(d)
		if err != nil {
			return nil, "", err
		}
		return data, "statement-" + to + ".pdf", tx.Audit(by.AccountID, "billing.statement", "patients", id)
	case "cms1500":
		c, err := tx.Claim(id)
		if err != nil {
			return nil, "", err
		}
		f, err := s.loadScrubFacts(tx)
		if err != nil {
			return nil, "", err
		}
		if c.Content, _, err = sentContent(tx, c); err != nil {
			return nil, "", err
		}
		ec, err := exportClaim(tx, f, c)
		if err != nil {
			return nil, "", err
		}
		data, err := s.rules.CMS1500PDF(f.settings, f.billing, ec)
		if err != nil {
			return nil, "", err
		}
		return data, "claim-" + c.Number + ".pdf", tx.Audit(by.AccountID, "claim.print", "claims", id)
	}
	return nil, "", practice.FieldProblem("kind", "Choose a superbill, a statement or a CMS-1500 copy.")
}

// superbill gathers a patient's completed sessions from from to to: the
// lines a claim carried for them, or, for sessions on no claim (self-pay),
// the lines coding gives under no payer's rules; charges from the fee
// schedule, what the patient paid for each session from the ledger.
func (s *Service) superbill(tx Store, by practice.Actor, patientID, from, to string) (SuperbillData, error) {
	var d SuperbillData
	if err := checkAccess(tx, by, patientID); err != nil {
		return d, err
	}
	settings, err := tx.Settings()
	if err != nil {
		return d, err
	}
	zone := settings.Zone()
	start, end, err := dayRange(zone, from, to)
	if err != nil {
		return d, err
	}
	d = SuperbillData{Practice: settings, From: from, To: to, Created: tx.Now().In(zone), Lines: []SuperbillLine{}}
	if d.Billing, err = tx.BillingSettings(); err != nil {
		return d, err
	}
	if d.Patient, err = tx.Patient(patientID); err != nil {
		return d, err
	}
	diag, err := tx.Diagnoses(patientID)
	if err != nil {
		return d, err
	}
	d.Diagnoses = firstDiagnoses(diag.List)
	appts, err := tx.AppointmentsBetween(start, end, store.AppointmentFilter{PatientID: patientID})
	if err != nil {
		return d, err
	}
	claims, err := tx.Claims(store.ClaimFilter{PatientID: patientID})
	if err != nil {
		return d, err
	}
	claimLines := map[string][]practice.ClaimLine{}
	for _, c := range claims {
		if c.Frequency == practice.FreqVoid {
			continue
		}
		content, _, err := sentContent(tx, c)
		if err != nil {
			return d, err
		}
		for _, l := range content.Lines {
			claimLines[l.AppointmentID] = append(claimLines[l.AppointmentID], l)
		}
	}
	entries, err := tx.Entries(store.EntryFilter{PatientID: patientID})
	if err != nil {
		return d, err
	}
	paid := map[string]int{}
	for _, e := range entries {
		if e.Party == practice.PartyPatient && e.AppointmentID != "" {
			switch e.Kind {
			case practice.EntryPayment:
				paid[e.AppointmentID] += e.AmountCents
			case practice.EntryRefund:
				paid[e.AppointmentID] -= e.AmountCents
			}
		}
	}
	types, err := tx.AppointmentTypes()
	if err != nil {
		return d, err
	}
	typeCode := map[string]string{}
	for _, t := range types {
		typeCode[t.ID] = t.ServiceCode
	}
	clinicians := map[string]practice.Clinician{}
	for _, a := range appts {
		if a.Status != practice.Completed {
			continue
		}
		cl, ok := clinicians[a.ClinicianID]
		if !ok {
			if cl, err = tx.Clinician(a.ClinicianID); err != nil {
				return d, err
			}
			clinicians[a.ClinicianID] = cl
		}
		lines := claimLines[a.ID]
		if len(lines) == 0 {
			coded, err := s.rules.Code(CodingInput{TypeCode: typeCode[a.TypeID], Minutes: minutes(a), Prescriber: cl.Prescriber,
				Telehealth: a.Telehealth, AtHome: a.Telehealth, CMHC: d.Billing.CMHC, Payer: practice.DefaultPayerBilling("", practice.PayerInsurance)})
			if err != nil {
				continue // not billable (under 16 minutes)
			}
			for _, l := range coded {
				l.ChargeCents = d.Billing.Fees[l.Code] * max(l.Units, 1)
				l.Pointers = []int{}
				if len(d.Diagnoses) > 0 {
					l.Pointers = []int{1}
				}
				lines = append(lines, l)
			}
		}
		for i, l := range lines {
			sl := SuperbillLine{ServiceOn: localDay(zone, a.Start), Code: l.Code, Modifiers: l.Modifiers, Units: max(l.Units, 1), POS: l.POS,
				Pointers: l.Pointers, ChargeCents: l.ChargeCents, Clinician: cl}
			if i == 0 {
				sl.PaidCents = paid[a.ID]
			}
			d.Lines = append(d.Lines, sl)
		}
	}
	return d, nil
}

// statement gathers a patient's entries from from to to and the balance.
func (s *Service) statement(tx Store, by practice.Actor, patientID, from, to string) (StatementData, error) {
	var d StatementData
	if err := checkAccess(tx, by, patientID); err != nil {
		return d, err
	}
	settings, err := tx.Settings()
	if err != nil {
		return d, err
	}
	if _, _, err := dayRange(settings.Zone(), from, to); err != nil {
		return d, err
	}
	d = StatementData{Practice: settings, From: from, To: to, Created: tx.Now().In(settings.Zone()), Lines: []StatementLine{}}
	if d.Billing, err = tx.BillingSettings(); err != nil {
		return d, err
	}
	if d.Patient, err = tx.Patient(patientID); err != nil {
		return d, err
	}
	entries, err := tx.Entries(store.EntryFilter{PatientID: patientID, To: to})
	if err != nil {
		return d, err
	}
	var before, all []practice.Entry
	for _, e := range entries {
		all = append(all, e)
		if e.On < from {
			before = append(before, e)
			continue
		}
		if e.Party != practice.PartyPatient && e.Kind != practice.EntryPatientResp {
			continue
		}
		l := StatementLine{On: e.On, Description: statementWords(e)}
		switch e.Kind.Sign() {
		case 1:
			l.DebitCents = e.AmountCents
		case -1:
			l.CreditCents = e.AmountCents
		}
		if e.Kind == practice.EntryPatientResp {
			l.DebitCents, l.CreditCents = e.AmountCents, 0
		}
		d.Lines = append(d.Lines, l)
	}
	sort.SliceStable(d.Lines, func(i, j int) bool { return d.Lines[i].On < d.Lines[j].On })
	d.PreviousDue = BalanceOf(before).PatientCents
	d.BalanceCents = BalanceOf(all).PatientCents
	return d, nil
}

func statementWords(e practice.Entry) string {
	switch e.Kind {
	case practice.EntryPatientResp:
		switch e.ReasonCode {
		case "1":
			return "Deductible (your insurance's answer)"
		case "2":
			return "Coinsurance (your insurance's answer)"
		case "3":
			return "Copay (your insurance's answer)"
		}
		return "Your share (your insurance's answer)"
	case practice.EntryPayment:
		return "Payment, thank you (" + strings.ToUpper(e.Method) + ")"
	case practice.EntryFee:
		if e.Note != "" {
			return e.Note
		}
		return "Missed-appointment fee"
	case practice.EntryRefund:
		return "Refund"
	case practice.EntryWriteOff, practice.EntryAdjustment:
		return "Adjustment"
	case practice.EntryCharge:
		return "Charge"
	}
	return string(e.Kind)
}
