package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strconv"
	"testing"
	"time"

	"quietdesk/internal/testutil"
)

// freeUDPPort is a UDP port nothing listens on.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	probe, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	return probe.LocalAddr().(*net.UDPAddr).Port
}

// deviceN is a well-formed device id (64 hex digits) numbered n.
func deviceN(n int) string { return fmt.Sprintf("%064x", n) }

func TestBeaconIsHeard(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	port := freeUDPPort(t)
	d, err := Discover(ctx, port, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	abc := deviceN(0xabc)
	go announce(ctx, "127.0.0.1:"+strconv.Itoa(port), beaconMessage{V: 1, Device: abc, Port: 47810})
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if f := d.Found(); len(f) == 1 && f[0].DeviceID == abc && f[0].Address == "127.0.0.1:47810" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("beacon not heard: %+v", d.Found())
}

// TestSpoofedBeaconFloodStaysBounded sends 100,000 beacons, each from a new
// made-up device: the table stays within maxHeard, the rate limit turns
// most away unparsed, and memory and CPU stay small (measured).
func TestSpoofedBeaconFloodStaysBounded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	port := freeUDPPort(t)
	d, err := Discover(ctx, port, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("udp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := testutil.ProcessCPU()
	rss0, rssOK := testutil.ResidentBytes()
	start := time.Now()
	const flood = 100_000
	for i := range flood {
		msg, _ := json.Marshal(beaconMessage{V: 1, Device: deviceN(i + 1), Port: 1 + i%65535})
		conn.Write(msg) // a full socket buffer drops some: that is part of a flood
	}
	time.Sleep(200 * time.Millisecond) // let the listener drain what arrived
	took := time.Since(start)
	cpu1, _ := testutil.ProcessCPU()
	rss1, _ := testutil.ResidentBytes()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heard := len(d.Found())
	t.Logf("%d spoofed beacons in %v: %d devices kept, %d dropped by the limits; heap %d → %d KiB; resident %s; process CPU %s (sender included)",
		flood, took.Round(time.Millisecond), heard, d.Dropped(), before.HeapAlloc>>10, after.HeapAlloc>>10,
		testutil.Measured(rssOK, func() string { return fmt.Sprintf("%d → %d MiB", rss0>>20, rss1>>20) }),
		testutil.Measured(cpuOK, func() string { return (cpu1 - cpu0).Round(time.Millisecond).String() }))
	if heard > maxHeard {
		t.Fatalf("%d devices kept, want at most %d", heard, maxHeard)
	}
	if heard == 0 || d.Dropped() == 0 {
		t.Fatalf("the flood did not reach the limits (%d kept, %d dropped): it proves nothing", heard, d.Dropped())
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 4<<20 {
		t.Fatalf("the heap grew %d KiB under the flood, want under 4 MiB", grew>>10)
	}
	// The unbounded table took a hub from 62 MB to 360 MB resident; a
	// bounded one stays within a few MiB of where it started (the test
	// process, race detector included, is the hub here).
	if rssOK && rss1-rss0 > 32<<20 {
		t.Fatalf("resident memory grew %d MiB under the flood, want under 32", (rss1-rss0)>>20)
	}
	if cpuOK && cpu1-cpu0 > 20*time.Second {
		t.Fatalf("the flood took %v of CPU, want it bounded", cpu1-cpu0)
	}
}

func TestParseBeaconRefusesMalformed(t *testing.T) {
	good := `{"v":1,"device":"` + deviceN(7) + `","port":28810}`
	if m, ok := parseBeacon([]byte(good)); !ok || m.Port != 28810 {
		t.Fatalf("a good beacon: %+v, %v", m, ok)
	}
	for _, bad := range []string{"", "{", "null", `{"v":2,"device":"` + deviceN(7) + `","port":1}`,
		`{"v":1,"device":"abc","port":1}`, `{"v":1,"device":"` + deviceN(7) + `","port":0}`,
		`{"v":1,"device":"` + deviceN(7) + `","port":65536}`} {
		if _, ok := parseBeacon([]byte(bad)); ok {
			t.Errorf("parsed %q as a beacon", bad)
		}
	}
}
