package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

// A restore or a backup on a disk that fills up at any point either
// completes or changes nothing, and says the disk is full. The free space
// left is swept from nothing to more than the restore needs.
func TestRestoreAndBackupOnAFullDisk(t *testing.T) {
	disk := testutil.SmallDisk(t, 8<<20)
	template := newRestoreCase(t, t.TempDir(), 60)
	st, err := os.Stat(filepath.Join(template.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	size := st.Size()
	const step = 48 << 10
	var restored, refusedFull, backedUp, backupFull int
	for free := int64(0); free < 3*size+4*step; free += step {
		dir := filepath.Join(disk, "data")
		copyTree(t, template.dir, dir)
		testutil.FillLeaving(t, disk, free)

		db, err := store.Open(dir, store.Options{AppVersion: "test"})
		if err != nil {
			t.Fatalf("free %d: open: %v", free, err)
		}
		err = db.Restore(context.Background(), template.backup, nil)
		switch {
		case err == nil:
			restored++
		case strings.Contains(practice.ErrorMessage(err), "the disk is full. Nothing was changed; free some space and try again."):
			refusedFull++
		default:
			t.Fatalf("free %d: restore said %q (%v)", free, practice.ErrorMessage(err), err)
		}
		if db.Exists() {
			d, derr := db.Digest(context.Background())
			if derr != nil || d != template.digest {
				t.Fatalf("free %d: after the restore (err %v) the practice's data differs (%v)", free, err, derr)
			}
		} else {
			t.Fatalf("free %d: the folder holds no open practice after the restore (err %v)", free, err)
		}

		// A backup onto the same full disk.
		backup := filepath.Join(disk, "backup.db")
		if berr := db.Backup(context.Background(), backup); berr == nil {
			backedUp++
		} else if strings.Contains(practice.ErrorMessage(berr), "The backup could not be written: the disk is full.") {
			backupFull++
			if names := testutil.FileNames(t, disk); strings.Contains(strings.Join(names, ","), "backup.db") {
				t.Fatalf("free %d: a failed backup left %v", free, names)
			}
		} else {
			t.Fatalf("free %d: backup said %q (%v)", free, practice.ErrorMessage(berr), berr)
		}
		db.Close()
		if err != nil {
			if got := fileSum(t, filepath.Join(dir, store.FileName)); got != template.fileSum {
				t.Fatalf("free %d: a refused restore changed the live database", free)
			}
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Fatalf("free %d: left %v", free, l)
		}
		testutil.EmptyDisk(t, disk)
	}
	t.Logf("database %d bytes; free space swept in %d KiB steps: %d restores done, %d refused for a full disk; %d backups done, %d refused",
		size, step>>10, restored, refusedFull, backedUp, backupFull)
	if restored == 0 || refusedFull == 0 || backupFull == 0 {
		t.Fatal("the sweep did not cover both a full and a roomy disk")
	}
}
