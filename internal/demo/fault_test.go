package demo_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"quietdesk/internal/demo"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

const demoKillEnv = "QUIETDESK_DEMO_KILL_DIR"

// TestDemoKillHelper is the child process of TestDemoIsAllOrNothing: it
// makes the small demo in the given folder until it is killed.
func TestDemoKillHelper(t *testing.T) {
	dir := os.Getenv(demoKillEnv)
	if dir == "" {
		t.Skip("helper process for TestDemoIsAllOrNothing")
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	if _, err := demo.Create(context.Background(), db, demo.Small, 1); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	db.Close()
	fmt.Println("DONE")
}

// counts reads the patients and appointments of a practice file with
// plain SQLite.
func counts(t *testing.T, dir string) (patients, appointments int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow("SELECT (SELECT COUNT(*) FROM patients), (SELECT COUNT(*) FROM appointments)").Scan(&patients, &appointments); err != nil {
		t.Fatal(err)
	}
	return patients, appointments
}

// wholeOrNothing checks a folder after a demo was stopped: either it holds
// the whole demo (600 patients and a schedule) or no practice, and then
// the demo runs again.
func wholeOrNothing(t *testing.T, dir, what string) (whole bool) {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("%s: the folder does not open: %v", what, err)
	}
	exists := db.Exists()
	db.Close()
	if exists {
		if p, a := counts(t, dir); p != 600 || a == 0 {
			t.Fatalf("%s: a half demo: %d patients, %d appointments", what, p, a)
		}
		return true
	}
	for _, name := range testutil.FileNames(t, dir) {
		if strings.HasPrefix(name, "practice.db") {
			t.Fatalf("%s: no practice, but %s is left", what, name)
		}
	}
	return false
}

// A demo killed (SIGKILL) at points through its run leaves either the
// whole demo or no practice, and can run again. Before, a kill left 600
// patients without appointments and the demo refused to run again. The
// kill points are sizes the practice being made has reached, so each
// kill provably lands mid-way; QUIETDESK_SOAK=1 adds more of them.
func TestDemoIsAllOrNothing(t *testing.T) {
	points := []int64{64 << 10, 2 << 20, 5 << 20}
	if os.Getenv("QUIETDESK_SOAK") != "" {
		points = []int64{1, 256 << 10, 1 << 20, 2 << 20, 3 << 20, 4 << 20, 5 << 20, 6 << 20, 7 << 20}
	}
	// run makes the demo in dir, killing it once the practice being made
	// (file and WAL) reaches killAt bytes (0: never); it reports the size
	// it was killed at, or -1 when it finished first.
	run := func(dir string, killAt int64) int64 {
		cmd := testutil.Rerun("TestDemoKillHelper", demoKillEnv+"="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		for {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("the demo failed on its own: %v", err)
				}
				return -1
			case <-time.After(5 * time.Millisecond):
			}
			var size int64
			for _, suffix := range []string{"", "-wal"} {
				if st, err := os.Stat(filepath.Join(dir, "practice.db.creating"+suffix)); err == nil {
					size += st.Size()
				}
			}
			if killAt > 0 && size >= killAt {
				syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
				if !testutil.DiedOfSIGKILL(<-done) {
					return -1
				}
				return size
			}
		}
	}
	for i, at := range points {
		dir := filepath.Join(t.TempDir(), "demo")
		size := run(dir, at)
		if size < 0 {
			t.Fatalf("the demo finished before its practice reached %d bytes; move the kill points", at)
		}
		what := fmt.Sprintf("killed with %d bytes made", size)
		if wholeOrNothing(t, dir, what) {
			t.Fatalf("%s: a whole demo from a killed run", what)
		}
		if i == 0 { // and it runs again
			if run(dir, 0) != -1 || !wholeOrNothing(t, dir, what+", run again") {
				t.Fatalf("%s: the demo run again made no practice", what)
			}
		}
		t.Log(what)
	}
}

// A demo on a disk that fills up at several points leaves no practice and
// says that the disk is full and that nothing was changed (before, it
// printed "nothing was changed" after making a practice).
func TestDemoOnAFullDisk(t *testing.T) {
	for _, size := range []int64{256 << 10, 1 << 20, 3 << 20} {
		t.Run(strconv.FormatInt(size>>10, 10)+"KiB", func(t *testing.T) {
			disk := testutil.SmallDisk(t, size)
			dir := filepath.Join(disk, "demo")
			db, err := store.Open(dir, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = demo.Create(context.Background(), db, demo.Small, 1)
			db.Close()
			want := "The practice could not be created: the disk is full. Nothing was changed; free some space and try again."
			if practice.ErrorMessage(err) != want {
				t.Fatalf("demo on a %d KiB disk: %q (%v), want %q", size>>10, practice.ErrorMessage(err), err, want)
			}
			if wholeOrNothing(t, dir, "full disk") {
				t.Fatal("a practice exists after the demo said nothing was changed")
			}
		})
	}
}
