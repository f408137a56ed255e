package practice

import (
	"strconv"
	"time"
)

// AuthKind is what allows a patient's sessions: an insurer's prior
// authorization, an employer's EAP benefit, or a managed-care visit limit.
type AuthKind string

const (
	AuthPrior      AuthKind = "prior"
	AuthEAP        AuthKind = "eap"
	AuthVisitLimit AuthKind = "visit_limit"
)

// AuthStatus is where an authorization request stands. Only an authorized
// one covers sessions; a requested one is followed up until the payer
// answers.
type AuthStatus string

const (
	AuthRequested  AuthStatus = "requested"
	AuthAuthorized AuthStatus = "authorized"
	AuthDenied     AuthStatus = "denied"
)

// AuthUnit is what an authorization counts: whole sessions, or 15-minute
// units of face-to-face time.
type AuthUnit string

const (
	UnitSessions AuthUnit = "sessions"
	Unit15Min    AuthUnit = "units15"
)

// CountMissed overrides, for one authorization, whether late cancellations
// and no-shows use up sessions; "" follows the payer's rule.
type CountMissed string

const (
	CountMissedPayer CountMissed = ""
	CountMissedYes   CountMissed = "yes"
	CountMissedNo    CountMissed = "no"
)

// Authorization limits for validation: more than 1,000 sessions or units
// in one authorization is a typing mistake.
const (
	MaxAuthorized  = 1000
	MaxWarnDays    = 365
	MaxServiceCode = 20
)

// Authorization is one payer's permission for a number of a patient's
// sessions (or units) between two dates. Start and End are local dates
// (YYYY-MM-DD, both inclusive) in the practice's time zone. The numbers,
// the EAP case, the payer contact and the notes are sealed; the counts,
// dates and states are plain (they reveal no one and drive the usage).
// Usage is never stored here: it is derived from the calendar.
type Authorization struct {
	ID        string     `json:"id"`
	PatientID string     `json:"patientId"`
	PayerID   string     `json:"payerId"`
	RenewsID  string     `json:"renewsId"` // the authorization this one renews ("" for the first)
	Kind      AuthKind   `json:"kind"`
	Status    AuthStatus `json:"status"`
	Unit      AuthUnit   `json:"unit"`
	Requested int        `json:"requested"` // sessions or units asked for
	// Authorized is what the payer granted; 0 while requested or denied.
	Authorized  int    `json:"authorized"`
	Start       string `json:"start"`       // YYYY-MM-DD
	End         string `json:"end"`         // YYYY-MM-DD, inclusive
	RequestedOn string `json:"requestedOn"` // YYYY-MM-DD the request was sent
	// ServiceCodes are the CPT codes covered; empty covers every session
	// ("any psychotherapy").
	ServiceCodes []string `json:"serviceCodes"`
	// WarnRemaining and WarnDays raise an alert when this many or fewer
	// remain, or the end is this many days or fewer away.
	WarnRemaining int         `json:"warnRemaining"`
	WarnDays      int         `json:"warnDays"`
	CountMissed   CountMissed `json:"countMissed"`

	// Sealed: the numbers (the one on the claim may differ from the one
	// quoted on the phone), the EAP case, the payer contact and the notes.
	Number        string `json:"number"`       // as it goes on the claim (REF*G1)
	QuotedNumber  string `json:"quotedNumber"` // as quoted on the phone, if different
	Employer      string `json:"employer"`     // EAP sponsor
	EAPCaseNumber string `json:"eapCaseNumber"`
	EAPMemberID   string `json:"eapMemberId"` // may differ from the medical member ID
	BenefitYear   string `json:"benefitYear"` // e.g. "2027" or "2027-07"
	PayerContact  string `json:"payerContact"`
	CallReference string `json:"callReference"`
	Notes         string `json:"notes"`
}

// Normalize trims input in place and drops empty service codes.
func (a *Authorization) Normalize() {
	Trim(&a.Start, &a.End, &a.RequestedOn, &a.Number, &a.QuotedNumber, &a.Employer, &a.EAPCaseNumber,
		&a.EAPMemberID, &a.BenefitYear, &a.PayerContact, &a.CallReference, &a.Notes)
	a.ServiceCodes = trimList(a.ServiceCodes)
	if a.Unit == "" {
		a.Unit = UnitSessions
	}
}

// Validate returns an EInvalid error naming every bad field. That the
// payer is one the patient has a policy with is checked by the service,
// which can read the patient's policies.
func (a *Authorization) Validate() error {
	p := Problems{}
	if a.PatientID == "" {
		p.Add("patientId", "Choose the patient.")
	}
	if a.PayerID == "" {
		p.Add("payerId", "Choose the payer.")
	}
	switch a.Kind {
	case AuthPrior, AuthEAP, AuthVisitLimit:
	default:
		p.Add("kind", "Choose prior authorization, EAP or visit limit.")
	}
	switch a.Unit {
	case UnitSessions, Unit15Min:
	default:
		p.Add("unit", "Choose sessions or 15-minute units.")
	}
	unit := "sessions"
	if a.Unit == Unit15Min {
		unit = "units"
	}
	switch {
	case a.Requested < 0:
		p.Add("requested", "The number of "+unit+" requested cannot be negative.")
	case a.Requested > MaxAuthorized:
		p.Add("requested", "At most "+strconv.Itoa(MaxAuthorized)+" "+unit+".")
	}
	switch a.Status {
	case AuthAuthorized:
		switch {
		case a.Authorized < 0:
			p.Add("authorized", "The number of "+unit+" authorized cannot be negative.")
		case a.Authorized == 0:
			p.Add("authorized", "An authorization allows at least one of its "+unit+"; enter the number the payer granted, or keep it as requested.")
		case a.Authorized > MaxAuthorized:
			p.Add("authorized", "At most "+strconv.Itoa(MaxAuthorized)+" "+unit+".")
		}
	case AuthRequested, AuthDenied:
		if a.Authorized != 0 {
			p.Add("authorized", "Only an authorized request has "+unit+" authorized; set it to 0 or mark it authorized.")
		}
		if a.Status == AuthRequested && a.Requested == 0 {
			p.Add("requested", "Say how many "+unit+" were requested.")
		}
	default:
		p.Add("status", "Choose requested, authorized or denied.")
	}
	start, okStart := checkDate(p, "start", a.Start, true)
	end, okEnd := checkDate(p, "end", a.End, true)
	if okStart && okEnd && end.Before(start) {
		p.Add("end", "The end date must not be before the start date.")
	}
	checkDate(p, "requestedOn", a.RequestedOn, false)
	for _, c := range a.ServiceCodes {
		if !isDigits(c, 5) {
			p.Add("serviceCodes", "A service (CPT) code is 5 digits, e.g. 90837.")
			break
		}
	}
	if len(a.ServiceCodes) > MaxServiceCode {
		p.Add("serviceCodes", "At most "+strconv.Itoa(MaxServiceCode)+" service codes.")
	}
	if a.WarnRemaining < 0 || a.WarnRemaining > MaxAuthorized {
		p.Add("warnRemaining", "Choose between 0 and "+strconv.Itoa(MaxAuthorized)+".")
	}
	if a.WarnDays < 0 || a.WarnDays > MaxWarnDays {
		p.Add("warnDays", "Choose between 0 and "+strconv.Itoa(MaxWarnDays)+" days.")
	}
	switch a.CountMissed {
	case CountMissedPayer, CountMissedYes, CountMissedNo:
	default:
		p.Add("countMissed", "Choose the payer's rule, yes or no.")
	}
	checkText(p, "number", a.Number, 80, false)
	checkText(p, "quotedNumber", a.QuotedNumber, 80, false)
	checkText(p, "employer", a.Employer, MaxName, false)
	checkText(p, "eapCaseNumber", a.EAPCaseNumber, 80, false)
	checkText(p, "eapMemberId", a.EAPMemberID, 80, false)
	checkText(p, "benefitYear", a.BenefitYear, 40, false)
	checkText(p, "payerContact", a.PayerContact, MaxShort, false)
	checkText(p, "callReference", a.CallReference, 80, false)
	checkText(p, "notes", a.Notes, MaxText, false)
	return p.Err()
}

// checkDate validates a YYYY-MM-DD date and returns it parsed.
func checkDate(p Problems, field, value string, required bool) (time.Time, bool) {
	if value == "" {
		if required {
			p.Add(field, "Choose a date.")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, value)
	if err != nil {
		p.Add(field, DateProblem(value, "e.g. 2027-03-14"))
		return time.Time{}, false
	}
	return t, true
}

// Covers reports whether the authorization's dates include the local date
// day (YYYY-MM-DD).
func (a Authorization) Covers(day string) bool { return a.Start <= day && day <= a.End }

// CoversCode reports whether the authorization covers a session of the
// service code code ("" for a type with no code).
func (a Authorization) CoversCode(code string) bool {
	if len(a.ServiceCodes) == 0 {
		return true
	}
	for _, c := range a.ServiceCodes {
		if c == code {
			return true
		}
	}
	return false
}

// Enforcement is what a payer's authorization rules do at booking: warn,
// or refuse unless the booking gives an override reason (the EAP vendors'
// deny / warn / continue).
type Enforcement string

const (
	EnforceWarn Enforcement = "warn"
	EnforceHard Enforcement = "hard"
)

// PayerAuthRules are a payer's authorization rules. A payer without saved
// rules has DefaultPayerAuthRules.
type PayerAuthRules struct {
	PayerID string `json:"payerId"`
	// RequiresAuth: every session needs an authorization; one without is
	// flagged at booking.
	RequiresAuth bool        `json:"requiresAuth"`
	Enforcement  Enforcement `json:"enforcement"`
	// CountMissed: late cancellations by the patient and no-shows use up
	// sessions (an authorization may override it).
	CountMissed bool `json:"countMissed"`
	// CountUpcoming: remaining subtracts the sessions already booked, not
	// only those that happened.
	CountUpcoming bool `json:"countUpcoming"`
}

// DefaultPayerAuthRules warns, counts missed sessions and subtracts booked
// ones: the cautious reading of most EAP contracts.
func DefaultPayerAuthRules(payerID string) PayerAuthRules {
	return PayerAuthRules{PayerID: payerID, Enforcement: EnforceWarn, CountMissed: true, CountUpcoming: true}
}

// Validate checks the rules.
func (r *PayerAuthRules) Validate() error {
	p := Problems{}
	if r.PayerID == "" {
		p.Add("payerId", "Choose the payer.")
	}
	if r.Enforcement != EnforceWarn && r.Enforcement != EnforceHard {
		p.Add("enforcement", "Choose warn or refuse without a reason.")
	}
	return p.Err()
}
