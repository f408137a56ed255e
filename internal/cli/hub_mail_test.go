package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"quietdesk/internal/cli"
	"quietdesk/internal/demo"
	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// TestHubSendsOnceUnlocked: a hub names itself the practice's e-mail
// sender, holds mail while nobody has unlocked it (showing "locked" to
// other machines), and sends what waited once an owner unlocks it through
// the admin socket; a wrong password leaves it locked.
func TestHubSendsOnceUnlocked(t *testing.T) {
	ctx := context.Background()
	dir, pwFile := demoDir(t)
	relay, err := mailtest.Start(mailtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	var id string
	func() {
		db, err := store.Open(dir, store.Options{AppVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Unlock(ctx, "demo.owner", demo.Password); err != nil {
			t.Fatal(err)
		}
		r := relay.Relay("office@lakeside.example")
		r.Certificate = string(relay.CertPEM)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.SaveMailSetting("relay", r); err != nil {
				return err
			}
			id, _, err = tx.QueueMessage(store.OutboxMessage{Purpose: "test", SubjectID: "hub-test", DueAt: time.Now().Add(-time.Minute)},
				store.OutboxContent{To: "ana@example.org", Subject: "Hello", Text: "See you soon."})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}()

	stderr, stop := startHub(t, dir)
	if !strings.Contains(stderr.String(), "this hub is now the practice's e-mail sender") {
		t.Fatalf("the hub did not take the sender role:\n%s", stderr.String())
	}

	wrong := filepath.Join(t.TempDir(), "wrong")
	os.WriteFile(wrong, []byte("not the password\n"), 0o600)
	if code, _, errOut := run(t, "unlock", "--data-dir", dir, "--user", "demo.owner", "--password-file", wrong); code != 1 || !strings.Contains(errOut, "not right") {
		t.Fatalf("a wrong password: exit %d %q", code, errOut)
	}
	time.Sleep(2 * time.Second)
	if n := len(relay.Received()); n != 0 {
		t.Fatalf("a locked hub sent %d messages", n)
	}
	code, out, errOut := run(t, "unlock", "--data-dir", dir, "--user", "demo.owner", "--password-file", pwFile)
	if code != 0 || !strings.Contains(out, "the hub is unlocked") {
		t.Fatalf("unlock: exit %d %q %q", code, out, errOut)
	}
	// The demo's own reminders that are due go too; the test message once.
	toAna := func() int {
		n := 0
		for _, r := range relay.Received() {
			if r.To == "ana@example.org" {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	for toAna() == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if c := stop(); c != 0 {
		t.Fatalf("hub exited %d:\n%s", c, stderr.String())
	}
	if n := toAna(); n != 1 {
		t.Fatalf("the relay got the message %d times, want once", n)
	}

	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Unlock(ctx, "demo.owner", demo.Password); err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(tx *store.Tx) error {
		m, err := tx.OutboxMessage(id)
		if err != nil {
			return err
		}
		if m.State != store.OutboxSent {
			t.Errorf("message %s, want sent", m.State)
		}
		st, err := notify.SenderStatus(tx, "another machine", time.Now())
		if err != nil {
			return err
		}
		if st.SenderID != db.DeviceID() || st.SenderName != "Back office" || st.State != notify.SenderReady {
			t.Errorf("status seen from elsewhere: %+v", st)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// startHub runs `quietdesk hub` on dir in this process, named "Back
// office", until stop, which returns its exit code; log is its log.
func startHub(t *testing.T, dir string) (log *testutil.Buffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log = &testutil.Buffer{}
	var stdout testutil.Buffer
	exited := make(chan int, 1)
	go func() {
		exited <- cli.Run(ctx, []string{"hub", "--data-dir", dir, "--listen", "127.0.0.1:0", "--beacon", "0", "--name", "Back office"}, "test", &stdout, log)
	}()
	waitFor(t, log, "hub running")
	return log, gosync.OnceValue(func() int { cancel(); return <-exited })
}

func waitFor(t *testing.T, log *testutil.Buffer, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(log.String(), what) {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %q:\n%s", what, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
