package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"quietdesk/internal/store"
)

// The vector and digest a peer compares come from one moment: while one
// machine writes, every (vector, digest) it reports equals the digest of
// another machine holding exactly that vector's changes. Read apart, a
// write committed in between made machines with the same changes look
// different ("replicated data differs" in 5 of 6 runs).
func TestVectorAndDigestAreReadTogetherUnderConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	reps := newCluster(t, 2)
	a, b := reps[0], reps[1]
	type moment struct {
		v store.Vector
		d string
	}
	var moments []moment
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for i := range 60 {
			addPatient(t, a, "Writer"+string(rune('A'+i%26)))
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			v, d, err := a.db.VectorAndDigest(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			moments = append(moments, moment{v, d})
		}
	})
	wg.Wait()
	if len(moments) < 5 {
		t.Fatalf("only %d digests taken during the writes", len(moments))
	}
	slices.SortFunc(moments, func(x, y moment) int { return int(x.v.Total() - y.v.Total()) })
	for i, m := range moments {
		have, err := b.db.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := a.db.ChangesAfter(ctx, have, 100000)
		if err != nil {
			t.Fatal(err)
		}
		var upTo []store.Change
		for _, c := range all {
			if c.Seq <= m.v[c.Stream()] {
				upTo = append(upTo, c)
			}
		}
		if _, err := b.db.ApplyBatch(ctx, upTo, nil); err != nil {
			t.Fatal(err)
		}
		if got := digest(t, b); got != m.d {
			t.Fatalf("digest %d of %d: a machine holding the reported vector (%d changes) has digest %s, reported %s",
				i+1, len(moments), m.v.Total(), got, m.d)
		}
	}
}
