package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/practice"
)

// TestOnlyAHubIsUnlockedFromAnotherComputer: an office computer asked to
// load the key by another answers that only a hub is, and is not a hub on
// the Devices screen; a machine not connected is named as such. (The hub's
// side, with its real login, is internal/cli's
// TestHubUnlockedFromAnOfficeComputer.)
func TestOnlyAHubIsUnlockedFromAnotherComputer(t *testing.T) {
	ctx := context.Background()
	a := newPractice(t, "A")
	b := join(t, a, "B")
	eventually(t, 10*time.Second, "B never connected to A", func() bool {
		st, _ := b.svc.Status(ctx)
		return len(st.Peers) == 1 && st.Peers[0].Connected
	})
	st, _ := b.svc.Status(ctx)
	if p := st.Peers[0]; p.Hub || !p.KeyLoaded {
		t.Fatalf("A as B sees it: %+v; want an office computer holding the key (it made the practice)", p)
	}
	err := b.svc.UnlockPeer(ctx, st.Peers[0].DeviceID, "owner", ownerPassword)
	if practice.ErrorCode(err) != practice.EInvalid || !strings.Contains(practice.ErrorMessage(err), "Only a hub") {
		t.Fatalf("unlocking an office computer: %v", err)
	}
	err = b.svc.UnlockPeer(ctx, "no-such-device", "owner", ownerPassword)
	if practice.ErrorCode(err) != practice.EUnavailable || !strings.Contains(practice.ErrorMessage(err), "not connected") {
		t.Fatalf("unlocking a machine not connected: %v", err)
	}
}
