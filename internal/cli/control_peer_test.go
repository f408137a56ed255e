//go:build linux

package cli

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAdminSocketRefusesAnotherUser opens the folder up (as a mistaken
// chmod would) so another user can reach the hub's socket, and has a child
// process running as "nobody" send a command: SO_PEERCRED refuses it, while
// the owner's own connection is answered.
func TestAdminSocketRefusesAnotherUser(t *testing.T) {
	const refusal = "this socket answers only the user who runs the hub"
	if os.Getuid() != 0 {
		t.Skip("needs root to run a child process as another user")
	}
	// The system's python3 (not a per-user shim another user cannot run).
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skip("/usr/bin/python3 is the other user's client")
	}
	dir, err := os.MkdirTemp("", "qd-sock-") // not t.TempDir: its parents are private to root
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logBuf bytes.Buffer
	serveControl(ctx, dir, nil, nil, nil, slog.New(slog.NewTextHandler(&logBuf, nil)))
	path := filepath.Join(dir, controlSocket)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v: want mode 0600", fi.Mode(), err)
	}
	// The mistake: folder and socket open to everyone.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o777); err != nil {
		t.Fatal(err)
	}

	// The owner is answered (an unknown command, so nothing happens).
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	conn.Write([]byte("no-such-command\n"))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(line, "err ") || strings.Contains(line, refusal) {
		t.Fatalf("owner's connection answered %q, want the unknown command's error", line)
	}

	// Another user ("nobody", uid 65534) reaches the socket and is refused.
	client := exec.Command(python, "-c", `import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
try:
    s.sendall(b"pair-open\n")
except BrokenPipeError:
    pass  # refused before the command went out; the answer is still there to read
print(s.makefile().readline().strip())`, path)
	client.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := client.CombinedOutput()
	if err != nil {
		t.Fatalf("the other user's client: %v: %s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "err "+refusal {
		t.Fatalf("another user's pair-open got %q", got)
	}
	if !strings.Contains(logBuf.String(), "refused a connection from another user") {
		t.Errorf("the refusal was not logged: %s", logBuf.String())
	}
}
