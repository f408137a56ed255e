package kiosk_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/intake"
)

// BenchmarkTabletSubmit: one patient's full new-patient packet from the
// tablet to the office computer's records over loopback TLS — sealed,
// sent, opened with the intake key, checked, scored, its packet PDF made
// and filed — the path a patient's "Send my answers" takes. The front
// desk's send and the tablet's poll are outside the timing. Reports p50
// and p95 in ms (issue 12's target: p95 under 1 s).
func BenchmarkTabletSubmit(b *testing.B) {
	o := newOffice(b)
	tab := pair(b, o, b.TempDir())
	mk := &markers{t: b}
	var took []time.Duration
	for b.Loop() {
		b.StopTimer()
		p := o.patient(b, mk)
		o.send(b, p.ID)
		work, err := tab.Poll(context.Background())
		if err != nil || work == nil {
			b.Fatalf("poll: %q, %v", work, err)
		}
		var v intake.Visit
		if err := json.Unmarshal(work, &v); err != nil {
			b.Fatal(err)
		}
		sub := answer(b, v, mk)
		b.StartTimer()
		start := time.Now()
		delivered, err := tab.Submit(context.Background(), sub)
		took = append(took, time.Since(start))
		if err != nil || !delivered {
			b.Fatalf("delivered %v, %v", delivered, err)
		}
	}
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[(len(took)*95)/100]), "p95-ms")
}
