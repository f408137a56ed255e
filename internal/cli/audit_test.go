package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/cli"
	"quietdesk/internal/store"
)

// countAudit counts entries of action through a connection of its own, as
// another process would see them: only committed entries.
func countAudit(t *testing.T, dir, action string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM audit_log WHERE action = ?", action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// cutPipe accepts limit bytes and then fails, as a pipe closed by
// `| head` does. At its first write it records how many export entries were
// committed by then.
type cutPipe struct {
	t          *testing.T
	dir        string
	limit, got int
	atFirst    int // committed patient.export entries when the first byte arrived; -1 before
}

var errClosedPipe = errors.New("broken pipe")

func (c *cutPipe) Write(p []byte) (int, error) {
	if c.atFirst < 0 {
		c.atFirst = countAudit(c.t, c.dir, "patient.export")
	}
	if c.got+len(p) > c.limit {
		n := c.limit - c.got
		c.got = c.limit
		return n, errClosedPipe
	}
	c.got += len(p)
	return len(p), nil
}

func TestExportSendsNothingBeforeItsAuditEntryCommits(t *testing.T) {
	dir, pw := demoDir(t)
	for i, limit := range []int{0, 1, 100, 10_000} {
		before := countAudit(t, dir, "patient.export")
		if before != i {
			t.Fatalf("cut %d: %d export entries before, want %d (one per earlier export)", limit, before, i)
		}
		pipe := &cutPipe{t: t, dir: dir, limit: limit, atFirst: -1}
		var errOut bytes.Buffer
		code := cli.Run(context.Background(), []string{"export", "patients", "--data-dir", dir, "--user", "demo.owner",
			"--password-file", pw, "--format", "csv"}, "test", pipe, &errOut)
		if code != 1 {
			t.Fatalf("pipe closed after %d bytes: exit %d, want 1", limit, code)
		}
		if pipe.atFirst != before+1 {
			t.Fatalf("pipe closed after %d bytes: %d export entries committed when the first byte left, want %d", limit, pipe.atFirst, before+1)
		}
		if after := countAudit(t, dir, "patient.export"); after != before+1 {
			t.Fatalf("pipe closed after %d bytes: %d export entries afterwards, want %d", limit, after, before+1)
		}
	}
}

func TestCommandLineBacksOffAndAuditsFailedLogins(t *testing.T) {
	dir, pw := demoDir(t)
	bad := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(bad, []byte("not the password"), 0o600); err != nil {
		t.Fatal(err)
	}
	verify := func(ctx context.Context, pwFile string) (int, string) {
		var out, errOut bytes.Buffer
		code := cli.Run(ctx, []string{"audit", "verify", "--data-dir", dir, "--user", "demo.owner", "--password-file", pwFile}, "test", &out, &errOut)
		return code, errOut.String()
	}
	// Each attempt is a new command: the waits before them are 0, 0.5 s and 1 s.
	for i := 0; i < 3; i++ {
		if code, errOut := verify(context.Background(), bad); code != 1 || !strings.Contains(errOut, "username or password is not right") {
			t.Fatalf("attempt %d: exit %d, %q", i+1, code, errOut)
		}
	}
	// The 4th must wait 2 s before its password is even checked: given
	// 1 s, it gives up without answering (Argon2id's time, however long
	// under load, cannot stand in for the wait).
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	code, errOut := verify(ctx, pw)
	if code != 1 || strings.Contains(errOut, "not right") || time.Since(start) < time.Second {
		t.Fatalf("4th attempt within 1 s: exit %d after %v, %q; want it still waiting out its 2 s back-off", code, time.Since(start), errOut)
	}
	code, out, errOut := run(t, "audit", "verify", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw)
	if code != 0 {
		t.Fatalf("right password: exit %d, %q", code, errOut)
	}
	if n := countAudit(t, dir, "login.failed"); n != 3 {
		t.Fatalf("%d login.failed entries, want 3 (%s)", n, out)
	}
}
