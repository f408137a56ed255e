package billing

import (
	"strconv"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Balance is what is owed, derived from ledger entries each time it is
// asked for (never stored): two machines that posted payments offline
// agree on it as soon as they hold the same entries.
type Balance struct {
	ChargedCents   int `json:"chargedCents"`   // charges and fees
	InsuranceCents int `json:"insuranceCents"` // still owed by the payer
	PatientCents   int `json:"patientCents"`   // still owed by the patient (negative: a credit)
	PaidCents      int `json:"paidCents"`      // received from anyone, less refunds
	AdjustedCents  int `json:"adjustedCents"`  // contractual adjustments and write-offs
	DeniedCents    int `json:"deniedCents"`    // denied and not yet paid, adjusted or written off
}

// TotalCents is what is owed by anyone.
func (b Balance) TotalCents() int { return b.InsuranceCents + b.PatientCents }

// Add takes one entry into the balance.
func (b *Balance) Add(e practice.Entry) {
	owed := &b.InsuranceCents
	if e.Party == practice.PartyPatient {
		owed = &b.PatientCents
	}
	switch e.Kind {
	case practice.EntryCharge, practice.EntryFee:
		b.ChargedCents += e.AmountCents
		*owed += e.AmountCents
	case practice.EntryPayment:
		b.PaidCents += e.AmountCents
		*owed -= e.AmountCents
	case practice.EntryRefund:
		b.PaidCents -= e.AmountCents
		*owed += e.AmountCents
	case practice.EntryAdjustment, practice.EntryWriteOff:
		b.AdjustedCents += e.AmountCents
		*owed -= e.AmountCents
	case practice.EntryPatientResp:
		// The payer moves the amount to the patient: the total is the same.
		b.InsuranceCents -= e.AmountCents
		b.PatientCents += e.AmountCents
	case practice.EntryDenial:
		b.DeniedCents += e.AmountCents
	}
}

// BalanceOf sums entries.
func BalanceOf(entries []practice.Entry) Balance {
	var b Balance
	for _, e := range entries {
		b.Add(e)
	}
	if b.DeniedCents > b.InsuranceCents {
		b.DeniedCents = max(b.InsuranceCents, 0)
	}
	return b
}

// Account is a patient's ledger and balance, as the front desk and billers see it.
type Account struct {
	PatientID string           `json:"patientId"`
	Entries   []practice.Entry `json:"entries"`
	Balance   Balance          `json:"balance"`
}

// Account returns a patient's ledger with references and notes, audited as
// a view of the patient's record. Errors: EForbidden, ENotFound.
func (s *Service) Account(tx Store, by practice.Actor, patientID string) (Account, error) {
	if err := checkAccess(tx, by, patientID); err != nil {
		return Account{}, err
	}
	entries, err := tx.Entries(store.EntryFilter{PatientID: patientID, Notes: true})
	if err != nil {
		return Account{}, err
	}
	if entries == nil {
		entries = []practice.Entry{}
	}
	return Account{PatientID: patientID, Entries: entries, Balance: BalanceOf(entries)}, tx.Audit(by.AccountID, "ledger.view", "patients", patientID)
}

// dollars writes cents as staff read them: $1,234.50.
func dollars(cents int) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := strconv.Itoa(cents / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	frac := strconv.Itoa(cents % 100)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + "$" + whole + "." + frac
}

// Post appends one entry to the ledger, audited, after checking it against
// the claim and the balance: an insurance entry belongs to an exported
// claim of that payer and one of its lines; a payment larger than what its
// party still owes needs a refund reason (the credit is then owed back); a
// denial cannot exceed the line's charge. Charges come from exports and
// fees from the calendar, never typed here. After an insurance payment or
// denial the claim's status moves forward (paid, partially paid, denied).
// Nothing is written when anything is wrong. Errors: EInvalid, EForbidden,
// ENotFound.
func (s *Service) Post(tx Store, by practice.Actor, e practice.Entry) (practice.Entry, error) {
	e.Normalize()
	e.ID, e.AccountID = "", by.AccountID
	if err := e.Validate(); err != nil {
		return e, err
	}
	if e.Kind == practice.EntryCharge || e.Kind == practice.EntryFee {
		return e, practice.FieldProblem("kind", "Charges are posted when a claim is exported, and fees from the calendar; enter a payment, adjustment, denial, write-off or refund.")
	}
	if err := checkAccess(tx, by, e.PatientID); err != nil {
		return e, err
	}
	var entries []practice.Entry
	var claim practice.Claim
	if e.ClaimID != "" {
		var err error
		if claim, err = tx.Claim(e.ClaimID); err != nil {
			return e, err
		}
		if claim.PatientID != e.PatientID {
			return e, practice.FieldProblem("claimId", "That claim is another patient's.")
		}
		if !claim.Status.Sent() {
			return e, practice.FieldProblem("claimId", "Claim "+claim.Number+" has not been exported yet: nothing is owed on it until it is sent.")
		}
		if e.Party == practice.PartyInsurance {
			e.PayerID = claim.PayerID
		}
		subs, err := tx.ClaimSubmissions(claim.ID)
		if err != nil {
			return e, err
		}
		lines := 0
		if len(subs) > 0 {
			lines = len(subs[len(subs)-1].Content.Lines)
		}
		if e.Line < 0 || e.Line > lines {
			return e, practice.FieldProblem("line", "Claim "+claim.Number+" has lines 1 to "+strconv.Itoa(lines)+".")
		}
		if entries, err = tx.Entries(store.EntryFilter{ClaimIDs: []string{claim.ID}}); err != nil {
			return e, err
		}
	} else {
		if e.Party == practice.PartyInsurance {
			return e, practice.FieldProblem("claimId", "Choose the claim the payer's payment, adjustment or denial is for.")
		}
		all, err := tx.Entries(store.EntryFilter{PatientID: e.PatientID})
		if err != nil {
			return e, err
		}
		entries = all
	}
	if err := checkAgainstBalance(e, entries); err != nil {
		return e, err
	}
	if err := tx.AddEntry(&e); err != nil {
		return e, err
	}
	table, id := "patients", e.PatientID
	if e.ClaimID != "" {
		table, id = "claims", e.ClaimID
	}
	if err := tx.Audit(by.AccountID, "ledger."+string(e.Kind), table, id); err != nil {
		return e, err
	}
	if e.ClaimID != "" && e.Party == practice.PartyInsurance {
		return e, s.advanceAfterRemittance(tx, claim, append(entries, e))
	}
	return e, nil
}

// checkAgainstBalance refuses a payment, adjustment or write-off larger than
// what its party still owes (on the line when one is named), unless a
// payment carries a refund reason; and a denial larger than the charge.
func checkAgainstBalance(e practice.Entry, entries []practice.Entry) error {
	var scope []practice.Entry
	for _, x := range entries {
		if e.Line == 0 || x.Line == e.Line {
			scope = append(scope, x)
		}
	}
	b := BalanceOf(scope)
	owed := b.InsuranceCents
	who := "the payer"
	if e.Party == practice.PartyPatient {
		owed, who = b.PatientCents, "the patient"
	}
	where := "on this claim"
	if e.Line > 0 {
		where = "on line " + strconv.Itoa(e.Line)
	} else if e.ClaimID == "" {
		where = "on the patient's account"
	}
	switch e.Kind {
	case practice.EntryPayment:
		if e.AmountCents > owed && e.RefundReason == "" {
			return practice.FieldProblem("amountCents", "This payment of "+dollars(e.AmountCents)+" is more than the "+dollars(max(owed, 0))+
				" "+who+" still owes "+where+". Check the amount, or enter a refund reason to keep the overpayment as a credit to refund.")
		}
	case practice.EntryAdjustment, practice.EntryWriteOff, practice.EntryPatientResp:
		if e.AmountCents > owed {
			return practice.FieldProblem("amountCents", "This "+kindWords(e.Kind)+" of "+dollars(e.AmountCents)+" is more than the "+
				dollars(max(owed, 0))+" "+who+" still owes "+where+".")
		}
	case practice.EntryDenial:
		if e.AmountCents > b.ChargedCents {
			return practice.FieldProblem("amountCents", "The denied amount "+dollars(e.AmountCents)+" is more than the "+dollars(b.ChargedCents)+" charged "+where+".")
		}
	case practice.EntryRefund:
		if credit := -owed; e.AmountCents > credit {
			return practice.FieldProblem("amountCents", "A refund of "+dollars(e.AmountCents)+" is more than the "+dollars(max(credit, 0))+
				" credit "+who+" holds "+where+".")
		}
	}
	return nil
}

func kindWords(k practice.EntryKind) string {
	switch k {
	case practice.EntryWriteOff:
		return "write-off"
	case practice.EntryPatientResp:
		return "patient responsibility"
	}
	return string(k)
}

// advanceAfterRemittance moves a claim's status forward after the payer's
// answer: paid when the payer owes nothing more, partially paid when it
// paid something, denied when it denied and paid nothing. A claim already
// further along (appealed) stays.
func (s *Service) advanceAfterRemittance(tx Store, c practice.Claim, entries []practice.Entry) error {
	var paid, denied bool
	for _, e := range entries {
		if e.Party != practice.PartyInsurance {
			continue
		}
		paid = paid || e.Kind == practice.EntryPayment || e.Kind == practice.EntryPatientResp || e.Kind == practice.EntryAdjustment
		denied = denied || e.Kind == practice.EntryDenial
	}
	b := BalanceOf(entries)
	next := c.Status
	switch {
	case paid && b.InsuranceCents <= 0:
		next = practice.ClaimPaid
	case paid:
		next = practice.ClaimPartiallyPaid
	case denied:
		next = practice.ClaimDenied
	}
	if next.Rank() <= c.Status.Rank() {
		return nil
	}
	return tx.SetClaimStatus(c.ID, next)
}

// TakeCopay records money a patient pays at the desk (a copay before the
// payer has answered, so no balance bounds it), audited. The front desk
// may take it; it sees no diagnoses. Errors: EInvalid, EForbidden, ENotFound.
func (s *Service) TakeCopay(tx Store, by practice.Actor, c Copay) (practice.Entry, error) {
	e := practice.Entry{Kind: practice.EntryPayment, Party: practice.PartyPatient, PatientID: c.PatientID, AppointmentID: c.AppointmentID,
		AmountCents: c.AmountCents, Method: c.Method, Reference: c.Reference, Note: c.Note, AccountID: by.AccountID}
	e.Normalize()
	settings, err := tx.Settings()
	if err != nil {
		return e, err
	}
	e.On = localDay(settings.Zone(), tx.Now())
	if err := e.Validate(); err != nil {
		return e, err
	}
	if err := checkAccess(tx, by, c.PatientID); err != nil {
		return e, err
	}
	if c.AppointmentID != "" {
		a, err := tx.Appointment(c.AppointmentID)
		if err != nil {
			return e, err
		}
		if a.PatientID != c.PatientID {
			return e, practice.FieldProblem("appointmentId", "That session is another patient's.")
		}
	}
	if err := tx.AddEntry(&e); err != nil {
		return e, err
	}
	return e, tx.Audit(by.AccountID, "ledger.copay", "patients", c.PatientID)
}

// Copay is a payment taken at the desk.
type Copay struct {
	PatientID     string `json:"patientId"`
	AppointmentID string `json:"appointmentId"`
	AmountCents   int    `json:"amountCents"`
	Method        string `json:"method"`
	Reference     string `json:"reference"`
	Note          string `json:"note"`
}
