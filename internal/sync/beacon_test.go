package sync

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"
)

func TestBeaconIsHeard(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A free UDP port for this test.
	probe, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.LocalAddr().(*net.UDPAddr).Port
	probe.Close()
	d, err := Discover(ctx, port, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	go announce(ctx, "127.0.0.1:"+strconv.Itoa(port), beaconMessage{V: 1, Device: "abc", Port: 47810})
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if f := d.Found(); len(f) == 1 && f[0].DeviceID == "abc" && f[0].Address == "127.0.0.1:47810" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("beacon not heard: %+v", d.Found())
}
