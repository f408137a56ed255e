//go:build unix

package cli_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// assertOwnerOnly fails unless every folder under root is 0700 and every
// file 0600.
func assertOwnerOnly(t *testing.T, after string, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("after %s: %s is %v, want %v", after, path, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEveryFileIsOwnerOnlyAfterEachCommand(t *testing.T) {
	// As a desktop session usually runs: files readable by everyone unless
	// Quietdesk says otherwise.
	old := umask(0o022)
	defer umask(old)
	// A data folder someone made readable by everyone beforehand.
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "demo", "--data-dir", dir, "--size", "small"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	assertOwnerOnly(t, "demo into a 0755 folder", dir)

	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("quietdesk-demo-2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	backups := t.TempDir()
	backup := filepath.Join(backups, "practice.backup")
	steps := [][]string{
		{"export", "patients", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw, "--format", "csv"},
		{"audit", "verify", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw},
		{"backup", "--data-dir", dir, "--to", backup},
		{"restore", "--data-dir", dir, "--from", backup},
		{"check", "--data-dir", dir},
	}
	for _, args := range steps {
		if code, _, errOut := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, errOut)
		}
		assertOwnerOnly(t, args[0], dir)
		if info, err := os.Stat(backup); err == nil && info.Mode().Perm() != 0o600 {
			t.Errorf("after %s: the backup is %v, want 0600", args[0], info.Mode().Perm())
		}
	}
	// A file made readable later (a copy, a mistaken chmod) is fixed at the next open.
	if err := os.Chmod(filepath.Join(dir, "practice.db"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "check", "--data-dir", dir); code != 0 {
		t.Fatalf("check: %s", errOut)
	}
	assertOwnerOnly(t, "check of a folder opened up again", dir)
}
