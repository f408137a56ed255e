//go:build !windows

// Modes are Unix; on Windows the same promise is an access list, checked by
// internal/private's tests.

package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"quietdesk/internal/private"
	"quietdesk/internal/store"
)

// A data folder someone made readable to others (0755) is made the user's
// alone on open, and a backup is the user's alone wherever it is written.
func TestDataFolderAndBackupsAreTheUsersAlone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if fi, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o700 {
		t.Fatalf("data folder after open: %04o, want 0700", fi.Mode().Perm())
	}

	src, _, _ := newPractice(t)
	backup := filepath.Join(t.TempDir(), "nightly.backup")
	if err := src.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(backup); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
		t.Fatalf("backup: mode %04o, %d bytes; want a non-empty 0600 file", fi.Mode().Perm(), fi.Size())
	}
	if err := private.Check(backup); err != nil {
		t.Fatal(err)
	}
}
