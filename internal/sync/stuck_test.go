package sync_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/store"
	"quietdesk/internal/sync"
)

// One change a machine cannot merge (here: B holds a stray audit row at the
// sequence A writes next, as an old restore could leave) must not stop
// sync: B still takes C's changes, both ends of the stuck link say on the
// Devices screen that changes made on A are stuck and why, and once the
// cause is gone A's changes arrive and the message clears.
func TestAChangeThatCannotMergeIsNamedAndBlocksOnlyItsOrigin(t *testing.T) {
	defer sync.SetSkipAgain(time.Second)()
	ctx := context.Background()
	a := newPractice(t, "A")
	b := join(t, a, "B")
	c := join(t, a, "C")
	unlock(t, b)
	unlock(t, c)

	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(b.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The audit chain is kept per device under the database's own device
	// id (meta), which is also its origin in the change log.
	var device string
	var next int64
	rawA, err := sql.Open("sqlite3", "file:"+filepath.Join(a.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer rawA.Close()
	if err := rawA.QueryRow("SELECT value FROM meta WHERE key = 'device_id'").Scan(&device); err != nil {
		t.Fatal(err)
	}
	if err := rawA.QueryRow("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log WHERE device = ?", device).Scan(&next); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO audit_log (id, device, seq, at, action) VALUES ('stray', ?, ?, '2020-01-01T00:00:00Z', 'stray')", device, next); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.Audit("owner", "patient.read", "patients", "p") }); err != nil {
		t.Fatal(err)
	}
	fromA := addPatient(t, a, "FromA") // after the entry B cannot take: it waits too
	fromC := addPatient(t, c, "FromC")

	eventually(t, 20*time.Second, "C's patient reached B past A's stuck change", func() bool { return hasPatient(b, fromC.ID) })
	stuckOn := func(m *machine, want ...string) func() bool {
		return func() bool {
			st, _ := m.svc.Status(ctx)
			for _, p := range st.Peers {
				hit := p.Stuck != ""
				for _, w := range want {
					hit = hit && strings.Contains(p.Stuck, w)
				}
				if hit {
					return true
				}
			}
			return false
		}
	}
	eventually(t, 20*time.Second, "B names the stuck changes and the constraint",
		stuckOn(b, "changes made on A", "UNIQUE constraint failed: audit_log.device, audit_log.seq", "nothing is lost"))
	eventually(t, 20*time.Second, "A says B cannot merge its changes", stuckOn(a, "changes made on this computer: B cannot merge"))
	if hasPatient(b, fromA.ID) {
		t.Fatal("A's later change merged on B ahead of the one held back: its stream's order was broken")
	}

	if _, err := raw.Exec("DELETE FROM audit_log WHERE id = 'stray'"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "A's changes reached B once the cause was gone", func() bool { return hasPatient(b, fromA.ID) })
	notStuck := func(m *machine) func() bool {
		return func() bool {
			st, _ := m.svc.Status(ctx)
			for _, p := range st.Peers {
				if p.Stuck != "" {
					return false
				}
			}
			return true
		}
	}
	eventually(t, 30*time.Second, "B's message cleared", notStuck(b))
	eventually(t, 30*time.Second, "A's message cleared", notStuck(a))
}

// A device removed while it runs is told so the next time it calls: it
// says it was removed and by which machine, and stops calling (before, it
// redialled a refusal forever).
func TestARemovedDeviceIsToldAndStopsCalling(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	b := join(t, a, "B")
	b.svc.Stop()
	b.start(t, a.svc.Addr())
	eventually(t, 10*time.Second, "B connected", func() bool {
		st, _ := a.svc.Status(ctx)
		return st.Connected == 1
	})
	if err := a.svc.Remove(ctx, b.id.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "B says it was removed by A", func() bool {
		st, _ := b.svc.Status(ctx)
		return st.RemovedBy == "A"
	})
	before := a.svc.Refused()
	time.Sleep(4 * time.Second) // B's redial back-off starts at 0.5 s
	if after := a.svc.Refused(); after != before {
		t.Fatalf("B called %d more times after it was told it was removed", after-before)
	}
}
