package notify_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"quietdesk/internal/mail/mailtest"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0
	os.Exit(m.Run())
}

const ownerPassword = "correct horse battery staple"

// clock is a settable time shared by a machine's store and outbox.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// machine is one office computer of a practice: its own data folder.
type machine struct {
	name  string
	dir   string
	db    *store.DB
	clock *clock
}

func openMachine(t *testing.T, name, dir string, c *clock) *machine {
	t.Helper()
	opts := store.Options{AppVersion: "test"}
	if c != nil {
		opts.Now = c.Now
	}
	db, err := store.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &machine{name: name, dir: dir, db: db, clock: c}
}

// newPractice creates a practice on a new machine, logged in as the owner.
func newPractice(t *testing.T, c *clock) *machine {
	t.Helper()
	m := openMachine(t, "A", t.TempDir(), c)
	owner := practice.Account{Username: "owner", DisplayName: "Owner", Role: practice.RoleOwner}
	err := m.db.Create(context.Background(), func(tx *store.Tx) error {
		settings := practice.Settings{Name: "Lakeside Counseling", Phone: "(555) 010-2000", Timezone: "America/Chicago", LockMinutes: 10}
		if err := tx.SaveSettings(&settings); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// join makes another machine of m's practice, caught up and logged in.
func (m *machine) join(t *testing.T, name string, c *clock) *machine {
	t.Helper()
	o := openMachine(t, name, t.TempDir(), c)
	if err := o.db.CreateReplica(context.Background(), m.db.PracticeID()); err != nil {
		t.Fatal(err)
	}
	syncTo(t, m, o)
	if _, err := o.db.Unlock(context.Background(), "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	return o
}

// syncTo sends everything from has and to lacks, as LAN sync would.
func syncTo(t *testing.T, from, to *machine) {
	t.Helper()
	ctx := context.Background()
	for {
		have, err := to.db.Vector(ctx)
		if err != nil {
			t.Fatal(err)
		}
		batch, err := from.db.ChangesAfter(ctx, have, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return
		}
		if _, err := to.db.ApplyBatch(ctx, batch, nil); err != nil {
			t.Fatalf("%s -> %s: %v", from.name, to.name, err)
		}
	}
}

func (m *machine) update(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := m.db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func startServer(t *testing.T) *mailtest.Server {
	t.Helper()
	s, err := mailtest.Start(mailtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// useRelay saves s as the practice's relay and m as the sender.
func (m *machine) useRelay(t *testing.T, s *mailtest.Server) {
	t.Helper()
	m.update(t, func(tx *store.Tx) error {
		if err := tx.SaveMailSetting("relay", s.Relay("Lakeside Counseling <office@lakeside.example>")); err != nil {
			return err
		}
		return tx.SetMailSender(m.db.DeviceID())
	})
}

func (m *machine) outbox(s *mailtest.Server) *notify.Outbox {
	o := &notify.Outbox{DB: m.db, Dialer: s.Dialer()}
	if m.clock != nil {
		o.Now = m.clock.Now
	}
	return o
}

// queue queues a test message about subject due at due.
func (m *machine) queue(t *testing.T, subject string, due time.Time) string {
	t.Helper()
	var id string
	m.update(t, func(tx *store.Tx) error {
		var err error
		id, _, err = tx.QueueMessage(store.OutboxMessage{Purpose: "test", SubjectID: subject, DueAt: due},
			store.OutboxContent{To: "ana@example.org", Subject: "Hello", Text: "See you soon."})
		return err
	})
	return id
}

func (m *machine) message(t *testing.T, id string) store.OutboxMessage {
	t.Helper()
	var msg store.OutboxMessage
	if err := m.db.View(context.Background(), func(tx *store.Tx) (err error) {
		msg, err = tx.OutboxMessage(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return msg
}

func (m *machine) rows(t *testing.T) int {
	t.Helper()
	n := 0
	if err := m.db.View(context.Background(), func(tx *store.Tx) error {
		counts, err := tx.OutboxCounts()
		for _, c := range counts {
			n += c
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
