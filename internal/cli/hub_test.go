package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"quietdesk/internal/demo"
	"quietdesk/internal/store"
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
	earlier           string // logs of earlier runs
}

func (h *hubProc) start(t *testing.T, bin string, writes int, env ...string) {
	t.Helper()
	args := []string{"hub", "--data-dir", h.dir, "--listen", h.listen, "--beacon", "0", "--name", h.name}
	for _, p := range h.peers {
		args = append(args, "--peer", p)
	}
	h.cmd = exec.Command(bin, args...)
	h.cmd.Env = append(os.Environ(), "QUIETDESK_USER=demo.owner", "QUIETDESK_PASSWORD="+demo.Password, fmt.Sprint("QUIETDESK_TEST_WRITES=", writes))
	h.cmd.Env = append(h.cmd.Env, env...)
	if h.log != nil {
		h.earlier += h.log.String() // the log of an earlier run, killed
	}
	h.log = &testutil.Buffer{}
	h.cmd.Stderr = h.log
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
}

// ackedWrite is one write the hub's test workload was told is saved.
type ackedWrite struct {
	hub, patient, stream string
	created              bool
	seq                  int64
}

// acked reads the writes acknowledged in every run of the hub from its logs.
func (h *hubProc) acked(t *testing.T) []ackedWrite {
	t.Helper()
	var out []ackedWrite
	for _, line := range strings.Split(h.earlier+h.log.String(), "\n") {
		if !strings.Contains(line, `msg="test write acknowledged"`) {
			continue
		}
		w := ackedWrite{hub: h.name}
		for _, f := range strings.Fields(line) {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "created":
				w.created = v == "true"
			case "patient":
				w.patient = v
			case "stream":
				w.stream = v
			case "seq":
				w.seq, _ = strconv.ParseInt(v, 10, 64)
			}
		}
		if w.patient == "" || w.stream == "" || w.seq == 0 {
			t.Fatalf("hub %s: unreadable acknowledgement %q", h.name, line)
		}
		out = append(out, w)
	}
	return out
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
// loopback TLS, each writing while syncing. Hub B kills itself (SIGKILL)
// in the middle of merging a batch a peer sent, after ten of its own writes
// were acknowledged, and is started again; a fourth machine pairs through a
// running hub and joins. All must end with equal digests and sound database
// files, and every write any hub's workload was told is saved — B's before
// its kill included — must be on every machine.
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
	const writes, killAfter = 60, 10
	killedAt := filepath.Join(base, "killed-at")
	for _, h := range hubs {
		var env []string
		if h.name == "b" {
			env = []string{fmt.Sprint("QUIETDESK_TEST_KILL_IN_MERGE=", killAfter), "QUIETDESK_TEST_KILLED_AT=" + killedAt}
		}
		h.start(t, bin, writes, env...)
	}
	defer func() {
		for _, h := range hubs {
			if h.cmd.ProcessState == nil {
				h.cmd.Process.Kill()
				h.cmd.Wait()
			}
		}
	}()
	// B ends by its own hand, mid-merge: a peer's batch half applied,
	// neither committed nor acknowledged to the peer.
	b := hubs[1]
	exited := make(chan struct{})
	go func() { b.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("hub b was never killed mid-merge:\n%s", b.log)
	}
	if ws, ok := b.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("hub b ended with %v, not SIGKILL:\n%s", b.cmd.ProcessState, b.log)
	}
	where, err := os.ReadFile(killedAt)
	if err != nil || !strings.HasPrefix(string(where), "merging a received batch") {
		t.Fatalf("hub b did not record a kill mid-merge: %q %v\n%s", where, err, b.log)
	}
	if n := len(b.acked(t)); n < killAfter {
		t.Fatalf("hub b acknowledged %d writes before its kill, want at least %d", n, killAfter)
	}
	t.Logf("hub b killed with SIGKILL while %s", where)
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
		for _, line := range strings.Split(h.earlier+h.log.String(), "\n") {
			if strings.Contains(line, "Hub") || strings.Contains(line, "(503)") {
				t.Fatalf("hub %s logged data: %s", h.name, line)
			}
		}
	}
	// Not only equal: every acknowledged write is on every machine.
	var acked []ackedWrite
	for _, h := range hubs[:3] {
		acked = append(acked, h.acked(t)...)
	}
	if len(acked) < 3*writes {
		t.Fatalf("%d writes acknowledged, want at least %d", len(acked), 3*writes)
	}
	for _, h := range hubs {
		checkAcked(t, h, acked)
	}
}

// checkAcked opens the stopped hub's folder and checks that it holds every
// acknowledged write: the change-log stream up to its sequence, and each
// created patient as a live record.
func checkAcked(t *testing.T, h *hubProc, acked []ackedWrite) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(h.dir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.Vector(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Unlock(ctx, "demo.owner", demo.Password); err != nil {
		t.Fatal(err)
	}
	for _, w := range acked {
		if v[w.stream] < w.seq {
			t.Errorf("%s lost a write hub %s acknowledged: holds %d of stream %s, acknowledged at %d", h.name, w.hub, v[w.stream], w.stream, w.seq)
			continue
		}
		// The very change, not only its number: a machine that lost its
		// newest writes in a crash would write others under the same
		// sequence numbers afterwards.
		have := maps.Clone(v)
		have[w.stream] = w.seq - 1
		next, err := db.ChangesAfter(ctx, have, 64)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(next, func(c store.Change) bool {
			return c.Stream() == w.stream && c.Seq == w.seq && c.RowID == w.patient && c.Table == "patients"
		}) {
			t.Errorf("%s: change %s/%d is not hub %s's acknowledged write to patient %s", h.name, w.stream, w.seq, w.hub, w.patient)
		}
	}
	created := 0
	err = db.View(ctx, func(tx *store.Tx) error {
		for _, w := range acked {
			if !w.created {
				continue
			}
			created++
			if _, err := tx.Patient(w.patient); err != nil {
				t.Errorf("%s lacks patient %s that hub %s created and acknowledged: %v", h.name, w.patient, w.hub, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if t.Failed() {
		return
	}
	t.Logf("%s holds all %d acknowledged writes (%d new patients)", h.name, len(acked), created)
}
