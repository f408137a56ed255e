package practice

import (
	"strconv"
	"strings"
	"time"
)

// Credentialing: what lets a clinician see patients and bill payers. The
// dates, kinds and statuses are plain (the deadline and network rules
// query them); numbers, carriers and notes are sealed.

// CredentialKind is what a dated credential is.
type CredentialKind string

const (
	CredLicence     CredentialKind = "licence"     // a state licence
	CredCAQH        CredentialKind = "caqh"        // CAQH ProView profile: Issued is the last attestation
	CredMalpractice CredentialKind = "malpractice" // a malpractice (professional liability) policy
	CredDEA         CredentialKind = "dea"         // a DEA registration (prescribers)
	CredBoard       CredentialKind = "board"       // a board certification
	CredDocument    CredentialKind = "document"    // any other dated document
)

// CredentialKinds lists every kind, in the order screens show them.
var CredentialKinds = []CredentialKind{CredLicence, CredCAQH, CredMalpractice, CredDEA, CredBoard, CredDocument}

// Credential is one dated credential of a clinician.
type Credential struct {
	ID          string         `json:"id"`
	ClinicianID string         `json:"clinicianId"`
	Kind        CredentialKind `json:"kind"`
	State       string         `json:"state"`   // licence, DEA: two-letter state code
	Type        string         `json:"type"`    // licence type (LCSW), board or document name
	Number      string         `json:"number"`  // licence, CAQH ProView ID, policy, DEA or certificate number
	Carrier     string         `json:"carrier"` // malpractice carrier
	Limits      string         `json:"limits"`  // malpractice limits, e.g. 1M/3M
	Issued      string         `json:"issued"`  // YYYY-MM-DD; for CAQH the last attestation
	Expires     string         `json:"expires"` // YYYY-MM-DD; CAQH's is computed from the attestation
	Notes       string         `json:"notes"`
}

// Normalize trims input in place.
func (c *Credential) Normalize() {
	Trim(&c.State, &c.Type, &c.Number, &c.Carrier, &c.Limits, &c.Issued, &c.Expires, &c.Notes)
	c.State = strings.ToUpper(c.State)
	if c.Kind == CredDEA {
		c.Number = strings.ToUpper(c.Number)
	}
	if c.Kind == CredCAQH {
		c.Expires = "" // the next attestation is due by the practice's cycle, never typed
	}
}

// Validate names every bad field; today (the practice's date, as midnight
// UTC) bounds a CAQH attestation, which cannot lie in the future.
// Errors: EInvalid.
func (c *Credential) Validate(today time.Time) error {
	p := Problems{}
	if c.ClinicianID == "" {
		p.Add("clinicianId", "Choose the clinician.")
	}
	checkText(p, "type", c.Type, MaxName, false)
	checkText(p, "number", c.Number, 80, false)
	checkText(p, "carrier", c.Carrier, MaxName, false)
	checkText(p, "limits", c.Limits, 80, false)
	checkText(p, "notes", c.Notes, MaxText, false)
	issued := checkDay(p, "issued", c.Issued)
	expires := checkDay(p, "expires", c.Expires)
	if !issued.IsZero() && !expires.IsZero() && expires.Before(issued) {
		p.Add("expires", "The expiry date is before the issue date.")
	}
	require := func(field, value, msg string) {
		if value == "" {
			p.Add(field, msg)
		}
	}
	switch c.Kind {
	case CredLicence:
		checkState(p, "state", c.State, true)
		require("type", c.Type, "Give the licence type, e.g. LCSW.")
		require("number", c.Number, "Give the licence number.")
		require("expires", c.Expires, "Give the date the licence expires.")
	case CredCAQH:
		if c.Number != "" && (len(c.Number) < 5 || len(c.Number) > 10 || !isDigits(c.Number, len(c.Number))) {
			p.Add("number", "A CAQH ProView ID is 5 to 10 digits.")
		}
		require("number", c.Number, "Give the CAQH ProView ID.")
		require("issued", c.Issued, "Give the date of the last attestation.")
		if !issued.IsZero() && issued.After(today) {
			p.Add("issued", "The last attestation cannot be in the future.")
		}
	case CredMalpractice:
		require("carrier", c.Carrier, "Give the insurance carrier.")
		require("number", c.Number, "Give the policy number.")
		require("expires", c.Expires, "Give the date the policy expires.")
	case CredDEA:
		checkState(p, "state", c.State, true)
		if c.Number != "" {
			if msg := DEAProblem(c.Number); msg != "" {
				p.Add("number", msg)
			}
		}
		require("number", c.Number, "Give the DEA registration number.")
		require("expires", c.Expires, "Give the date the registration expires.")
	case CredBoard:
		require("type", c.Type, "Give the board and specialty.")
	case CredDocument:
		require("type", c.Type, "Give the document's name.")
		if c.Issued == "" && c.Expires == "" {
			p.Add("expires", "Give the document's issue or expiry date.")
		}
	default:
		p.Add("kind", "Choose licence, CAQH, malpractice, DEA, board certification or document.")
	}
	if c.Kind != CredLicence && c.Kind != CredDEA {
		checkState(p, "state", c.State, false)
	}
	return p.Err()
}

// checkDay validates an optional YYYY-MM-DD date and returns it (zero when
// empty or bad).
func checkDay(p Problems, field, value string) time.Time {
	if value == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, value)
	if err != nil {
		p.Add(field, DateProblem(value, "e.g. 2027-03-01"))
		return time.Time{}
	}
	if d.Year() < 1950 || d.Year() > 2200 {
		p.Add(field, "Give a date between 1950 and 2200.")
		return time.Time{}
	}
	return d
}

// usStates are the codes a US licence or DEA registration is issued in:
// the states, DC and the territories.
var usStates = strings.Fields(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO
	MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI`)

// KnownState reports whether code is a US state, DC or territory code.
func KnownState(code string) bool {
	for _, s := range usStates {
		if s == code {
			return true
		}
	}
	return false
}

func checkState(p Problems, field, value string, required bool) {
	switch {
	case value == "" && required:
		p.Add(field, "Choose the state.")
	case value != "" && !KnownState(value):
		p.Add(field, "Unknown state "+strconv.Quote(value)+"; use a two-letter US state code, e.g. OR.")
	}
}

// DEAProblem says what is wrong with a DEA registration number, or "" when
// it is well formed: two letters (the registrant type, then the first
// letter of the registrant's last name, or 9 for a business) and seven
// digits, the last a check digit: the sum of the 1st, 3rd and 5th digits
// plus twice the sum of the 2nd, 4th and 6th ends in the 7th.
func DEAProblem(n string) string {
	if len(n) != 9 || !isLetter(n[0]) || !(isLetter(n[1]) || n[1] == '9') || !isDigits(n[2:], 7) {
		return "A DEA number is two letters and seven digits, e.g. AB1234563."
	}
	if !strings.ContainsRune("ABCDEFGHJKLMPRSTUX", rune(n[0])) {
		return "A DEA number starts with a registrant type letter (A, B, C, D, E, F, G, H, J, K, L, M, P, R, S, T, U or X)."
	}
	d := func(i int) int { return int(n[2+i] - '0') }
	sum := d(0) + d(2) + d(4) + 2*(d(1)+d(3)+d(5))
	if sum%10 != d(6) {
		return "This DEA number's check digit is wrong; please check for a typo."
	}
	return ""
}

func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }

// EnrollmentStatus is where a clinician's enrollment with a payer stands.
type EnrollmentStatus string

const (
	EnrollNotStarted      EnrollmentStatus = "not_started"
	EnrollSent            EnrollmentStatus = "application_sent"
	EnrollInProcess       EnrollmentStatus = "in_process"
	EnrollApproved        EnrollmentStatus = "approved"
	EnrollRecredentialing EnrollmentStatus = "recredentialing_due"
	EnrollDenied          EnrollmentStatus = "denied"
	EnrollTerminated      EnrollmentStatus = "terminated"
)

// EnrollmentStatuses lists every status in pipeline order.
var EnrollmentStatuses = []EnrollmentStatus{EnrollNotStarted, EnrollSent, EnrollInProcess, EnrollApproved,
	EnrollRecredentialing, EnrollDenied, EnrollTerminated}

// Words is how a status reads in a sentence ("application in process").
func (s EnrollmentStatus) Words() string {
	switch s {
	case EnrollNotStarted:
		return "application not started"
	case EnrollSent:
		return "application sent"
	case EnrollInProcess:
		return "application in process"
	case EnrollApproved:
		return "approved"
	case EnrollRecredentialing:
		return "recredentialing due"
	case EnrollDenied:
		return "application denied"
	case EnrollTerminated:
		return "terminated"
	}
	return string(s)
}

// Enrollment is one clinician's pipeline with one payer. Its id is the
// same on every machine (store.EnrollmentID), so two machines starting it
// offline make one enrollment.
type Enrollment struct {
	ID          string           `json:"id"`
	ClinicianID string           `json:"clinicianId"`
	PayerID     string           `json:"payerId"`
	Status      EnrollmentStatus `json:"status"`
	EffectiveOn string           `json:"effectiveOn"` // YYYY-MM-DD: in network from (expected, until approved)
	FollowUpOn  string           `json:"followUpOn"`  // YYYY-MM-DD: the next follow-up
	AssigneeID  string           `json:"assigneeId"`  // the staff account that follows it up
	ProviderID  string           `json:"providerId"`  // the payer's provider ID
	ContractID  string           `json:"contractId"`
	Reference   string           `json:"reference"` // application or reference numbers
	Contact     string           `json:"contact"`   // payer contact notes
}

// Normalize trims input in place.
func (e *Enrollment) Normalize() {
	Trim(&e.EffectiveOn, &e.FollowUpOn, &e.ProviderID, &e.ContractID, &e.Reference, &e.Contact)
	if e.Status == "" {
		e.Status = EnrollNotStarted
	}
}

// Validate names every bad field. Errors: EInvalid.
func (e *Enrollment) Validate() error {
	p := Problems{}
	if e.ClinicianID == "" {
		p.Add("clinicianId", "Choose the clinician.")
	}
	if e.PayerID == "" {
		p.Add("payerId", "Choose the payer.")
	}
	known := false
	for _, s := range EnrollmentStatuses {
		known = known || s == e.Status
	}
	if !known {
		p.Add("status", "Choose one of the listed statuses.")
	}
	checkDay(p, "effectiveOn", e.EffectiveOn)
	checkDay(p, "followUpOn", e.FollowUpOn)
	if e.Status == EnrollApproved && e.EffectiveOn == "" {
		p.Add("effectiveOn", "An approval needs the date the clinician is in network from.")
	}
	checkText(p, "providerId", e.ProviderID, 80, false)
	checkText(p, "contractId", e.ContractID, 80, false)
	checkText(p, "reference", e.Reference, MaxShort, false)
	checkText(p, "contact", e.Contact, MaxText, false)
	return p.Err()
}

// EnrollmentEvent is one entry of an enrollment's history: a status
// change or a follow-up note. Entries are never changed or deleted.
type EnrollmentEvent struct {
	ID           string           `json:"id"`
	EnrollmentID string           `json:"enrollmentId"`
	At           time.Time        `json:"at" ts_type:"string"`
	AccountID    string           `json:"accountId"`
	Status       EnrollmentStatus `json:"status"` // the status after this entry
	Note         string           `json:"note"`
	By           string           `json:"by"` // the account's display name, filled in when read
}

// CheckNote validates a history note. Errors: EInvalid.
func CheckNote(field, note string) error {
	p := Problems{}
	checkText(p, field, note, MaxText, false)
	return p.Err()
}

// CredentialingSettings are the practice's credentialing rules.
type CredentialingSettings struct {
	// CAQHDays is the re-attestation cycle; 0 uses the practice state's
	// rule (CAQHCycle).
	CAQHDays int `json:"caqhDays"`
	// GuardHard makes a booking the network rule warns about a hard
	// conflict, which needs an override reason.
	GuardHard bool `json:"guardHard"`
	// ExpectedCents is the expected payment per session by payer id, for
	// the lapse-cost estimate.
	ExpectedCents map[string]int `json:"expectedCents"`
}

// Validate names every bad field. Errors: EInvalid.
func (s *CredentialingSettings) Validate() error {
	p := Problems{}
	if s.CAQHDays != 0 && (s.CAQHDays < 30 || s.CAQHDays > 365) {
		p.Add("caqhDays", "Choose a cycle between 30 and 365 days, or 0 for the state's rule.")
	}
	for _, c := range s.ExpectedCents {
		if c < 0 || c > 100000_00 {
			p.Add("expectedCents", "An expected payment is between $0 and $100,000.")
		}
	}
	return p.Err()
}

// caqhStateDays are states whose rule differs from CAQH's 120 days.
var caqhStateDays = map[string]int{"IL": 180}

// CAQHCycle is the re-attestation cycle in days: the setting, or the rule
// of the practice's state (180 in Illinois), or CAQH's 120.
func (s CredentialingSettings) CAQHCycle(practiceState string) int {
	if s.CAQHDays > 0 {
		return s.CAQHDays
	}
	if d, ok := caqhStateDays[practiceState]; ok {
		return d
	}
	return 120
}
