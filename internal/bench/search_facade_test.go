package bench_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// BenchmarkSearchFacade times the same queries as BenchmarkSearch the way
// the window runs them: Patients.Search, with the role gate, the index and
// the audit entry written in its own transaction, on a copy of the large
// practice (the entries must not accumulate in the cached one). An op is
// the whole query set.
func BenchmarkSearchFacade(b *testing.B) {
	core, db := loggedIn(b, true)
	var list []practice.Patient
	if err := db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		list, err = tx.Patients()
		return err
	}); err != nil {
		b.Fatal(err)
	}
	queries := makeQueries(list, searchQueries)
	search := app.NewPatients(core)
	if _, err := search.Search(""); err != nil { // sorts the index, as the first screen does
		b.Fatal(err)
	}

	var took []time.Duration
	byKind := map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			t := time.Now()
			_, err := search.Search(q.text)
			d := time.Since(t)
			if err != nil {
				b.Fatal(err)
			}
			took = append(took, d)
			byKind[q.kind] = append(byKind[q.kind], d)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(queries)), "queries/op")
	report(b, "", took)
	for _, k := range queryKinds {
		d := byKind[k]
		slices.Sort(d)
		b.ReportMetric(ms(percentile(d, 95)), "p95-"+k+"-ms")
	}
}
