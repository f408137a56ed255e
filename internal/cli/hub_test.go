package cli_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"quietdesk/internal/demo"
	"quietdesk/internal/testutil"
)

// buildQuietdesk builds the real binary, with the test-only write workload
// (-tags synctest), into a temp folder.
func buildQuietdesk(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// main embeds frontend/dist; a placeholder is enough for subcommands.
	dist := filepath.Join(root, "frontend", "dist")
	if entries, _ := os.ReadDir(dist); len(entries) == 0 {
		if err := os.MkdirAll(dist, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dist, ".placeholder"), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "quietdesk")
	cmd := exec.Command("go", "build", "-tags", "webkit2_41,synctest", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func runBin(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("quietdesk %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// pairInto joins the empty folder dir to the practice in host through the
// CLI: pair open prints the code, join reads it from a file.
func pairInto(t *testing.T, bin, host, dir string) {
	t.Helper()
	open := exec.Command(bin, "pair", "open", "--data-dir", host, "--listen", "127.0.0.1:0")
	stdout, err := open.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	open.Stderr = &stderr
	if err := open.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	fields := map[string]string{}
	for len(fields) < 3 && lines.Scan() {
		k, v, _ := strings.Cut(lines.Text(), ": ")
		fields[k] = v
	}
	if fields["code"] == "" || fields["address"] == "" {
		open.Process.Kill()
		t.Fatalf("pair open printed %v; stderr: %s", fields, stderr.String())
	}
	codeFile := filepath.Join(t.TempDir(), "code")
	if err := os.WriteFile(codeFile, []byte(fields["code"]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runBin(t, bin, nil, "join", "--data-dir", dir, "--address", fields["address"], "--code-file", codeFile, "--name", filepath.Base(dir))
	go io.Copy(io.Discard, stdout)
	if err := open.Wait(); err != nil {
		t.Fatalf("pair open: %v; stderr: %s", err, stderr.String())
	}
}

// hubProc is one running `quietdesk hub`.
type hubProc struct {
	name, dir, listen string
	peers             []string
	cmd               *exec.Cmd
	log               *testutil.Buffer
}

func (h *hubProc) start(t *testing.T, bin string, writes int) {
	t.Helper()
	args := []string{"hub", "--data-dir", h.dir, "--listen", h.listen, "--beacon", "0", "--name", h.name}
	for _, p := range h.peers {
		args = append(args, "--peer", p)
	}
	h.cmd = exec.Command(bin, args...)
	h.cmd.Env = append(os.Environ(), "QUIETDESK_USER=demo.owner", "QUIETDESK_PASSWORD="+demo.Password, fmt.Sprint("QUIETDESK_TEST_WRITES=", writes))
	h.log = &testutil.Buffer{}
	h.cmd.Stderr = h.log
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

// stop ends the hub with SIGTERM and checks it shut down cleanly.
func (h *hubProc) stop(t *testing.T) {
	t.Helper()
	h.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("hub %s did not shut down cleanly: %v\n%s", h.name, err, h.log)
		}
	case <-time.After(15 * time.Second):
		h.cmd.Process.Kill()
		t.Fatalf("hub %s ignored SIGTERM\n%s", h.name, h.log)
	}
}

// TestThreeHubsConvergeAfterAKill runs three `quietdesk hub` processes over
// loopback TLS, each writing while syncing; one is killed with SIGKILL
// mid-sync and restarted, and a fourth machine pairs through a running hub
// and joins. All must end with equal digests and sound database files.
func TestThreeHubsConvergeAfterAKill(t *testing.T) {
	bin := buildQuietdesk(t)
	base := t.TempDir()
	dirs := map[string]string{}
	for _, n := range []string{"a", "b", "c"} {
		dirs[n] = filepath.Join(base, n)
	}
	runBin(t, bin, nil, "demo", "--data-dir", dirs["a"], "--size", "small")
	pairInto(t, bin, dirs["a"], dirs["b"])
	pairInto(t, bin, dirs["a"], dirs["c"])

	addr := map[string]string{"a": freeAddr(t), "b": freeAddr(t), "c": freeAddr(t)}
	hubs := []*hubProc{
		{name: "a", dir: dirs["a"], listen: addr["a"]},
		{name: "b", dir: dirs["b"], listen: addr["b"], peers: []string{addr["a"]}},
		{name: "c", dir: dirs["c"], listen: addr["c"], peers: []string{addr["a"], addr["b"]}},
	}
	const writes = 60
	for _, h := range hubs {
		h.start(t, bin, writes)
	}
	defer func() {
		for _, h := range hubs {
			if h.cmd.ProcessState == nil {
				h.cmd.Process.Kill()
				h.cmd.Wait()
			}
		}
	}()
	time.Sleep(700 * time.Millisecond) // mid-workload, mid-sync
	b := hubs[1]
	b.cmd.Process.Signal(syscall.SIGKILL)
	b.cmd.Wait()
	b.start(t, bin, writes)

	// A fourth machine pairs through the running hub A (pair open asks
	// the hub over its admin socket) and joins while the others write.
	dirs["d"] = filepath.Join(base, "d")
	pairInto(t, bin, dirs["a"], dirs["d"])
	d := &hubProc{name: "d", dir: dirs["d"], listen: freeAddr(t), peers: []string{addr["a"]}}
	d.start(t, bin, 0)
	hubs = append(hubs, d)

	deadline := time.Now().Add(60 * time.Second)
	for _, h := range hubs[:3] {
		for !strings.Contains(h.log.String(), "test workload done") {
			if time.Now().After(deadline) {
				t.Fatalf("hub %s never finished its writes:\n%s", h.name, h.log)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The running hubs answer digest over their admin socket.
	digests := func() map[string]string {
		out := map[string]string{}
		for _, h := range hubs {
			out[h.name] = strings.TrimSpace(runBin(t, bin, nil, "digest", "--data-dir", h.dir))
		}
		return out
	}
	same := func(d map[string]string) bool {
		for _, v := range d {
			if v != d["a"] || len(v) != 64 {
				return false
			}
		}
		return true
	}
	for got := digests(); !same(got); got = digests() {
		if time.Now().After(deadline) {
			t.Fatalf("digests still differ: %v\nlog a:\n%s\nlog b:\n%s\nlog c:\n%s\nlog d:\n%s", got, hubs[0].log, hubs[1].log, hubs[2].log, hubs[3].log)
		}
		time.Sleep(300 * time.Millisecond)
	}
	for _, h := range hubs {
		h.stop(t)
	}
	if got := digests(); !same(got) { // read from the files, hubs stopped
		t.Fatalf("digests differ after shutdown: %v", got)
	}
	for _, h := range hubs {
		out := runBin(t, bin, nil, "check", "--data-dir", h.dir)
		if out != "integrity_check: ok\n" {
			t.Fatalf("%s: %s", h.name, out)
		}
		for _, line := range strings.Split(h.log.String(), "\n") {
			if strings.Contains(line, "Hub") || strings.Contains(line, "555-") {
				t.Fatalf("hub %s logged data: %s", h.name, line)
			}
		}
	}
}
