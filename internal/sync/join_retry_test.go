package sync_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/testutil"
)

const joinKillEnv = "QUIETDESK_JOIN_KILL" // "dir|address|code|phase|at"

// TestJoinKillHelper is the child process of TestJoinKilledMidCopyCanBeRetried:
// it joins and kills itself with SIGKILL once the given phase reports at
// least `at` (bytes of the copy, or changes caught up), after writing
// where to dir/../killed-at.
func TestJoinKillHelper(t *testing.T) {
	spec := os.Getenv(joinKillEnv)
	if spec == "" {
		t.Skip("helper process for TestJoinKilledMidCopyCanBeRetried")
	}
	f := strings.Split(spec, "|")
	dir, address, code, phase := f[0], f[1], f[2], f[3]
	at, _ := strconv.ParseInt(f[4], 10, 64)
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	id, err := sync.LoadIdentity(dir)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	err = sync.Join(context.Background(), sync.JoinOptions{DB: db, Identity: id, Name: "B", Address: address, Code: code,
		Progress: func(p string, done, total int64) {
			if p == phase && done >= at {
				testutil.KillSelf(filepath.Join(filepath.Dir(dir), "killed-at"), fmt.Sprintf("%s %d of %d", p, done, total))
			}
		}})
	fmt.Println("DONE", err)
}

// members counts the host's members with id (removed ones too).
func members(t *testing.T, m *machine, id string) (n, all int) {
	t.Helper()
	devs, err := m.db.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.ID == id {
			n++
		}
	}
	return n, len(devs)
}

// A join killed (SIGKILL) on the new machine at points through the copy,
// and just after it, then tried again with a fresh code, succeeds; the
// host holds exactly one member for it, and nothing half-copied stays.
// Before, the host made the device a member before sending the copy, and
// every retry failed with an untrue "too many wrong codes".
func TestJoinKilledMidCopyCanBeRetried(t *testing.T) {
	host := newPractice(t, "A")
	bulkPatients(t, host, 2500) // a copy of several 1 MiB frames
	ctx := context.Background()
	for _, kill := range []struct {
		phase string
		at    int64
	}{
		{sync.PhaseCopy, 1},       // the first frame
		{sync.PhaseCopy, 2 << 20}, // mid-copy
		{sync.PhaseCatchUp, 0},    // copy installed and confirmed, catch-up begun
	} {
		t.Run(fmt.Sprintf("%s-%d", kill.phase, kill.at), func(t *testing.T) {
			base := t.TempDir()
			dir := filepath.Join(base, "B")
			p, err := host.svc.OpenPairing(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cmd := testutil.Rerun("TestJoinKillHelper", joinKillEnv+"="+strings.Join([]string{dir, host.svc.Addr(), p.Code, kill.phase, strconv.FormatInt(kill.at, 10)}, "|"))
			out, err := cmd.CombinedOutput()
			where, _ := os.ReadFile(filepath.Join(base, "killed-at"))
			if len(where) == 0 || !testutil.DiedOfSIGKILL(err) {
				t.Fatalf("the joiner was not killed where asked (%v): %s", err, out)
			}
			t.Logf("killed at %s", where)
			id, err := sync.LoadIdentity(dir)
			if err != nil {
				t.Fatal(err)
			}
			if kill.phase == sync.PhaseCopy {
				if n, _ := members(t, host, id.ID); n != 0 {
					t.Fatalf("killed mid-copy, the joiner is already a member on the host (%d)", n)
				}
			}

			// Retry in this process, on the same folder and identity.
			b := &machine{name: "B", dir: dir, tap: &testutil.Buffer{}}
			if b.db, err = store.Open(dir, store.Options{AppVersion: "test"}); err != nil {
				t.Fatalf("the half-joined folder does not open: %v", err)
			}
			defer b.db.Close()
			b.id = id
			for _, name := range testutil.FileNames(t, dir) {
				if strings.Contains(name, ".joining") {
					t.Fatalf("the interrupted copy %s is still there", name)
				}
			}
			p, err = host.svc.OpenPairing(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := sync.Join(ctx, sync.JoinOptions{DB: b.db, Identity: b.id, Name: "B", Address: host.svc.Addr(), Code: p.Code}); err != nil {
				t.Fatalf("the retried join failed: %v", err)
			}
			if n, _ := members(t, host, id.ID); n != 1 {
				t.Fatalf("the host holds %d members for the joiner, want 1", n)
			}
			b.start(t, host.svc.Addr())
			defer b.svc.Stop()
			unlock(t, b)
			mark := addPatient(t, b, "Retried")
			eventually(t, 20e9, "the retried machine's write reached the host", func() bool { return hasPatient(host, mark.ID) })
			eventually(t, 20e9, "digests agree", func() bool { return digestsEqual(host, b) })
		})
	}
	if _, all := members(t, host, host.id.ID); all != 1+3 {
		t.Fatalf("the host lists %d devices after three retried joins, want itself and three", all)
	}
}

// bulkPatients writes n patients in one transaction.
func bulkPatients(t *testing.T, m *machine, n int) {
	t.Helper()
	if err := m.db.Update(context.Background(), func(tx *store.Tx) error {
		for i := range n {
			p := practice.Patient{Identity: practice.PatientIdentity{FirstName: "Bulk", LastName: strconv.Itoa(i), DOB: "1990-01-01", Sex: "F"},
				Contact: practice.PatientContact{Email: "bulk" + strconv.Itoa(i) + "@example.com"}, Active: true}
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A machine holding another practice is refused, says so truly, and does
// not become a member of this one.
func TestJoinFromAnotherPracticeAddsNoMember(t *testing.T) {
	ctx := context.Background()
	host := newPractice(t, "A")
	other := newPractice(t, "Other")
	other.svc.Stop()
	p, err := host.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = sync.Join(ctx, sync.JoinOptions{DB: other.db, Identity: other.id, Name: "Other", Address: host.svc.Addr(), Code: p.Code})
	if practice.ErrorCode(err) != practice.EConflict ||
		practice.ErrorMessage(err) != "This data folder holds another practice, so it cannot join this one. Nothing was copied, and the other machine did not add this one; use an empty folder." {
		t.Fatalf("join from another practice: %v", err)
	}
	eventually(t, 5e9, "the host closed the refused connection", func() bool {
		n, _ := members(t, host, other.id.ID)
		return n == 0
	})
	if n, _ := members(t, host, other.id.ID); n != 0 {
		t.Fatal("the refused machine became a member")
	}
}

// A code that expired with its `pair open` gets a message that says so,
// not "could not reach".
func TestJoinMessagesAreTrue(t *testing.T) {
	ctx := context.Background()
	host := newPractice(t, "A")
	addr := host.svc.Addr()
	host.svc.Stop() // as `pair open` exits when its window closes
	b := newMachine(t, "B")
	err := sync.Join(ctx, sync.JoinOptions{DB: b.db, Identity: b.id, Name: "B", Address: addr, Code: "7QX2M-K9D4B-1TZ8C"})
	want := "Nothing answered at " + addr + ". Check the address and that the machine is on; if its pairing window closed (a code lasts 5 minutes), open a new one. Nothing was copied."
	if practice.ErrorMessage(err) != want {
		t.Fatalf("join to a closed window: %q, want %q", practice.ErrorMessage(err), want)
	}
	if b.db.Exists() {
		t.Fatal("a failed join created a practice")
	}
}

// Two running machines, one restored from an old backup — its own, or the
// other machine's — keep syncing: writes on both afterwards reach both,
// digests agree, and no batch is refused. Before, both refused each
// other's batches every 5 s forever (UNIQUE audit_log.device, seq) while
// each went on alone.
func TestRestoredMachineKeepsSyncing(t *testing.T) {
	for _, onto := range []string{"A", "B"} {
		t.Run("Onto"+onto, func(t *testing.T) {
			ctx := context.Background()
			a := newPractice(t, "A")
			b := join(t, a, "B")
			for _, m := range []*machine{a, b} {
				m.svc.Stop()
				m.logs = &testutil.Buffer{}
			}
			a.start(t)
			b.start(t, a.svc.Addr())
			unlock(t, a)
			unlock(t, b)
			audit := func(m *machine, n int) {
				for range n {
					if err := m.db.Update(ctx, func(tx *store.Tx) error { return tx.Audit("owner", "patient.read", "patients", "p") }); err != nil {
						t.Fatal(err)
					}
				}
			}
			audit(a, 3)
			backup := filepath.Join(t.TempDir(), "a.backup")
			if err := a.db.Backup(ctx, backup); err != nil {
				t.Fatal(err)
			}
			audit(a, 5)
			addPatient(t, a, "AfterBackup")
			eventually(t, 20e9, "B holds A's entries after the backup", func() bool { return digestsEqual(a, b) })

			target := map[string]*machine{"A": a, "B": b}[onto]
			target.svc.Stop()
			if err := target.db.Restore(ctx, backup, nil); err != nil {
				t.Fatal(err)
			}
			unlock(t, target)
			if target == a {
				a.start(t)
				b.svc.Stop()
				b.start(t, a.svc.Addr())
			} else {
				b.start(t, a.svc.Addr())
			}
			audit(a, 4)
			audit(b, 4)
			pa, pb := addPatient(t, a, "RestoredA"), addPatient(t, b, "RestoredB")
			eventually(t, 30e9, "writes on both reached both", func() bool { return hasPatient(a, pb.ID) && hasPatient(b, pa.ID) })
			eventually(t, 30e9, "digests agree", func() bool { return digestsEqual(a, b) })
			for _, m := range []*machine{a, b} {
				if strings.Contains(m.logs.String(), "refused") {
					t.Errorf("%s refused a batch:\n%s", m.name, m.logs.String())
				}
			}
		})
	}
}
