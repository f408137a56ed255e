package bench_test

import (
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/store"
)

// BenchmarkOpenDemo is the welcome screen's "Open the demo practice" as the
// window does it, on an empty folder each time: Session.OpenDemo (the small
// demo made: accounts, a year of schedule, its billing history) and the
// login that follows, with the store's calibrated Argon2id. The baseline,
// measured in the same run, is a new practice created from the same
// screen (Session.CreatePractice, which logs its owner in): the key slots
// and the Argon2id every practice pays, without the demo's contents.
func BenchmarkOpenDemo(b *testing.B) {
	var took, base []time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		session := func() *app.Session {
			db, err := store.Open(b.TempDir(), opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return app.NewSession(app.NewCore(app.Config{DB: db, Logger: opts.Logger}))
		}
		fresh := session()
		t := time.Now()
		if _, err := fresh.CreatePractice(app.PracticeSetup{PracticeName: "Bench Practice", OwnerName: "Bench Owner",
			Username: "bench.owner", Password: "correct horse battery staple"}); err != nil {
			b.Fatal(err)
		}
		base = append(base, time.Since(t))

		s := session()
		b.StartTimer()
		t = time.Now()
		login, err := s.OpenDemo()
		if err == nil {
			_, err = s.Login(login.Username, login.Password)
		}
		took = append(took, time.Since(t))
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
	}
	ratioMetrics(b, took, base)
}
