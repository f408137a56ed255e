package store_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// Each failure says what happened and what was (not) changed; "nothing
// was changed" only where the test shows it.
func TestOpenAndCreateMessagesAreTrue(t *testing.T) {
	t.Run("ErrDataFolderIsAFile", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "Quietdesk")
		if err := os.WriteFile(file, []byte("notes"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(file, store.Options{})
		want := "The data folder " + file + " is a file, not a folder. Nothing was changed; choose a folder for Quietdesk's data."
		if practice.ErrorMessage(err) != want {
			t.Fatalf("got %q, want %q", practice.ErrorMessage(err), want)
		}
		if b, _ := os.ReadFile(file); string(b) != "notes" {
			t.Fatal("the file changed")
		}
	})
	t.Run("ErrReadOnlyDisk", func(t *testing.T) {
		disk := testutil.SmallDisk(t, 4<<20)
		dir := filepath.Join(disk, "data")
		rc := newRestoreCase(t, dir, 5)
		if out, err := exec.Command("mount", "-o", "remount,ro", disk).CombinedOutput(); err != nil {
			t.Fatalf("remount read-only: %v %s", err, out)
		}
		_, err := store.Open(dir, store.Options{})
		want := "Quietdesk may not write in the data folder " + dir + " (a read-only disk, or no permission). Nothing was changed; give your account write access to it, or copy it to a folder you can write."
		if practice.ErrorMessage(err) != want {
			t.Fatalf("got %q (%v), want %q", practice.ErrorMessage(err), err, want)
		}
		if fileSum(t, filepath.Join(dir, store.FileName)) != rc.fileSum {
			t.Fatal("the database changed")
		}
	})
	t.Run("ErrDatabaseNotWritable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root may write any file; ErrReadOnlyDisk covers this as root")
		}
		dir := t.TempDir()
		rc := newRestoreCase(t, dir, 5)
		if err := os.Chmod(filepath.Join(dir, store.FileName), 0o400); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(dir, store.Options{})
		if msg := practice.ErrorMessage(err); !strings.HasPrefix(msg, "Quietdesk may not write in the data folder") || strings.Contains(msg, "restore a backup") {
			t.Fatalf("got %q", msg)
		}
		if fileSum(t, filepath.Join(dir, store.FileName)) != rc.fileSum {
			t.Fatal("the database changed")
		}
	})
	t.Run("ErrCreateOnAFullDisk", func(t *testing.T) {
		disk := testutil.SmallDisk(t, 256<<10)
		dir := filepath.Join(disk, "data")
		db, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		testutil.FillLeaving(t, disk, 16<<10)
		err = db.Create(context.Background(), func(tx *store.Tx) error {
			for range 200 {
				p := samplePatient()
				if err := tx.CreatePatient(&p); err != nil {
					return err
				}
			}
			return nil
		})
		want := "The practice could not be created: the disk is full. Nothing was changed; free some space and try again."
		if practice.ErrorMessage(err) != want {
			t.Fatalf("got %q (%v), want %q", practice.ErrorMessage(err), err, want)
		}
		if db.Exists() {
			t.Fatal("a practice exists after a failed create")
		}
		if names := testutil.FileNames(t, dir); strings.Join(names, ",") != "quietdesk.lock" {
			t.Fatalf("the folder holds %v", names)
		}
	})
}

// Opening a folder removes what interrupted work left: a half-received
// copy (join), a half-made practice (create, demo), a copy being sent
// (a host killed mid-join) and a restore copy never swapped in.
func TestOpenRemovesWhatInterruptedWorkLeft(t *testing.T) {
	rc := newRestoreCase(t, t.TempDir(), 2)
	for _, name := range []string{"practice.db.joining", "practice.db.creating", "practice.db.creating-wal",
		"practice.db.snapshot", "practice.db.restoring"} {
		if err := os.WriteFile(filepath.Join(rc.dir, name), []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(rc.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Recovered() != "" {
		t.Fatalf("nothing was restored, yet opening says %q", db.Recovered())
	}
	for _, name := range testutil.FileNames(t, rc.dir) {
		if name != "practice.db" && name != "practice.db-wal" && name != "practice.db-shm" && name != "quietdesk.lock" {
			t.Errorf("%s is still there", name)
		}
	}
}
