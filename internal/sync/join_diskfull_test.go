//go:build linux

package sync_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/testutil"
)

// A join onto a disk that fills up at points through the copy and the
// catch-up leaves the new machine with no practice or a whole one, never a
// part; says the disk is full (and which of the two it left); and a join
// with room then works. The free space is swept from nothing to more than
// the practice needs.
func TestJoinOnAFullDisk(t *testing.T) {
	ctx := context.Background()
	disk := testutil.SmallDisk(t, 32<<20)
	host := newPractice(t, "A")
	bulkPatients(t, host, 2500) // a 7.7 MB practice
	var joined, refusedCopy, refusedCatchUp int
	for free := int64(0); free < 24<<20; free += 1536 << 10 {
		dir := filepath.Join(disk, fmt.Sprintf("B%d", free>>10))
		b := &machine{name: "B", dir: dir, tap: &testutil.Buffer{}}
		var err error
		if b.db, err = store.Open(dir, store.Options{AppVersion: "test"}); err != nil {
			t.Fatalf("free %d: open: %v", free, err)
		}
		if b.id, err = sync.LoadIdentity(dir); err != nil {
			t.Fatal(err)
		}
		testutil.FillLeaving(t, disk, free)
		p, err := host.svc.OpenPairing(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = sync.Join(ctx, sync.JoinOptions{DB: b.db, Identity: b.id, Name: "B", Address: host.svc.Addr(), Code: p.Code})
		msg := practice.ErrorMessage(err)
		switch {
		case err == nil:
			joined++
		case msg == "The practice could not be copied here: the disk is full. Nothing was changed; free some space and try again.":
			refusedCopy++
			if b.db.Exists() {
				t.Fatalf("free %d: said nothing was changed, but a practice is here", free)
			}
			if n, _ := members(t, host, b.id.ID); n != 0 {
				t.Fatalf("free %d: the host made the refused machine a member", free)
			}
		case msg == "The practice is here, but the disk filled up while it took in the latest changes. Free some space; sync finishes it when it can.":
			refusedCatchUp++
			if !b.db.Exists() {
				t.Fatalf("free %d: said the practice is here, but it is not", free)
			}
		default:
			t.Fatalf("free %d: the join said %q (%v)", free, msg, err)
		}
		if b.db.Exists() {
			if res, err := b.db.IntegrityCheck(ctx); err != nil || res != "ok" {
				t.Fatalf("free %d: the practice here fails its integrity check: %q %v", free, res, err)
			}
		}
		for _, name := range testutil.FileNames(t, dir) {
			if strings.Contains(name, ".joining") {
				t.Fatalf("free %d: the interrupted copy %s was left", free, name)
			}
		}
		b.db.Close()
		testutil.EmptyDisk(t, disk)
	}
	t.Logf("free space swept in 1.5 MiB steps: %d joins done, %d refused in the copy, %d stopped in the catch-up", joined, refusedCopy, refusedCatchUp)
	if joined == 0 || refusedCopy == 0 {
		t.Fatal("the sweep did not cover both a full and a roomy disk")
	}
}
