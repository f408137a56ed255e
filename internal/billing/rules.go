package billing

import "quietdesk/internal/practice"

// Rules is what the area uses of the pure rule packages (internal/billing/
// coding, npi, icd10, x12 and the PDF renderers): the service asks through
// this narrow seam, and rules_default.go hands it those packages.
type Rules interface {
	// ICD10Check normalizes one ICD-10-CM code (F43.10) and returns the
	// common list's words for it, or a warning for a well-formed code not
	// on the list; an error (EInvalid) says why it is not a code.
	ICD10Check(code string) (ICD10Result, error)
	// ICD10Common is the list of common mental-health codes to pick from.
	ICD10Common() []practice.Diagnosis
	// ValidNPI checks an NPI's check digit (with the 80840 prefix).
	ValidNPI(npi string) bool
	Coder
	Documents
	// Write837 writes an 837P 005010X222A1 interchange (internal/billing/x12).
	Write837(b ExportBatch) ([]byte, error)
	// Unwritable is the first character of a value an 837P cannot carry
	// even spelled out in Latin letters (Chinese, Arabic…), or 0.
	Unwritable(v string) rune
}

// CodingInput is what coding reads of one completed session.
type CodingInput struct {
	TypeCode   string // the appointment type's service code: what kind of session it was
	Minutes    int    // actual face-to-face minutes
	Prescriber bool   // the rendering clinician prescribes (90792, E/M with add-ons)
	Telehealth bool
	AtHome     bool // telehealth with the patient at home (POS 10, else 02)
	CMHC       bool // the practice is a community mental health center (POS 53)
	Payer      practice.PayerBilling
}

// Coder is the coding part of Rules.
type Coder interface {
	// Code returns a session's lines (code, units, modifiers, POS, add-on
	// flag) in claim order; an error (EInvalid) says why it cannot be
	// billed (under 16 minutes of psychotherapy).
	Code(in CodingInput) ([]practice.ClaimLine, error)
	// CheckSession says what is wrong with one session's lines as a claim
	// carries them (after a person's override): codes unknown, an add-on
	// without an allowed parent, codes summed, minutes that do not support
	// a time-based code. None when all is well.
	CheckSession(lines []practice.ClaimLine, minutes int, payer practice.PayerBilling) []string
}

// ICD10Result is one checked diagnosis code.
type ICD10Result struct {
	Code        string // normalized, with its dot: F43.10
	Description string // the common list's words; "" when not on it
	Warning     string // a well-formed code not on the list
}
