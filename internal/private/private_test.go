package private_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"quietdesk/internal/private"
)

// The test runs natively on Linux and, cross-compiled, under Wine
// (scripts/test-windows.sh), where the access lists are real Windows ones.
func TestDirAndFilesInsideAreTheUsersAlone(t *testing.T) {
	dir := filepath.Join(scratchDir(t), "Practice data é")
	if err := private.Dir(dir); err != nil {
		t.Fatal(err)
	}
	assertOwnerOnly(t, dir)
	// A file created in the folder afterwards, the way SQLite creates its
	// database, -wal and -shm, with the default mode.
	db := filepath.Join(dir, "practice.db")
	if err := os.WriteFile(db, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		// Unix has no inheritance: the store makes each file private.
		if err := private.File(db); err != nil {
			t.Fatal(err)
		}
	}
	assertOwnerOnly(t, db)
}

func TestCheckNamesAFileOthersCanRead(t *testing.T) {
	dir := scratchDir(t)
	path := filepath.Join(dir, "backup.qdb")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "windows" {
		// A temp folder's file inherits Administrators and SYSTEM.
		if err := private.Check(path); err == nil {
			t.Fatal("Check passed a file whose access list names other accounts")
		}
	} else if err := private.Check(path); err == nil {
		t.Fatal("Check passed a 0644 file")
	}
	if err := private.File(path); err != nil {
		t.Fatal(err)
	}
	assertOwnerOnly(t, path)
}

func TestExistingOpenFolderIsFixed(t *testing.T) {
	dir := filepath.Join(scratchDir(t), "shared")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := private.Check(dir); err == nil {
			t.Fatal("Check passed a 0755 folder")
		}
	}
	if err := private.Dir(dir); err != nil {
		t.Fatal(err)
	}
	assertOwnerOnly(t, dir)
}

// scratchDir is t.TempDir without failing on cleanup: under Wine 8, Go's
// os.RemoveAll stops at a call Wine does not implement ("Invalid function"),
// which says nothing about the code under test.
func scratchDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "private-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
