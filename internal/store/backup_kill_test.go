package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/store"
	"quietdesk/internal/testutil"
)

const backupKillEnv = "QUIETDESK_BACKUP_KILL" // "dir|destination"

// TestBackupKillHelper is the child process of TestBackupKilledMidWrite: it
// backs dir up to the destination and says DONE.
func TestBackupKillHelper(t *testing.T) {
	spec := os.Getenv(backupKillEnv)
	if spec == "" {
		t.Skip("helper process for TestBackupKilledMidWrite")
	}
	dir, dst, _ := strings.Cut(spec, "|")
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	if err := db.Backup(context.Background(), dst); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	fmt.Println("DONE")
}

// A backup killed (SIGKILL) while it writes leaves no file under the
// backup's name (only its ".partial" working file, which the next backup
// replaces), the practice whole and unchanged, and the next backup works.
// Each kill is proved mid-write: the working file had reached the size
// asked for and was still short of a whole backup.
func TestBackupKilledMidWrite(t *testing.T) {
	ctx := context.Background()
	template := newRestoreCase(t, t.TempDir(), 10)
	db, err := store.Open(template.dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Unlock(ctx, "owner", ownerPassword); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { // a backup of several MB
		for i := range 4000 {
			p := samplePatient()
			p.Identity.LastName = fmt.Sprintf("Bulk%d", i)
			if err := tx.CreatePatient(&p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	digest, err := db.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(t.TempDir(), "whole.qdbackup")
	if err := db.Backup(ctx, whole); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := os.Stat(whole)
	if err != nil {
		t.Fatal(err)
	}
	size := st.Size()

	killed := 0
	for _, part := range []int64{8, 4, 2} { // kill at 1/8, 1/4 and 1/2 of the backup written
		base := t.TempDir()
		dir := filepath.Join(base, "data")
		copyTree(t, template.dir, dir)
		dst := filepath.Join(base, "backups", "tonight.qdbackup")
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		cmd := testutil.Rerun("TestBackupKillHelper", backupKillEnv+"="+dir+"|"+dst)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var at int64
	watch:
		for {
			select {
			case err := <-done:
				t.Logf("1/%d: the backup finished before it was killed (%v)", part, err)
				break watch
			default:
			}
			if st, err := os.Stat(dst + ".partial"); err == nil && st.Size() >= size/part && st.Size() < size {
				cmd.Process.Kill()
				at = st.Size()
				if !testutil.DiedOfSIGKILL(<-done) {
					at = 0 // it ended first
				}
				break
			}
		}
		if at == 0 {
			continue
		}
		killed++
		t.Logf("killed with %d of %d bytes written", at, size)
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Fatalf("killed at %d bytes: a file stands under the backup's name (%v)", at, err)
		}
		db, err := store.Open(dir, store.Options{AppVersion: "test"})
		if err != nil {
			t.Fatalf("killed at %d bytes: the practice does not open: %v", at, err)
		}
		if d, err := db.Digest(ctx); err != nil || d != digest {
			t.Fatalf("killed at %d bytes: the practice changed (%v)", at, err)
		}
		if err := db.Backup(ctx, dst); err != nil {
			t.Fatalf("the next backup: %v", err)
		}
		db.Close()
		if _, err := os.Stat(dst + ".partial"); !os.IsNotExist(err) {
			t.Fatalf("the next backup left the killed one's working file (%v)", err)
		}
		raw, err := sql.Open("sqlite3", "file:"+dst+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var verdict string
		if err := raw.QueryRow("PRAGMA integrity_check").Scan(&verdict); err != nil || verdict != "ok" {
			t.Fatalf("the next backup fails its integrity check: %q %v", verdict, err)
		}
		raw.Close()
	}
	if killed == 0 {
		t.Fatal("no backup was killed mid-write; every one finished first")
	}
}
