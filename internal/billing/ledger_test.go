package billing_test

import (
	"testing"

	"quietdesk/internal/billing"
	"quietdesk/internal/practice"
)

// owedBy is what one entry of $1.00 does to what is owed in all, written
// from the ledger's rules (docs/decisions.md, Billing), not from the code.
var owedBy = map[practice.EntryKind]int{
	practice.EntryCharge: 100, practice.EntryFee: 100, practice.EntryRefund: 100,
	practice.EntryPayment: -100, practice.EntryAdjustment: -100, practice.EntryWriteOff: -100,
	practice.EntryPatientResp: 0, practice.EntryDenial: 0,
}

// The balance the service shows and the sign the store's SQL sums use
// agree, for every kind of entry there is.
func TestEveryEntryKindMovesWhatIsOwedAsTheRulesSay(t *testing.T) {
	if len(owedBy) != len(practice.EntryKinds) {
		t.Fatalf("the table names %d kinds, the ledger has %d: write the new kind's rule here", len(owedBy), len(practice.EntryKinds))
	}
	for _, k := range practice.EntryKinds {
		want, ok := owedBy[k]
		if !ok {
			t.Errorf("%s: no rule in the table", k)
			continue
		}
		for _, party := range []practice.Party{practice.PartyInsurance, practice.PartyPatient} {
			b := billing.BalanceOf([]practice.Entry{{Kind: k, Party: party, AmountCents: 100}})
			if b.TotalCents() != want {
				t.Errorf("%s (%s): the balance moves by %d, want %d", k, party, b.TotalCents(), want)
			}
		}
		if got := k.OwedSign() * 100; got != want {
			t.Errorf("%s: OwedSign moves by %d, want %d", k, got, want)
		}
	}
}
