package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"quietdesk/internal/mail"
	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/store"
)

var t0 = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

// A 4xx is tried again after the back-off and then arrives once; a 5xx is
// failed at once, with the step and code for staff, and never retried.
func TestTemporaryRetriesPermanentFails(t *testing.T) {
	c := &clock{t: t0}
	a := newPractice(t, c)
	s := startServer(t)
	a.useRelay(t, s)
	s.Reply = func(step mail.Step, n int) error {
		if step == mail.StepData && n == 0 {
			return mailtest.ErrTemporary // the first message's first try
		}
		if step == mail.StepRecipient && n == 2 {
			return mailtest.ErrRejected // the second message's only try (after two RCPTs of the first)
		}
		return nil
	}
	retried := a.queue(t, "one", t0)
	out := a.outbox(s)
	res, err := out.Deliver(context.Background())
	if err != nil || res != (notify.Result{Retrying: 1}) {
		t.Fatalf("first run: %+v %v", res, err)
	}
	m := a.message(t, retried)
	if m.State != store.OutboxQueued || !m.SendAfter.Equal(t0.Add(time.Minute)) || m.Attempts != 1 || m.Error != "The relay refused the message (451 4.3.0)." {
		t.Fatalf("after a 451: %+v", m)
	}
	if res, _ := out.Deliver(context.Background()); res != (notify.Result{}) {
		t.Fatalf("retried before its back-off: %+v", res)
	}
	c.Add(time.Minute)
	if res, err := out.Deliver(context.Background()); err != nil || res != (notify.Result{Sent: 1}) {
		t.Fatalf("retry: %+v %v", res, err)
	}
	if m := a.message(t, retried); m.State != store.OutboxSent || m.Attempts != 2 {
		t.Fatalf("after the retry: %+v", m)
	}

	refused := a.queue(t, "two", t0)
	if res, err := out.Deliver(context.Background()); err != nil || res != (notify.Result{Failed: 1}) {
		t.Fatalf("5xx: %+v %v", res, err)
	}
	if m := a.message(t, refused); m.State != store.OutboxFailed || m.Error != "The relay refused the recipient address (550 5.1.1)." {
		t.Fatalf("after a 550: %+v", m)
	}
	c.Add(24 * time.Hour)
	if res, _ := out.Deliver(context.Background()); res != (notify.Result{}) {
		t.Fatalf("a failed message was tried again: %+v", res)
	}
	if got := len(s.Received()); got != 1 {
		t.Fatalf("the relay took %d messages, want 1", got)
	}
}

// The back-off doubles from a minute and stops at an hour.
func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := notify.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

// Two machines queue the same message offline: after they sync there is
// one row; only the designated sender sends it, once; and a copy queued
// later by a machine that had not heard it was sent does not make it
// queued again.
func TestTwoMachinesOneMessageOneDelivery(t *testing.T) {
	ctx := context.Background()
	hub := newPractice(t, nil)
	desk := hub.join(t, "desk", nil)
	offline := hub.join(t, "offline", nil)
	s := startServer(t)
	hub.useRelay(t, s)
	syncTo(t, hub, desk)
	due := time.Now().Add(-time.Minute).Truncate(time.Second)
	idHub, idDesk := hub.queue(t, "appt-1", due), desk.queue(t, "appt-1", due)
	if idHub != idDesk {
		t.Fatalf("one message, two ids: %s %s", idHub, idDesk)
	}
	syncTo(t, desk, hub)
	syncTo(t, hub, desk)
	if hub.rows(t) != 1 || desk.rows(t) != 1 {
		t.Fatalf("rows: hub %d, desk %d, want 1 each", hub.rows(t), desk.rows(t))
	}
	if _, err := desk.outbox(s).Deliver(ctx); !errors.Is(err, notify.ErrNotSender) {
		t.Fatalf("the desk, not the sender, delivered: %v", err)
	}
	if res, err := hub.outbox(s).Deliver(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("hub: %+v %v", res, err)
	}
	// A machine offline since before the send queues the same message
	// now, with a later clock than the send; its copy is a creation, and
	// the sender's state edit wins over any creation.
	offline.queue(t, "appt-1", due)
	syncTo(t, offline, hub)
	syncTo(t, hub, offline)
	for _, m := range []*machine{hub, desk, offline} {
		syncTo(t, hub, m)
		if got := m.message(t, idHub); got.State != store.OutboxSent {
			t.Fatalf("%s sees %s, want sent", m.name, got.State)
		}
		if m.rows(t) != 1 {
			t.Fatalf("%s holds %d rows", m.name, m.rows(t))
		}
	}
	if res, err := hub.outbox(s).Deliver(ctx); err != nil || res != (notify.Result{}) {
		t.Fatalf("second run: %+v %v", res, err)
	}
	if got := len(s.Received()); got != 1 {
		t.Fatalf("delivered %d times, want once", got)
	}
}
