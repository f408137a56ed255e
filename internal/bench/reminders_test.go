package bench_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/store"
)

// remindersReady is a fresh copy of the large demo logged in, this machine
// its e-mail sender, the reminders set to go one day and seven minutes
// before: a lead the demo never used, so every reminder in reach is queued
// anew (a reminder's id is its appointment and due time) rather than found
// queued already.
func remindersReady(b *testing.B) *store.DB {
	b.Helper()
	_, db := loggedIn(b, true)
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SetMailSender(db.DeviceID()); err != nil {
			return err
		}
		rs, err := notify.Reminders(tx)
		if err != nil {
			return err
		}
		rs.Enabled, rs.Leads = true, []int{24*60 + 7}
		return notify.SaveReminders(tx, rs)
	})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkQueueReminders runs the sender's reminder job (notify.RunReminders:
// one transaction, every appointment within the lead plus a day, each
// reminder's text, its iCalendar attachment and its sealed outbox row) on
// the large demo with one reminder a day before. Target: a day of
// reminders in under 1 s.
func BenchmarkQueueReminders(b *testing.B) {
	var took []time.Duration
	var n notify.ReminderCount
	for range b.N {
		b.StopTimer()
		db := remindersReady(b)
		b.StartTimer()
		t := time.Now()
		var err error
		n, err = notify.RunReminders(context.Background(), db)
		took = append(took, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		if n.Queued == 0 {
			b.Fatal("no reminder was queued: the bench measures nothing")
		}
	}
	b.ReportMetric(float64(n.Queued), "queued")
	report(b, "", took)
}

// BenchmarkSendReminders delivers the queued reminders (made due by the
// outbox's clock) to a real SMTP relay on loopback, STARTTLS and AUTH,
// one conversation per message as the outbox does: messages a second.
func BenchmarkSendReminders(b *testing.B) {
	var rate []float64
	var sent int
	for range b.N {
		b.StopTimer()
		db := remindersReady(b)
		if _, err := notify.RunReminders(context.Background(), db); err != nil {
			b.Fatal(err)
		}
		s, err := mailtest.Start(mailtest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Update(context.Background(), func(tx *store.Tx) error {
			return tx.SaveMailSetting("relay", s.Relay("Cedar Grove Counseling <office@cedargrove.example.com>"))
		}); err != nil {
			b.Fatal(err)
		}
		later := time.Now().Add(72 * time.Hour) // every queued reminder due
		out := &notify.Outbox{DB: db, Dialer: s.Dialer(), Now: func() time.Time { return later }}
		b.StartTimer()
		t := time.Now()
		res, err := out.Deliver(context.Background())
		d := time.Since(t)
		b.StopTimer()
		s.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Sent == 0 || res.Sent != len(s.Received()) {
			b.Fatalf("sent %d, the relay received %d", res.Sent, len(s.Received()))
		}
		sent = res.Sent
		rate = append(rate, float64(res.Sent)/d.Seconds())
		b.StartTimer()
	}
	slices.Sort(rate)
	b.ReportMetric(float64(sent), "sent")
	b.ReportMetric(rate[len(rate)/2], "msgs/s")
}
