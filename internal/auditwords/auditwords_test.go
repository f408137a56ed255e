package auditwords_test

import (
	"testing"

	"quietdesk/internal/auditwords"
)

// Words written by hand for a sample of actions, the valued ones included;
// that every action the app writes has words is TestCanary's check.
func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		action, words string
		known         bool
	}{
		{"patient.read", "Opened a patient's record", true},
		{"login.failed", "Tried to sign in with a wrong password", true},
		{"intake.checkin.locked", "A check-in code was locked after too many wrong tries", true},
		{"claim.status.denied", "Set a claim's status to denied", true},
		{"appointment.remove.wrong-patient", "Removed a booking made in error: wrong patient", true},
		{"ledger.copay", "Posted to the ledger: copay", true},
		{"billing.export.ledger", "Exported as a spreadsheet (CSV): the ledger", true},
		{"claim.status.", "claim.status.", false}, // a value is missing: shown as it is
		{"something.new", "something.new", false},
	} {
		words, known := auditwords.Describe(c.action)
		if words != c.words || known != c.known {
			t.Errorf("Describe(%q) = %q, %v; want %q, %v", c.action, words, known, c.words, c.known)
		}
	}
}
