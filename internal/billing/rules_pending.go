package billing

import (
	"regexp"
	"strings"

	"quietdesk/internal/practice"
)

// Until billing-rules' icd10 and npi packages are merged: the practice
// package's NPI check, and the shape of an ICD-10-CM code with no common
// list (every code earns the "not on the list" warning).

var icd10Shape = regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`)

func (defaultRules) ValidNPI(npi string) bool { return practice.ValidNPI(npi) }

func (defaultRules) ICD10Check(code string) (ICD10Result, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) > 3 && !strings.Contains(c, ".") {
		c = c[:3] + "." + c[3:]
	}
	if !icd10Shape.MatchString(c) {
		return ICD10Result{}, practice.Errorf(practice.EInvalid, "An ICD-10-CM code is a letter, a digit, a letter or digit, then a dot and up to four more, as in F41.1.")
	}
	return ICD10Result{Code: c, Warning: c + " is not on Quietdesk's list of common codes; check that it is a complete, current ICD-10-CM code."}, nil
}

func (defaultRules) ICD10Common() []practice.Diagnosis { return []practice.Diagnosis{} }
