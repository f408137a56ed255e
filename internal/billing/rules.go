package billing

import "quietdesk/internal/practice"

// Rules is what the area uses of the pure rule packages (internal/billing/
// coding, npi, icd10, x12 and the PDF renderers): the service asks through
// this narrow seam, and rules_default.go hands it those packages.
type Rules interface {
	// ICD10WellFormed reports whether code has the form of an ICD-10-CM code.
	ICD10WellFormed(code string) bool
	// ICD10Describe returns the common list's words for code.
	ICD10Describe(code string) (string, bool)
	// ICD10Common is the list of common mental-health codes to pick from.
	ICD10Common() []practice.Diagnosis
	// ValidNPI checks an NPI's check digit (with the 80840 prefix).
	ValidNPI(npi string) bool
	Coder
	Documents
	// Write837 writes an 837P 005010X222A1 interchange (internal/billing/x12).
	Write837(b ExportBatch) ([]byte, error)
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
	// MinutesProblem says why minutes do not support code ("" when they do
	// or the code is not time-based).
	MinutesProblem(code string, minutes int) string
	// AddOnProblem says why addOn cannot follow parent ("" when it may, or
	// addOn is not an add-on code).
	AddOnProblem(addOn, parent string) string
	// IsAddOn reports whether code is an add-on code.
	IsAddOn(code string) bool
}
