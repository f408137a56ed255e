package cli_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/cli"
	"quietdesk/internal/demo"
	"quietdesk/internal/testutil"
)

// A data folder's path is a path: '#', '?' and '%' (legal in folder names
// and in Windows user names), spaces and non-ASCII letters reach SQLite
// as they are, for every command, and nothing is written beside the folder.
func TestEveryCommandWorksInAFolderWithURICharacters(t *testing.T) {
	parent := t.TempDir()
	// "%41" would become "A" if decoded, "#" would end the URI, "?" would
	// start its query.
	dir := filepath.Join(parent, "Practice #2 ?x %41 Zoë")
	joined := filepath.Join(parent, "Joined #3 ?y %42 Ünïcode")
	pw := filepath.Join(dir, "pw #?%")

	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	if out := must("demo", "--data-dir", dir); !strings.Contains(out, "user: demo.owner") {
		t.Fatalf("demo printed %q", out)
	}
	if err := os.WriteFile(pw, []byte(demo.Password), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := must("check", "--data-dir", dir); out != "integrity_check: ok\n" {
		t.Fatalf("check: %q", out)
	}
	if out := must("audit", "verify", "--data-dir", dir); !strings.HasPrefix(out, "audit trail ok") {
		t.Fatalf("audit verify: %q", out)
	}
	if out := must("export", "patients", "--data-dir", dir, "--user", "demo.owner", "--password-file", pw); strings.Count(out, "\n") != 601 {
		t.Fatalf("export: %d lines, want a header and 600 patients", strings.Count(out, "\n"))
	}
	digest := must("digest", "--data-dir", dir)
	backup := filepath.Join(dir, "backup #1 ?%41.db")
	must("backup", "--data-dir", dir, "--to", backup)
	must("restore", "--data-dir", dir, "--from", backup)
	if got := must("digest", "--data-dir", dir); got != digest {
		t.Fatalf("digest after restore %q, before %q", got, digest)
	}

	// The hub, asked through its socket in the folder.
	ctx, stop := context.WithCancel(context.Background())
	hubDone := make(chan int, 1)
	go func() {
		hubDone <- cli.Run(ctx, []string{"hub", "--data-dir", dir, "--listen", "127.0.0.1:0", "--beacon", "0"}, "test", os.Stderr, os.Stderr)
	}()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "hub.sock")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the hub never opened its admin socket")
		}
	}
	// (The hub adds itself to the practice's devices, so the digest moved.)
	if got := must("digest", "--data-dir", dir); len(got) != 65 {
		t.Fatalf("digest through the hub %q", got)
	}
	// backup and check, which cannot open the folder the hub holds, go
	// through the hub.
	hubBackup := filepath.Join(dir, "backup #2 by the hub.db")
	if out := must("backup", "--data-dir", dir, "--to", hubBackup); out != "backup written by the running hub: "+hubBackup+"\n" {
		t.Fatalf("backup through the hub: %q", out)
	}
	if out := must("check", "--data-dir", dir); out != "integrity_check: ok\n" {
		t.Fatalf("check through the hub: %q", out)
	}
	stop()
	if code := <-hubDone; code != 0 {
		t.Fatalf("hub exited %d", code)
	}
	must("restore", "--data-dir", dir, "--from", hubBackup)

	// Pairing: pair open here, join into another such folder.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pairDone := make(chan int, 1)
	go func() {
		pairDone <- cli.Run(context.Background(), []string{"pair", "open", "--data-dir", dir, "--listen", "127.0.0.1:0"}, "test", w, os.Stderr)
		w.Close()
	}()
	lines := bufio.NewScanner(r)
	var code, address string
	for lines.Scan() && (code == "" || address == "") {
		k, v, _ := strings.Cut(lines.Text(), ": ")
		switch k {
		case "code":
			code = v
		case "address":
			address = v
		}
	}
	t.Setenv(cli.CodeEnv, code)
	if out := must("join", "--data-dir", joined, "--address", address); !strings.HasPrefix(out, "joined:") {
		t.Fatalf("join: %q", out)
	}
	if c := <-pairDone; c != 0 {
		t.Fatalf("pair open exited %d", c)
	}
	go func() { // drain what pair open printed after the code
		for lines.Scan() {
		}
	}()
	if got, want := must("digest", "--data-dir", joined), must("digest", "--data-dir", dir); got != want {
		t.Fatalf("digest of the joined copy %q, want the host's %q", got, want)
	}

	if got, want := testutil.FileNames(t, parent), []string{filepath.Base(joined), filepath.Base(dir)}; !slices.Equal(got, want) {
		t.Fatalf("beside the data folders: %q, want only %q", got, want)
	}
	for _, name := range testutil.FileNames(t, dir) {
		if !strings.HasPrefix(name, "practice.db") && !strings.HasPrefix(name, "backup #") && !strings.HasPrefix(name, "pw") &&
			!strings.HasPrefix(name, "sync-identity") && name != "quietdesk.lock" {
			t.Errorf("unexpected file in the data folder: %q", name)
		}
	}
}
