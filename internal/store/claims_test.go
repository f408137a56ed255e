package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// newClaim makes one draft claim on r and returns its number; fail rolls
// the transaction back after the claim was made.
func newClaim(t *testing.T, r *replica, fail bool) string {
	t.Helper()
	c := practice.Claim{PatientID: "maria", PayerID: "blue", ClinicianID: "ana", Frequency: practice.FreqOriginal,
		Content: practice.ClaimContent{Lines: []practice.ClaimLine{}}}
	rollback := errors.New("rolled back")
	err := r.db.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.CreateClaim(&c, "QD"); err != nil {
			return err
		}
		if fail {
			return rollback
		}
		return nil
	})
	if fail && !errors.Is(err, rollback) || !fail && err != nil {
		t.Fatalf("%s: create claim: %v", r.name, err)
	}
	return c.Number
}

// TestClaimNumbers: each machine numbers its claims 1, 2, 3… under its own
// prefix; a rolled-back claim takes no number; a machine whose sequence was
// not yet kept (made before it was) goes on from its highest claim, read
// as a number ("-10" after "-9"); and two machines' numbers never meet.
func TestClaimNumbers(t *testing.T) {
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	seq := func(number string) string { return number[strings.LastIndex(number, "-")+1:] }

	var got []string
	for i := range 9 {
		got = append(got, seq(newClaim(t, a, i == 4)))
	}
	// The fifth was rolled back, so its number was handed out again.
	want := []string{"1", "2", "3", "4", "5", "5", "6", "7", "8"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("A's numbers %v, want %v", got, want)
	}
	if n := newClaim(t, a, false); seq(n) != "9" {
		t.Fatalf("A's ninth claim %s", n)
	}
	if n := newClaim(t, a, false); seq(n) != "10" {
		t.Fatalf("A's tenth claim %s", n)
	}

	// A machine that kept no sequence yet: its highest number is 10, not
	// 9 (as text "9" sorts after "10").
	raw := rawDB(t, a.dir)
	if _, err := raw.Exec("DELETE FROM meta WHERE key LIKE 'claim_number/%'"); err != nil {
		t.Fatal(err)
	}
	if n := newClaim(t, a, false); seq(n) != "11" {
		t.Fatalf("after the kept sequence was lost: %s, want 11", n)
	}

	bFirst := newClaim(t, b, false)
	if seq(bFirst) != "1" {
		t.Fatalf("B's first claim %s", bFirst)
	}
	syncAll(t, a, b)
	syncAll(t, b, a)
	// B now holds A's eleven claims; its own sequence is its own.
	if n := newClaim(t, b, false); seq(n) != "2" {
		t.Fatalf("B's second claim after sync %s", n)
	}
	prefixA, prefixB := newClaim(t, a, false), bFirst
	prefixA, prefixB = prefixA[:strings.LastIndex(prefixA, "-")], prefixB[:strings.LastIndex(prefixB, "-")]
	if prefixA == prefixB || !strings.HasPrefix(prefixA, "QD") || !strings.HasPrefix(prefixB, "QD") {
		t.Fatalf("prefixes %q and %q: want two different ones after QD", prefixA, prefixB)
	}
}
