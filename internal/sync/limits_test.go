package sync_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"runtime"
	"testing"
	"time"

	"quietdesk/internal/testutil"
)

// TestHugeFrameIsDroppedAtTheLimit: while a pairing window is open (so an
// unpaired certificate gets through TLS), a connection announces a 7 GiB
// frame. The hub drops it at the announcement, counts and logs the refusal,
// and allocates nothing like the frame (measured).
func TestHugeFrameIsDroppedAtTheLimit(t *testing.T) {
	a := newPractice(t, "A")
	if _, err := a.svc.OpenPairing(context.Background()); err != nil {
		t.Fatal(err)
	}
	stranger := newMachine(t, "stranger")
	for _, size := range []struct {
		name   string
		prefix []byte // gob's length prefix: a negated byte count, then big-endian bytes
	}{
		{"7 GiB", []byte{0xFB, 0x01, 0xC0, 0x00, 0x00, 0x00}}, // 0x1C0000000 = 7 << 30
		{"1 MiB, over the pairing limit", []byte{0xFD, 0x10, 0x00, 0x00}},
	} {
		t.Run(size.name, func(t *testing.T) {
			refusedBefore := a.svc.Refused()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rss0, rssOK := testutil.ResidentBytes()
			conn, err := tls.Dial("tcp", a.svc.Addr(), &tls.Config{MinVersion: tls.VersionTLS13, InsecureSkipVerify: true,
				Certificates: []tls.Certificate{stranger.id.Cert}})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write(size.prefix); err != nil {
				t.Fatal(err)
			}
			// Then it keeps sending, slowly enough to be read.
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			start := time.Now()
			junk := make([]byte, 4096)
			for time.Since(start) < 5*time.Second {
				if _, err := conn.Write(junk); err != nil {
					break
				}
				if a.svc.Refused() > refusedBefore {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if a.svc.Refused() != refusedBefore+1 {
				t.Fatalf("refused connections %d → %d, want one more", refusedBefore, a.svc.Refused())
			}
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Read(make([]byte, 1)); err == nil {
				t.Fatal("the hub answered a connection that announced an oversized frame")
			}
			runtime.ReadMemStats(&after)
			rss1, _ := testutil.ResidentBytes()
			grew := int64(after.TotalAlloc) - int64(before.TotalAlloc)
			t.Logf("%s frame announced: dropped after %v; the process allocated %d KiB meanwhile, heap %d → %d KiB, resident %s",
				size.name, time.Since(start).Round(time.Millisecond), grew>>10, before.HeapAlloc>>10, after.HeapAlloc>>10,
				testutil.Measured(rssOK, func() string { return fmt.Sprintf("%d → %d MiB", rss0>>20, rss1>>20) }))
			// Before the limit the 7 GiB claim took a hub to 10.7 GB resident.
			if rssOK && rss1-rss0 > 32<<20 {
				t.Fatalf("resident memory grew %d MiB while refusing the frame, want under 32", (rss1-rss0)>>20)
			}
			if grew > 8<<20 {
				t.Fatalf("allocated %d MiB while refusing the frame, want under 8", grew>>20)
			}
		})
	}
}
