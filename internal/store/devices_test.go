package store_test

import (
	"context"
	"testing"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TestWhenDevicesWereSeen: pairing counts as a sighting, and pairing a
// removed device again is a new one; SawDevice records a member's later
// sighting and leaves unknown ids alone; a row from a machine that wrote no
// sighting (an older version) reads as never seen.
func TestWhenDevicesWereSeen(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	db, err := store.Open(t.TempDir(), store.Options{AppVersion: "test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner := practice.Account{Username: "owner", DisplayName: "Olivia Owner", Role: practice.RoleOwner}
	if err := db.Create(ctx, func(tx *store.Tx) error {
		if err := tx.SaveSettings(&practice.Settings{Name: "Test Practice", LockMinutes: 10}); err != nil {
			return err
		}
		return tx.CreateAccount(&owner, ownerPassword)
	}); err != nil {
		t.Fatal(err)
	}
	at := func(when time.Time, fn func(tx *store.Tx) error) {
		t.Helper()
		now = when
		if err := db.UpdateWithoutKey(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	seen := func(id string) (time.Time, bool) {
		t.Helper()
		list, err := db.Devices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if d.ID == id {
				return d.SeenAt, d.Removed
			}
		}
		t.Fatalf("no device %s", id)
		return time.Time{}, false
	}
	t1, t2, t3 := now.Add(time.Hour), now.Add(26*time.Hour), now.Add(50*time.Hour)
	at(now, func(tx *store.Tx) error {
		return tx.AddDevice(store.Device{ID: "desk", Name: "Front desk", Cert: []byte("c1")})
	})
	if s, _ := seen("desk"); !s.Equal(now) {
		t.Errorf("paired: seen %v, want %v", s, now)
	}
	at(t1, func(tx *store.Tx) error { return tx.SawDevice("desk") })
	at(t1, func(tx *store.Tx) error { return tx.SawDevice("stranger") })
	if s, _ := seen("desk"); !s.Equal(t1) {
		t.Errorf("after SawDevice: seen %v, want %v", s, t1)
	}
	at(t2, func(tx *store.Tx) error { return tx.RemoveDevice("desk") })
	at(t3, func(tx *store.Tx) error {
		return tx.AddDevice(store.Device{ID: "desk", Name: "Front desk", Cert: []byte("c1")})
	})
	if s, removed := seen("desk"); !s.Equal(t3) || removed {
		t.Errorf("paired again: seen %v removed %v, want %v and a member", s, removed, t3)
	}
	at(t3, func(tx *store.Tx) error {
		return tx.Create("devices", "legacy", map[string][]any{"member": {"Old version", []byte("c2")}, "status": {0}, "seen": {nil}})
	})
	if s, _ := seen("legacy"); !s.IsZero() {
		t.Errorf("a row with no sighting: seen %v, want never", s)
	}
	var inTx []store.Device
	if err := db.View(ctx, func(tx *store.Tx) (err error) { inTx, err = tx.Devices(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(inTx) != 2 || inTx[0].ID != "desk" || !inTx[0].SeenAt.Equal(t3) || inTx[1].ID != "legacy" {
		t.Errorf("Tx.Devices: %+v, want desk and legacy (no stranger)", inTx)
	}
}
