package sync_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/testutil"
)

const joinHostEnv = "QUIETDESK_JOIN_HOST" // the host's data folder

// TestJoinHostHelper is the host process of
// TestJoinWhoseHostIsKilledMidCopyCanBeRetried: it serves its practice,
// opens a pairing window, prints "READY address code", and kills itself
// (SIGKILL) once 2 MiB of the copy went out, writing how much to
// dir/../killed-at.
func TestJoinHostHelper(t *testing.T) {
	dir := os.Getenv(joinHostEnv)
	if dir == "" {
		t.Skip("helper process for TestJoinWhoseHostIsKilledMidCopyCanBeRetried")
	}
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
	// Killed by its own hand once 2 MiB of the copy went out: so the kill
	// is provably mid-transfer, whatever the sockets had buffered.
	sync.OnSnapshotSent(func(sent, size int64) {
		if sent >= 2<<20 {
			testutil.KillSelf(filepath.Join(filepath.Dir(dir), "killed-at"), fmt.Sprintf("%d %d", sent, size))
		}
	})
	svc := sync.New(sync.Config{DB: db, Identity: id, Name: "A", Listen: "127.0.0.1:0"})
	if err := svc.Start(context.Background()); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	p, err := svc.OpenPairing(context.Background())
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	fmt.Println("READY", svc.Addr(), p.Code)
	select {}
}

// The host killed (SIGKILL) while it sends the copy: the new machine says
// the copy was not finished and keeps no half copy; the host, started
// again, has not made it a member and left no copy file behind; a retry
// with a new code succeeds and the host holds one member for it.
func TestJoinWhoseHostIsKilledMidCopyCanBeRetried(t *testing.T) {
	ctx := context.Background()
	host := &machine{name: "A", dir: t.TempDir(), tap: &testutil.Buffer{}}
	var err error
	if host.db, err = store.Open(host.dir, store.Options{AppVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := host.db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Sync Test", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	bulkPatients(t, host, 2500) // a copy of several 1 MiB frames
	host.db.Close()

	cmd := testutil.Rerun("TestJoinHostHelper", joinHostEnv+"="+host.dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	var addr, code string
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "READY" {
			addr, code = f[1], f[2]
			break
		}
	}
	if addr == "" {
		t.Fatalf("the host never opened its pairing window: %v", sc.Err())
	}

	b := newMachine(t, "B")
	err = sync.Join(ctx, sync.JoinOptions{DB: b.db, Identity: b.id, Name: "B", Address: addr, Code: code})
	var killedAt, total int64
	record, _ := os.ReadFile(filepath.Join(filepath.Dir(host.dir), "killed-at"))
	fmt.Sscan(string(record), &killedAt, &total)
	if !testutil.DiedOfSIGKILL(cmd.Wait()) || killedAt == 0 || killedAt >= total {
		t.Fatalf("the host was not killed mid-copy (%q)", record)
	}
	t.Logf("host killed with %d of %d bytes sent", killedAt, total)
	// Before, the reader took the dropped connection for the copy's end
	// and the joiner adopted a third of a database as its practice.
	if want := "The copy of the practice's data was interrupted. Open a new pairing window and try again."; practice.ErrorMessage(err) != want {
		t.Fatalf("the joiner was told %q, want %q", practice.ErrorMessage(err), want)
	}
	if b.db.Exists() {
		t.Fatal("the joiner kept a half copy as its practice")
	}
	for _, name := range testutil.FileNames(t, b.dir) {
		if strings.Contains(name, ".joining") {
			t.Fatalf("the joiner kept the interrupted copy %s", name)
		}
	}

	// The host starts again: the folder opens, no copy file is left, and
	// the joiner is not a member (membership waits for a confirmed copy).
	if host.db, err = store.Open(host.dir, store.Options{AppVersion: "test"}); err != nil {
		t.Fatalf("the host's folder does not open after the kill: %v", err)
	}
	if host.id, err = sync.LoadIdentity(host.dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if host.svc != nil {
			host.svc.Stop()
		}
		host.db.Close()
	})
	for _, name := range testutil.FileNames(t, host.dir) {
		if strings.HasSuffix(name, ".snapshot") {
			t.Fatalf("the host left its copy %s behind", filepath.Join(host.dir, name))
		}
	}
	if n, _ := members(t, host, b.id.ID); n != 0 {
		t.Fatalf("the host made the joiner a member (%d) of a copy it never finished", n)
	}
	host.start(t)
	unlock(t, host) // to read the patient the joiner writes
	p, err := host.svc.OpenPairing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := sync.Join(ctx, sync.JoinOptions{DB: b.db, Identity: b.id, Name: "B", Address: host.svc.Addr(), Code: p.Code}); err != nil {
		t.Fatalf("the retried join failed: %v", err)
	}
	if n, _ := members(t, host, b.id.ID); n != 1 {
		t.Fatalf("the host holds %d members for the joiner, want 1", n)
	}
	b.start(t, host.svc.Addr())
	unlock(t, b)
	mark := addPatient(t, b, "Retried")
	eventually(t, 20e9, "the retried machine's write reached the host", func() bool { return hasPatient(host, mark.ID) })
	eventually(t, 20e9, "digests agree", func() bool { return digestsEqual(host, b) })
}
