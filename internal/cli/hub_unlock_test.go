package cli_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/demo"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
)

// TestHubUnlockedFromAnOfficeComputer: a running hub, with nobody at it,
// shows the office computer it syncs with that it is a hub without the key;
// from there a wrong password and a front-desk login are refused with the
// hub's own words and leave it locked; the owner's login unlocks it, which
// the office computer's Devices screen shows at once and the hub's e-mail
// report then confirms (it sends as "ready"). All over real TLS on loopback.
func TestHubUnlockedFromAnOfficeComputer(t *testing.T) {
	ctx := context.Background()
	hubDir, _ := demoDir(t)
	stderr, stop := startHub(t, hubDir)
	defer func() {
		if c := stop(); c != 0 {
			t.Errorf("hub exited %d:\n%s", c, stderr.String())
		}
	}()

	// The office computer joins through the hub, as `pair open` tells it.
	code, out, errOut := run(t, "pair", "open", "--data-dir", hubDir)
	if code != 0 {
		t.Fatalf("pair open: exit %d: %s", code, errOut)
	}
	fields := map[string]string{}
	for line := range strings.Lines(out) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ": ")
		fields[k] = v
	}
	officeDir := t.TempDir()
	office, err := store.Open(officeDir, store.Options{AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	id, err := sync.LoadIdentity(officeDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := sync.Join(ctx, sync.JoinOptions{DB: office, Identity: id, Name: "Front desk", Address: fields["address"], Code: fields["code"]}); err != nil {
		t.Fatalf("join at %v: %v", fields, err)
	}
	svc := sync.New(sync.Config{DB: office, Identity: id, Name: "Front desk", Listen: "127.0.0.1:0", Peers: []string{fields["address"]}})
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()

	hub := func() sync.PeerStatus {
		st, err := svc.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range st.Peers {
			if p.Name == "Back office" {
				return p
			}
		}
		return sync.PeerStatus{}
	}
	deadline := time.Now().Add(30 * time.Second)
	for !hub().Connected && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if h := hub(); !h.Connected || !h.Hub || h.KeyLoaded {
		t.Fatalf("the hub as the office computer sees it: %+v; want connected, a hub, without the key", h)
	}
	hubID := hub().DeviceID

	refusals := []struct {
		user, password, code string
		says                 *regexp.Regexp
	}{
		{demo.OwnerUsername, "not the password", practice.EWrongPassword, regexp.MustCompile(`(?i)not right`)},
		{demo.FrontDeskUsername, demo.Password, practice.EForbidden, regexp.MustCompile(`Only an owner or manager may unlock the hub`)},
	}
	for _, r := range refusals {
		err := svc.UnlockPeer(ctx, hubID, r.user, r.password)
		if practice.ErrorCode(err) != r.code || !r.says.MatchString(practice.ErrorMessage(err)) {
			t.Errorf("%s: %v (code %s), want %s saying %s", r.user, err, practice.ErrorCode(err), r.code, r.says)
		}
		if hub().KeyLoaded {
			t.Fatalf("after %s's refused login the hub shows the key loaded", r.user)
		}
	}

	if err := svc.UnlockPeer(ctx, hubID, demo.OwnerUsername, demo.Password); err != nil {
		t.Fatalf("the owner's unlock: %v", err)
	}
	if h := hub(); !h.KeyLoaded {
		t.Fatalf("after the owner's unlock: %+v", h)
	}
	// The hub's own report, replicated: it holds the key and sends.
	if _, err := office.Unlock(ctx, demo.OwnerUsername, demo.Password); err != nil {
		t.Fatal(err)
	}
	var st notify.Status
	deadline = time.Now().Add(30 * time.Second)
	for {
		if err := office.View(ctx, func(tx *store.Tx) (err error) {
			st, err = notify.SenderStatus(tx, office.DeviceID(), time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if st.State == notify.SenderReady || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st.State != notify.SenderReady || st.SenderName != "Back office" {
		t.Fatalf("the sender as the office computer sees it: %+v; want Back office, ready", st)
	}
}
