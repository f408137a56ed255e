//go:build unix

package notify_test

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"quietdesk/internal/mail"
	"quietdesk/internal/notify"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// TestDeliverKillHelper is not a test: TestKillMidSendNeverTwice runs the
// test binary with it as a child that opens the practice in
// $QD_OUTBOX_DIR and delivers, trusting the relay certificate in
// $QD_OUTBOX_CA, until the parent kills it.
func TestDeliverKillHelper(t *testing.T) {
	dir := os.Getenv("QD_OUTBOX_DIR")
	if dir == "" {
		t.Skip("only as TestKillMidSendNeverTwice's child")
	}
	pem, err := os.ReadFile(os.Getenv("QD_OUTBOX_CA"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Unlock(context.Background(), "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	out := &notify.Outbox{DB: db, Dialer: mail.Dialer{RootCAs: pool, Timeout: time.Minute}}
	res, err := out.Deliver(context.Background())
	t.Fatalf("the delivery was to be killed, but returned %+v %v", res, err)
}

// A sender killed (SIGKILL) at each step of a send (after AUTH, MAIL FROM,
// RCPT TO are said, and after the whole message reached the relay but
// before its answer) never delivers twice: on restart the message is
// "unknown" for a person, not sent again. The relay holds the step until
// the child is dead, so the kill provably lands there.
func TestKillMidSendNeverTwice(t *testing.T) {
	for _, step := range []mail.Step{mail.StepAuth, mail.StepSender, mail.StepRecipient, mail.StepData} {
		t.Run(string(step), func(t *testing.T) {
			ctx := context.Background()
			a := newPractice(t, nil)
			s := startServer(t)
			a.useRelay(t, s)
			id := a.queue(t, "appt-1", time.Now().Add(-time.Minute).Truncate(time.Second))
			a.db.Close() // the child takes the folder

			reached := make(chan struct{})
			s.Hold = step
			var once sync.Once
			s.Reached = func(st mail.Step) {
				if st == step {
					once.Do(func() { close(reached) })
				}
			}
			ca := filepath.Join(t.TempDir(), "ca.pem")
			if err := os.WriteFile(ca, s.CertPEM, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := testutil.Rerun("TestDeliverKillHelper", "QD_OUTBOX_DIR="+a.dir, "QD_OUTBOX_CA="+ca)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-reached:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
				t.Fatalf("the child never reached %s", step)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); !testutil.DiedOfSIGKILL(err) {
				t.Fatalf("the child was not killed at %s: %v", step, err)
			}
			s.Release()
			delivered := 0
			if step == mail.StepData {
				delivered = 1 // the relay read the whole message: it may well deliver it
			}
			if got := len(s.Received()); got != delivered {
				t.Fatalf("the relay holds %d messages after the kill, want %d", got, delivered)
			}

			b := openMachine(t, "A again", a.dir, nil)
			if _, err := b.db.Unlock(ctx, "owner", ownerPassword); err != nil {
				t.Fatal(err)
			}
			out := b.outbox(s)
			res, err := out.Deliver(ctx)
			if err != nil || res != (notify.Result{Unknown: 1}) {
				t.Fatalf("after the restart: %+v %v", res, err)
			}
			if m := b.message(t, id); m.State != store.OutboxUnknown || m.Error != notify.UnknownOutcome || m.Attempts != 1 {
				t.Fatalf("the interrupted message: %+v", m)
			}
			if res, err := out.Deliver(ctx); err != nil || res != (notify.Result{}) {
				t.Fatalf("a second run: %+v %v", res, err)
			}
			if got := len(s.Received()); got != delivered {
				t.Fatalf("the relay holds %d messages after the restart, want %d", got, delivered)
			}
			// A person decides to send it again: then it goes, once more.
			b.update(t, func(tx *store.Tx) error { return notify.Decide(tx, id, "resend") })
			if res, err := out.Deliver(ctx); err != nil || res != (notify.Result{Sent: 1}) {
				t.Fatalf("after the decision: %+v %v", res, err)
			}
			if got := len(s.Received()); got != delivered+1 {
				t.Fatalf("the relay holds %d messages after the resend, want %d", got, delivered+1)
			}
		})
	}
}
