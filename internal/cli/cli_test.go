package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"quietdesk/internal/cli"
	"quietdesk/internal/demo"
	"quietdesk/internal/export"
	"quietdesk/internal/store"
)

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at its floor
	os.Exit(m.Run())
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, "test", &out, &errOut)
	return code, out.String(), errOut.String()
}

// demoDir makes the small demo once per test through the CLI, checking
// the two-line login it prints.
func demoDir(t *testing.T) (dir, passwordFile string) {
	t.Helper()
	dir = t.TempDir()
	code, out, errOut := run(t, "demo", "--data-dir", dir, "--size", "small")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	want := "user: demo.owner\npassword: " + demo.Password + "\n"
	if out != want {
		t.Fatalf("demo printed %q, want %q", out, want)
	}
	passwordFile = filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(passwordFile, []byte(demo.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, passwordFile
}

func TestDemoExportAndAudit(t *testing.T) {
	dir, pw := demoDir(t)

	t.Run("ExportCSV", func(t *testing.T) {
		code, out, errOut := run(t, "export", "patients", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw, "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(export.PatientColumns, ",") {
			t.Fatalf("header %v", rows[0])
		}
		if len(rows) != 1+600 {
			t.Fatalf("%d patient rows, want 600", len(rows)-1)
		}
		for _, r := range rows[1:] {
			if r[1] == "" || r[2] == "" || len(r[4]) != 10 {
				t.Fatalf("row without name or date of birth: %v", r)
			}
		}
	})
	t.Run("ErrForbiddenRole", func(t *testing.T) {
		code, out, errOut := run(t, "export", "patients", "--data-dir", dir, "--user", "demo.frontdesk", "--password-file", pw)
		if code != 1 || out != "" || !strings.Contains(errOut, "owner or biller") {
			t.Fatalf("front desk export: exit %d, %d bytes out, %q", code, len(out), errOut)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad")
		os.WriteFile(bad, []byte("not the password"), 0o600)
		code, out, errOut := run(t, "export", "patients", "--data-dir", dir, "--user", "demo.owner", "--password-file", bad)
		if code != 1 || out != "" || !strings.Contains(errOut, "username or password is not right") {
			t.Fatalf("wrong password: exit %d, %q", code, errOut)
		}
	})
	t.Run("ErrNoPassword", func(t *testing.T) {
		t.Setenv(cli.PasswordEnv, "")
		code, _, errOut := run(t, "export", "patients", "--data-dir", dir, "--user", "demo.owner")
		if code != 2 || !strings.Contains(errOut, "--password-file") {
			t.Fatalf("no password: exit %d, %q", code, errOut)
		}
	})
	t.Run("AuditVerify", func(t *testing.T) {
		code, out, _ := run(t, "audit", "verify", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw)
		if code != 0 || !strings.HasPrefix(out, "audit trail ok: ") || !strings.Contains(out, "Every MAC was recomputed") {
			t.Fatalf("verify: exit %d, %q", code, out)
		}
		raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName))
		if err != nil {
			t.Fatal(err)
		}
		// An export was audited above; rewrite that entry as a search.
		if _, err := raw.Exec("UPDATE audit_log SET action = 'patient.search' WHERE action = 'patient.export'"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		// Without the password only the structure is checked, and it says so.
		code, out, _ = run(t, "audit", "verify", "--data-dir", dir)
		if code != 0 || !strings.Contains(out, "Structure only") {
			t.Fatalf("verify without a password: exit %d, %q", code, out)
		}
		code, _, errOut := run(t, "audit", "verify", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw)
		if code != 1 || !strings.Contains(errOut, "FAILED") || !strings.Contains(errOut, "was altered") {
			t.Fatalf("tampered verify: exit %d, %q", code, errOut)
		}
	})
	t.Run("Check", func(t *testing.T) {
		code, out, _ := run(t, "check", "--data-dir", dir)
		if code != 0 || out != "integrity_check: ok\n" {
			t.Fatalf("check: exit %d, %q", code, out)
		}
	})
}

func TestSecondProcessGetsAClearMessage(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, _, errOut := run(t, "demo", "--data-dir", dir)
	if code != 1 || !strings.Contains(errOut, "already running") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); !os.IsNotExist(err) {
		t.Fatal("a database was created in a folder another process holds")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"demo", "--size", "huge"}, {"export", "patients", "--format", "xml", "--user", "x"}} {
		if code, _, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "usage:") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

func TestBackupAndRestore(t *testing.T) {
	dir, _ := demoDir(t)
	_, before, _ := run(t, "digest", "--data-dir", dir)
	file := filepath.Join(t.TempDir(), "practice.backup")
	if code, _, errOut := run(t, "backup", "--data-dir", dir, "--to", file); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	if code, _, _ := run(t, "backup", "--data-dir", dir, "--to", file); code != 1 {
		t.Fatal("a backup overwrote an existing file")
	}
	if code, _, errOut := run(t, "restore", "--data-dir", dir, "--from", file); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	if _, after, _ := run(t, "digest", "--data-dir", dir); after != before || len(after) < 64 {
		t.Fatalf("digest %q after restoring, %q before", after, before)
	}
	if code, out, _ := run(t, "check", "--data-dir", dir); code != 0 || out != "integrity_check: ok\n" {
		t.Fatalf("check after restore: %s", out)
	}
	junk := filepath.Join(t.TempDir(), "junk")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, "restore", "--data-dir", dir, "--from", junk); code != 1 {
		t.Fatal("a file that is not a backup was restored")
	}
	if _, after, _ := run(t, "digest", "--data-dir", dir); after != before {
		t.Fatal("a refused restore changed the database")
	}
}
