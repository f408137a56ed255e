package store_test

import (
	"bufio"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

const applyCrashEnv = "QUIETDESK_APPLY_CRASH_DIRS" // "source|target"

// TestApplyCrashHelper is the child process of TestApplyKill9: it copies
// the source practice into the target in small batches, printing the
// target's change count after each batch commits, until it is killed.
func TestApplyCrashHelper(t *testing.T) {
	dirs := os.Getenv(applyCrashEnv)
	if dirs == "" {
		t.Skip("helper process for TestApplyKill9")
	}
	srcDir, dstDir, _ := strings.Cut(dirs, "|")
	die := func(err error) {
		fmt.Printf("ERR %v\n", err)
		os.Exit(3)
	}
	ctx := context.Background()
	src, err := store.Open(srcDir, store.Options{AppVersion: "crash"})
	if err != nil {
		die(err)
	}
	dst, err := store.Open(dstDir, store.Options{AppVersion: "crash"})
	if err != nil {
		die(err)
	}
	if !dst.Exists() {
		if err := dst.CreateReplica(ctx, src.PracticeID()); err != nil {
			die(err)
		}
	}
	for {
		have, err := dst.Vector(ctx)
		if err != nil {
			die(err)
		}
		batch, err := src.ChangesAfter(ctx, have, 40)
		if err != nil {
			die(err)
		}
		if len(batch) == 0 {
			fmt.Println("DONE")
			time.Sleep(time.Hour)
		}
		if _, err := dst.ApplyBatch(ctx, batch, nil); err != nil {
			die(err)
		}
		v, _ := dst.Vector(ctx)
		fmt.Printf("ACK %d\n", v.Total()) // committed: synchronous=FULL
	}
}

// TestApplyKill9 kills a process that is merging batches with SIGKILL at
// random moments, and checks after each kill that the target is sound,
// holds every batch it acknowledged and no half transaction, and finally
// converges with the source.
func TestApplyKill9(t *testing.T) {
	if os.Getenv(applyCrashEnv) != "" {
		t.Skip("in the helper process")
	}
	ctx := context.Background()
	src := &replica{name: "source", dir: t.TempDir()}
	src.open(t)
	owner := practice.Account{Username: "Owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := src.db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAccount(&owner, ownerPassword); err != nil {
			return err
		}
		for i := range 400 {
			p := samplePatient()
			p.Identity.FirstName = fmt.Sprint("K", i)
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 300 { // many small transactions too
		addPatient(t, src, fmt.Sprint("T", i))
	}
	src.db.Close()
	dst := &replica{name: "target", dir: filepath.Join(t.TempDir(), "target")}
	var acked int64
	refills := 0
	for round := 1; round <= 5; {
		got, idle := killApplier(t, src.dir, dst.dir, time.Duration(mrand.IntN(60))*time.Millisecond)
		if idle {
			// The kill hit a process that had merged everything, which
			// proves nothing: the source gets more to merge and the round
			// is run again (a fast machine gets through the first changes
			// in fewer rounds).
			if refills++; refills > 3 {
				t.Fatalf("round %d: the helper had merged everything before the kill %d times", round, refills)
			}
			src.open(t)
			if _, err := src.db.Unlock(ctx, owner.Username, ownerPassword); err != nil {
				t.Fatal(err)
			}
			for i := range 300 {
				addPatient(t, src, fmt.Sprint("R", refills, "-", i))
			}
			src.db.Close()
			continue
		}
		acked = max(acked, got)
		dst.open(t)
		if res, err := dst.db.IntegrityCheck(ctx); err != nil || res != "ok" {
			t.Fatalf("round %d: integrity_check %q %v", round, res, err)
		}
		v, err := dst.db.Vector(ctx)
		if err != nil || v.Total() < acked {
			t.Fatalf("round %d: target holds %d changes, %d were acknowledged (%v)", round, v.Total(), acked, err)
		}
		assertNoHalfSaves(t, []*replica{dst})
		t.Logf("round %d: killed with %d changes acknowledged, %d held", round, acked, v.Total())
		dst.db.Close()
		round++
	}
	src.open(t)
	dst.open(t)
	syncAll(t, src, dst)
	assertSame(t, []*replica{src, dst})
}

// killApplier runs the helper until d after its first acknowledgement,
// kills it with SIGKILL and returns the last change count it acknowledged;
// idle reports that it had merged everything (said DONE) before the kill.
func killApplier(t *testing.T, srcDir, dstDir string, d time.Duration) (last int64, idle bool) {
	t.Helper()
	cmd := testutil.Rerun("TestApplyCrashHelper", applyCrashEnv+"="+srcDir+"|"+dstDir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var kill <-chan time.Time
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				return last, idle
			}
			switch n, found := strings.CutPrefix(line, "ACK "); {
			case found:
				last, _ = strconv.ParseInt(n, 10, 64)
				if kill == nil {
					kill = time.After(d)
				}
			case line == "DONE":
				idle = true
				cmd.Process.Signal(syscall.SIGKILL)
			default:
				t.Fatalf("helper: %s", line)
			}
		case <-kill:
			cmd.Process.Signal(syscall.SIGKILL)
			kill = nil
		}
	}
}
