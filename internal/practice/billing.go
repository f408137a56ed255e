package practice

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Billing: the practice as billing provider, each payer's claim rules, the
// patients' diagnoses, claims and the ledger. Amounts, dates, kinds,
// statuses and opaque ids are plain (the dashboards and balances query
// them); codes describing a person's care, numbers identifying them and
// every note are sealed.

// BillingSettings is the practice as billing provider, beside what
// Settings already holds (group NPI, tax ID, address), and its fee schedule.
type BillingSettings struct {
	// Taxonomy is the billing provider's NUCC taxonomy (2000A PRV), e.g. 261QM0801X.
	Taxonomy string `json:"taxonomy"`
	// CMHC: the practice is a community mental health center (office POS 53, not 11).
	CMHC bool `json:"cmhc"`
	// The submitter (1000A) and receiver (1000B) of the 837P: the practice's
	// clearinghouse account.
	SubmitterID   string         `json:"submitterId"`
	ContactName   string         `json:"contactName"`
	ContactPhone  string         `json:"contactPhone"`
	ReceiverName  string         `json:"receiverName"`
	ReceiverID    string         `json:"receiverId"`
	ClaimPrefix   string         `json:"claimPrefix"` // optional letters before every claim number
	Fees          map[string]int `json:"fees"`        // CPT/HCPCS code → charge in cents
	StatementNote string         `json:"statementNote"`
}

// MaxChargeCents bounds any one amount: $100,000.
const MaxChargeCents = 10_000_000

var (
	serviceCodeRE = regexp.MustCompile(`^[0-9A-Z][0-9]{3}[0-9A-Z]$`)
	taxonomyRE    = regexp.MustCompile(`^[0-9]{3}[0-9A-Z]{6}X$`)
	modifierRE    = regexp.MustCompile(`^[0-9A-Z]{2}$`)
	posRE         = regexp.MustCompile(`^[0-9]{2}$`)
)

// ValidTaxonomy reports whether s has the form of a NUCC taxonomy code
// (ten characters ending in X, e.g. 101YM0800X).
func ValidTaxonomy(s string) bool { return taxonomyRE.MatchString(s) }

// ValidServiceCode reports whether s has the form of a CPT or HCPCS code.
func ValidServiceCode(s string) bool { return serviceCodeRE.MatchString(s) }

// Normalize trims input in place.
func (b *BillingSettings) Normalize() {
	Trim(&b.Taxonomy, &b.SubmitterID, &b.ContactName, &b.ContactPhone, &b.ReceiverName, &b.ReceiverID, &b.ClaimPrefix, &b.StatementNote)
	b.Taxonomy = strings.ToUpper(b.Taxonomy)
	b.ClaimPrefix = strings.ToUpper(b.ClaimPrefix)
	if b.Fees == nil {
		b.Fees = map[string]int{}
	}
}

// Validate names every bad field. Errors: EInvalid.
func (b *BillingSettings) Validate() error {
	p := Problems{}
	if b.Taxonomy != "" && !ValidTaxonomy(b.Taxonomy) {
		p.Add("taxonomy", "A taxonomy code is 10 characters ending in X, e.g. 261QM0801X.")
	}
	checkText(p, "submitterId", b.SubmitterID, 80, false)
	checkText(p, "contactName", b.ContactName, MaxName, false)
	checkPhone(p, "contactPhone", b.ContactPhone, false)
	checkText(p, "receiverName", b.ReceiverName, 60, false)
	checkText(p, "receiverId", b.ReceiverID, 80, false)
	if len(b.ClaimPrefix) > 4 || strings.IndexFunc(b.ClaimPrefix, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		p.Add("claimPrefix", "Up to four letters, e.g. QD.")
	}
	checkText(p, "statementNote", b.StatementNote, MaxShort, false)
	checkFees(p, "fees", b.Fees)
	return p.Err()
}

func checkFees(p Problems, field string, fees map[string]int) {
	if len(fees) > 200 {
		p.Add(field, "At most 200 codes.")
	}
	for code, cents := range fees {
		switch {
		case !ValidServiceCode(code):
			p.Add(field, "“"+code+"” is not a CPT or HCPCS code (five characters, e.g. 90837).")
		case cents < 0:
			p.Add(field, "The amount for "+code+" cannot be negative.")
		case cents > MaxChargeCents:
			p.Add(field, "The amount for "+code+" is more than $100,000; please check it.")
		}
	}
}

// Claim filing indicators (SBR09) a payer may be.
var FilingIndicators = map[string]string{
	"CI": "Commercial insurance", "BL": "Blue Cross/Blue Shield", "HM": "HMO", "MB": "Medicare Part B",
	"MC": "Medicaid", "CH": "TRICARE (CHAMPUS)", "VA": "Veterans Affairs", "WC": "Workers' compensation",
	"12": "PPO", "13": "POS plan", "14": "EPO", "16": "HMO Medicare Risk", "ZZ": "Other (EAP)",
}

// PayerBilling is one payer's claim rules (whether it requires an
// authorization is the authorizations area's PayerAuthRules).
type PayerBilling struct {
	PayerID         string `json:"payerId"`         // the payer record's id
	FilingIndicator string `json:"filingIndicator"` // SBR09, e.g. CI
	TimelyDays      int    `json:"timelyDays"`      // claims must reach the payer within this many days of service
	// Modifiers for telehealth: video (95, GT or none) and audio-only (93, FQ).
	VideoModifier string `json:"videoModifier"`
	AudioModifier string `json:"audioModifier"`
	// AlwaysModifiers go on every line (HJ for some EAPs).
	AlwaysModifiers []string `json:"alwaysModifiers"`
	// TelehealthPOS: "" follows where the patient was (10 at home, 02
	// elsewhere); "11" for payers that want the office's POS with 95.
	TelehealthPOS string `json:"telehealthPos"`
	// CodeMap replaces a code for this payer (an EAP's 99404 for 90834).
	CodeMap map[string]string `json:"codeMap"`
	// Expected is what the payer is expected to pay per code, in cents.
	Expected map[string]int `json:"expected"`
	// LineAuth: the authorization number also goes on each line (2400 REF*G1).
	LineAuth bool `json:"lineAuth"`
}

// DefaultTimelyDays is a payer's timely filing limit until one is saved.
const DefaultTimelyDays = 90

// DefaultPayerBilling is a payer's rules before any are saved.
func DefaultPayerBilling(payerID string, kind PayerKind) PayerBilling {
	b := PayerBilling{PayerID: payerID, FilingIndicator: "CI", TimelyDays: DefaultTimelyDays, VideoModifier: "95",
		AlwaysModifiers: []string{}, CodeMap: map[string]string{}, Expected: map[string]int{}}
	if kind == PayerEAP {
		b.FilingIndicator = "ZZ"
	}
	return b
}

// Normalize trims input in place.
func (b *PayerBilling) Normalize() {
	Trim(&b.FilingIndicator, &b.VideoModifier, &b.AudioModifier, &b.TelehealthPOS)
	b.FilingIndicator = strings.ToUpper(b.FilingIndicator)
	b.VideoModifier, b.AudioModifier = strings.ToUpper(b.VideoModifier), strings.ToUpper(b.AudioModifier)
	b.AlwaysModifiers = trimList(b.AlwaysModifiers)
	for i, m := range b.AlwaysModifiers {
		b.AlwaysModifiers[i] = strings.ToUpper(m)
	}
	if b.AlwaysModifiers == nil {
		b.AlwaysModifiers = []string{}
	}
	if b.CodeMap == nil {
		b.CodeMap = map[string]string{}
	}
	if b.Expected == nil {
		b.Expected = map[string]int{}
	}
}

// Validate names every bad field. Errors: EInvalid.
func (b *PayerBilling) Validate() error {
	p := Problems{}
	if b.PayerID == "" {
		p.Add("payerId", "Choose the payer.")
	}
	if _, ok := FilingIndicators[b.FilingIndicator]; !ok {
		p.Add("filingIndicator", "Choose the claim filing indicator (e.g. CI for commercial insurance).")
	}
	if b.TimelyDays < 1 || b.TimelyDays > 3650 {
		p.Add("timelyDays", "The timely filing limit is a number of days from 1 to 3650 (90 or 365 are common).")
	}
	for field, m := range map[string]string{"videoModifier": b.VideoModifier, "audioModifier": b.AudioModifier} {
		if m != "" && !modifierRE.MatchString(m) {
			p.Add(field, "A modifier is two letters or digits, e.g. 95.")
		}
	}
	if len(b.AlwaysModifiers) > 2 {
		p.Add("alwaysModifiers", "At most two modifiers on every line (a line holds four, telehealth needs one).")
	}
	for _, m := range b.AlwaysModifiers {
		if !modifierRE.MatchString(m) {
			p.Add("alwaysModifiers", "A modifier is two letters or digits, e.g. HJ.")
		}
	}
	if b.TelehealthPOS != "" && !posRE.MatchString(b.TelehealthPOS) {
		p.Add("telehealthPos", "A place of service is two digits, e.g. 11; leave it empty to follow where the patient was.")
	}
	for from, to := range b.CodeMap {
		if !ValidServiceCode(from) || !ValidServiceCode(to) {
			p.Add("codeMap", "Code replacements pair two CPT or HCPCS codes, e.g. 90834 → 99404.")
		}
	}
	checkFees(p, "expected", b.Expected)
	return p.Err()
}

// --- diagnoses

// MaxDiagnoses is how many diagnoses a claim carries (HI, 12 codes).
const MaxDiagnoses = 12

// Diagnosis is one ICD-10-CM code of a patient, in the order a claim lists them.
type Diagnosis struct {
	Code        string `json:"code"`        // normalized, with its dot: F43.10 (the 837P drops it)
	Description string `json:"description"` // the common list's words, or what was typed
	Since       string `json:"since"`       // YYYY-MM-DD or ""
}

// Diagnoses is a patient's ordered diagnoses (the first is primary).
type Diagnoses struct {
	PatientID string      `json:"patientId"`
	List      []Diagnosis `json:"list"`
	Note      string      `json:"note"`
}

// Normalize trims input in place (the billing service normalizes the codes).
func (d *Diagnoses) Normalize() {
	Trim(&d.Note)
	for i := range d.List {
		Trim(&d.List[i].Code, &d.List[i].Description, &d.List[i].Since)
	}
	if d.List == nil {
		d.List = []Diagnosis{}
	}
}

// Validate names every bad field; check says why a code is not an
// ICD-10-CM code (internal/billing/icd10), nil when it is one.
// Errors: EInvalid.
func (d *Diagnoses) Validate(check func(string) error) error {
	p := Problems{}
	if d.PatientID == "" {
		p.Add("patientId", "Choose the patient.")
	}
	if len(d.List) > MaxDiagnoses {
		p.Add("list", "A claim carries at most 12 diagnoses; remove "+strconv.Itoa(len(d.List)-MaxDiagnoses)+".")
	}
	seen := map[string]bool{}
	for i, x := range d.List {
		field := "list." + strconv.Itoa(i)
		switch {
		case x.Code == "":
			p.Add(field+".code", "Enter the ICD-10-CM code, e.g. F41.1.")
		case check(x.Code) != nil:
			p.Add(field+".code", "“"+x.Code+"”: "+ErrorMessage(check(x.Code)))
		case seen[x.Code]:
			p.Add(field+".code", x.Code+" is listed twice.")
		}
		seen[x.Code] = true
		checkText(p, field+".description", x.Description, MaxShort, false)
		if x.Since != "" {
			if _, err := time.Parse(time.DateOnly, x.Since); err != nil {
				p.Add(field+".since", DateProblem(x.Since, "2026-03-14"))
			}
		}
	}
	checkText(p, "note", d.Note, MaxText, false)
	return p.Err()
}

// --- claims

// ClaimStatus is where a claim is. It only moves forward, in this order
// (the store's forward-only merge policy reads the same list).
type ClaimStatus string

const (
	ClaimDraft         ClaimStatus = "draft"
	ClaimReady         ClaimStatus = "ready"
	ClaimExported      ClaimStatus = "exported"
	ClaimRejected      ClaimStatus = "rejected"
	ClaimAccepted      ClaimStatus = "accepted"
	ClaimDenied        ClaimStatus = "denied"
	ClaimPartiallyPaid ClaimStatus = "partially_paid"
	ClaimPaid          ClaimStatus = "paid"
	ClaimAppealed      ClaimStatus = "appealed"
)

// ClaimStatusOrder is every status, first to last.
var ClaimStatusOrder = []ClaimStatus{ClaimDraft, ClaimReady, ClaimExported, ClaimRejected, ClaimAccepted,
	ClaimDenied, ClaimPartiallyPaid, ClaimPaid, ClaimAppealed}

// Rank is the status's place in ClaimStatusOrder (-1 for none).
func (s ClaimStatus) Rank() int {
	for i, x := range ClaimStatusOrder {
		if x == s {
			return i
		}
	}
	return -1
}

// Sent reports whether the claim has left the practice: it is never edited again.
func (s ClaimStatus) Sent() bool { return s.Rank() >= ClaimExported.Rank() }

// Claim frequency codes (CLM05-3).
const (
	FreqOriginal    = "1"
	FreqReplacement = "7"
	FreqVoid        = "8"
)

// ClaimLine is one service line: one session's code.
type ClaimLine struct {
	AppointmentID string   `json:"appointmentId"`
	ServiceOn     string   `json:"serviceOn"` // the session's local date, YYYY-MM-DD
	Code          string   `json:"code"`
	Modifiers     []string `json:"modifiers"`
	Units         int      `json:"units"`
	ChargeCents   int      `json:"chargeCents"`
	POS           string   `json:"pos"`
	Minutes       int      `json:"minutes"`  // actual face-to-face minutes
	Pointers      []int    `json:"pointers"` // 1-based into the claim's diagnoses
	Telehealth    bool     `json:"telehealth"`
	AtHome        bool     `json:"atHome"` // telehealth with the patient at home
	// AddOn: this line's code is an add-on to the line before (90785, 90840, 9083x).
	AddOn bool `json:"addOn"`
	// OverrideReason: a person changed the code the rules gave (audited).
	OverrideReason string `json:"overrideReason"`
}

// Claim is one claim to one payer for one patient's sessions with one
// rendering clinician.
type Claim struct {
	ID          string      `json:"id"`
	Number      string      `json:"number"` // unique across office computers
	PatientID   string      `json:"patientId"`
	PayerID     string      `json:"payerId"`
	ClinicianID string      `json:"clinicianId"`
	Frequency   string      `json:"frequency"`  // 1, 7 replacement, 8 void
	ReplacesID  string      `json:"replacesId"` // the claim a 7 or 8 corrects
	Created     time.Time   `json:"created" ts_type:"string"`
	Status      ClaimStatus `json:"status"`
	// AppointmentIDs are the sessions billed (plain: "unbilled" queries them).
	AppointmentIDs []string     `json:"appointmentIds"`
	Content        ClaimContent `json:"content"`
}

// ClaimContent is what a claim says (sealed): copied from the records when
// the claim is made, edited while it is a draft, frozen when exported.
type ClaimContent struct {
	PolicyID     string      `json:"policyId"`
	MemberID     string      `json:"memberId"`
	GroupNumber  string      `json:"groupNumber"`
	Relationship string      `json:"relationship"` // self, spouse, child, other
	AuthNumber   string      `json:"authNumber"`   // REF*G1
	Diagnoses    []Diagnosis `json:"diagnoses"`
	Lines        []ClaimLine `json:"lines"`
	OriginalRef  string      `json:"originalRef"` // the payer's claim number of the claim a 7/8 corrects
	Note         string      `json:"note"`
}

// TotalCents is CLM02: the sum of the line charges.
func (c ClaimContent) TotalCents() int {
	t := 0
	for _, l := range c.Lines {
		t += l.ChargeCents
	}
	return t
}

// ClaimEdit is what a biller may change on a draft claim.
type ClaimEdit struct {
	ClaimID     string `json:"claimId"`
	AuthNumber  string `json:"authNumber"`
	OriginalRef string `json:"originalRef"`
	Note        string `json:"note"`
	// Lines: code, modifiers and pointers per line, in the claim's order;
	// nil leaves the lines as they are.
	Lines []LineEdit `json:"lines"`
}

// LineEdit changes one line's code (with a reason), modifiers or pointers.
type LineEdit struct {
	Code           string   `json:"code"`
	Modifiers      []string `json:"modifiers"`
	Pointers       []int    `json:"pointers"`
	OverrideReason string   `json:"overrideReason"`
}

// Validate checks the edit's own values. Errors: EInvalid.
func (e *ClaimEdit) Validate() error {
	Trim(&e.AuthNumber, &e.OriginalRef, &e.Note)
	p := Problems{}
	checkText(p, "authNumber", e.AuthNumber, 50, false)
	checkText(p, "originalRef", e.OriginalRef, 50, false)
	checkText(p, "note", e.Note, MaxText, false)
	for i := range e.Lines {
		l := &e.Lines[i]
		field := "lines." + strconv.Itoa(i)
		Trim(&l.Code, &l.OverrideReason)
		l.Code = strings.ToUpper(l.Code)
		if !ValidServiceCode(l.Code) {
			p.Add(field+".code", "Enter a CPT or HCPCS code, e.g. 90834.")
		}
		if len(l.Modifiers) > 4 {
			p.Add(field+".modifiers", "A line holds at most four modifiers.")
		}
		for j, m := range l.Modifiers {
			l.Modifiers[j] = strings.ToUpper(strings.TrimSpace(m))
			if !modifierRE.MatchString(l.Modifiers[j]) {
				p.Add(field+".modifiers", "A modifier is two letters or digits, e.g. 95.")
			}
		}
		if len(l.Pointers) == 0 || len(l.Pointers) > 4 {
			p.Add(field+".pointers", "Point each line at one to four of the claim's diagnoses.")
		}
		checkText(p, field+".overrideReason", l.OverrideReason, MaxShort, false)
	}
	return p.Err()
}

// --- the ledger

// EntryKind is what a ledger entry records.
type EntryKind string

const (
	EntryCharge      EntryKind = "charge"       // a claim line's charge, posted when the claim is exported
	EntryPayment     EntryKind = "payment"      // money received, from the payer or the patient
	EntryAdjustment  EntryKind = "adjustment"   // a payer's contractual or other adjustment (CARC group CO, OA, PI, CR)
	EntryPatientResp EntryKind = "patient_resp" // the payer moved this amount to the patient (group PR: copay, deductible, coinsurance)
	EntryDenial      EntryKind = "denial"       // the payer denied the line (the amount stays owed until appealed or written off)
	EntryWriteOff    EntryKind = "write_off"    // the practice gives up an amount
	EntryRefund      EntryKind = "refund"       // money paid back
	EntryFee         EntryKind = "fee"          // a no-show or late-cancel fee from the calendar
)

// EntryKinds are every kind of ledger entry.
var EntryKinds = []EntryKind{EntryCharge, EntryPayment, EntryAdjustment, EntryPatientResp, EntryDenial, EntryWriteOff, EntryRefund, EntryFee}

// OwedSign is how an entry of the kind moves what is owed in all, by
// anyone: +1 adds its amount (charges, fees, refunds), -1 takes it away
// (payments, adjustments, write-offs), 0 leaves the total (moving an amount
// to the patient; a denial, which stays owed until appealed or written off).
// The billing service's balances and the store's sums in SQL both follow it.
func (k EntryKind) OwedSign() int {
	switch k {
	case EntryCharge, EntryFee, EntryRefund:
		return 1
	case EntryPayment, EntryAdjustment, EntryWriteOff:
		return -1
	}
	return 0
}

// Party is who owes or pays: the insurance or the patient.
type Party string

const (
	PartyInsurance Party = "insurance"
	PartyPatient   Party = "patient"
)

// Payment methods for money from patients.
var PaymentMethods = []string{"cash", "check", "card", "hsa", "other"}

// Entry is one ledger line. Entries are never changed: a mistake is
// corrected by another entry.
type Entry struct {
	ID            string    `json:"id"`
	Kind          EntryKind `json:"kind"`
	Party         Party     `json:"party"`
	ClaimID       string    `json:"claimId"`
	Line          int       `json:"line"` // 1-based claim line; 0 for the whole claim or none
	PatientID     string    `json:"patientId"`
	PayerID       string    `json:"payerId"`
	AppointmentID string    `json:"appointmentId"`
	AmountCents   int       `json:"amountCents"`   // always positive; Kind says which way it moves the balance
	ExpectedCents int       `json:"expectedCents"` // a charge: what the payer is expected to pay (its rules)
	On            string    `json:"on"`            // the date it happened (check date, date of service), YYYY-MM-DD
	Posted        time.Time `json:"posted" ts_type:"string"`
	AccountID     string    `json:"accountId"`
	Method        string    `json:"method"`     // patient payments: cash, check, card, hsa, other
	GroupCode     string    `json:"groupCode"`  // CARC group: CO, PR, OA, PI, CR
	ReasonCode    string    `json:"reasonCode"` // CARC, e.g. 45
	Remarks       []string  `json:"remarks"`    // RARC, e.g. N130
	// Sealed: a check or transaction reference, the refund reason, a note.
	Reference    string `json:"reference"`
	RefundReason string `json:"refundReason"`
	Note         string `json:"note"`
}

var (
	carcRE = regexp.MustCompile(`^[A-Z]?[0-9]{1,3}$`)
	rarcRE = regexp.MustCompile(`^(M|N|MA)[0-9]{1,3}$`)
	// CARCGroups are the claim adjustment group codes.
	CARCGroups = map[string]string{"CO": "Contractual obligation", "PR": "Patient responsibility", "OA": "Other adjustment",
		"PI": "Payer-initiated reduction", "CR": "Correction and reversal"}
)

// Sign is how the entry moves its party's balance: +1 more owed, -1 less.
func (k EntryKind) Sign() int {
	switch k {
	case EntryCharge, EntryRefund, EntryFee:
		return 1
	case EntryDenial:
		return 0
	}
	return -1
}

// Normalize trims input in place.
func (e *Entry) Normalize() {
	Trim(&e.On, &e.Method, &e.GroupCode, &e.ReasonCode, &e.Reference, &e.RefundReason, &e.Note)
	e.GroupCode, e.ReasonCode = strings.ToUpper(e.GroupCode), strings.ToUpper(e.ReasonCode)
	e.Remarks = trimList(e.Remarks)
	for i := range e.Remarks {
		e.Remarks[i] = strings.ToUpper(e.Remarks[i])
	}
	if e.Remarks == nil {
		e.Remarks = []string{}
	}
}

// Validate checks the entry's own values; the billing service checks it
// against the claim and the balance. Errors: EInvalid.
func (e *Entry) Validate() error {
	p := Problems{}
	switch e.Kind {
	case EntryCharge, EntryPayment, EntryAdjustment, EntryPatientResp, EntryDenial, EntryWriteOff, EntryRefund, EntryFee:
	default:
		p.Add("kind", "Choose payment, adjustment, denial, write-off, refund or fee.")
	}
	if e.Party != PartyInsurance && e.Party != PartyPatient {
		p.Add("party", "Choose insurance or patient.")
	}
	switch {
	case e.AmountCents < 0:
		p.Add("amountCents", "An amount cannot be negative. To take money back, enter a refund or an adjustment.")
	case e.AmountCents == 0 && e.Kind != EntryDenial:
		p.Add("amountCents", "Enter an amount above zero.")
	case e.AmountCents > MaxChargeCents:
		p.Add("amountCents", "More than $100,000 in one entry; please check the amount.")
	}
	if e.PatientID == "" {
		p.Add("patientId", "Choose the patient.")
	}
	if _, err := time.Parse(time.DateOnly, e.On); err != nil {
		p.Add("on", DateProblem(e.On, "2026-03-14"))
	}
	if e.Kind == EntryPayment && e.Party == PartyPatient && !validMethod(e.Method) {
		p.Add("method", "Choose how the patient paid: cash, check, card, HSA or other.")
	}
	switch e.Kind {
	case EntryAdjustment, EntryPatientResp, EntryDenial:
		if _, ok := CARCGroups[e.GroupCode]; !ok {
			p.Add("groupCode", "Choose the adjustment group: CO, PR, OA, PI or CR.")
		}
		if !carcRE.MatchString(e.ReasonCode) {
			p.Add("reasonCode", "Enter the claim adjustment reason code from the remittance, e.g. 45 or 197.")
		}
	}
	if e.Kind == EntryPatientResp && e.GroupCode != "PR" {
		p.Add("groupCode", "A patient responsibility amount has group PR.")
	}
	if len(e.Remarks) > 5 {
		p.Add("remarks", "At most five remark codes.")
	}
	for _, r := range e.Remarks {
		if !rarcRE.MatchString(r) {
			p.Add("remarks", "“"+r+"” is not a remark code (e.g. N130, M15, MA130).")
		}
	}
	checkText(p, "reference", e.Reference, 50, false)
	checkText(p, "refundReason", e.RefundReason, MaxShort, false)
	checkText(p, "note", e.Note, MaxText, false)
	return p.Err()
}

func validMethod(m string) bool {
	for _, x := range PaymentMethods {
		if m == x {
			return true
		}
	}
	return false
}
