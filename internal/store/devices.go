package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Device is a paired machine of the practice. Membership replicates, so
// pairing with one machine joins the practice and a removal reaches every
// machine.
type Device struct {
	ID      string // SHA-256 of Cert, hex
	Name    string
	Cert    []byte // self-signed certificate, DER
	Removed bool
	// SeenAt is when the machine was last seen: paired, or syncing (it
	// records that itself, SawDevice). Zero for a machine paired before
	// this was recorded that has not synced since.
	SeenAt time.Time
}

// AddDevice adds a paired device, or updates its name and certificate and
// takes it back in if it was removed (it has just been paired again). Either
// way it was seen now. It works without the practice key (pairing runs on
// the headless hub too).
func (tx *Tx) AddDevice(d Device) error {
	var removed bool
	err := tx.sql.QueryRow("SELECT removed FROM devices WHERE id = ?", d.ID).Scan(&removed)
	member := write{grp: "member", plain: []any{d.Name, d.Cert}}
	seen := write{grp: "seen", plain: []any{unix(tx.now)}}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return tx.create("devices", d.ID, []write{member, {grp: "status", plain: []any{0}}, seen})
	case err != nil:
		return fmt.Errorf("store: device: %w", err)
	}
	if err := tx.put("devices", d.ID, member.grp, member.plain, nil); err != nil {
		return err
	}
	if err := tx.put("devices", d.ID, seen.grp, seen.plain, nil); err != nil {
		return err
	}
	if removed {
		return tx.put("devices", d.ID, "status", []any{0}, nil)
	}
	return nil
}

// SawDevice records that the paired device id was seen now (a machine
// records itself while it syncs). A device that is not in the membership
// is left alone. It needs no key.
func (tx *Tx) SawDevice(id string) error {
	var n int
	if err := tx.sql.QueryRow("SELECT COUNT(*) FROM devices WHERE id = ? AND deleted = 0", id).Scan(&n); err != nil {
		return fmt.Errorf("store: device seen: %w", err)
	}
	if n == 0 {
		return nil
	}
	return tx.put("devices", id, "seen", []any{unix(tx.now)}, nil)
}

// Devices lists the paired devices, removed ones included. It needs no key.
func (tx *Tx) Devices() ([]Device, error) {
	return devices(context.Background(), tx.sql)
}

// RemoveDevice marks a device removed: every peer refuses it from then on.
func (tx *Tx) RemoveDevice(id string) error {
	return tx.put("devices", id, "status", []any{1}, nil)
}

// Devices lists the paired devices, removed ones included. It needs no key.
func (db *DB) Devices(ctx context.Context) ([]Device, error) {
	if db.sql == nil {
		return nil, nil
	}
	return devices(ctx, db.sql)
}

func devices(ctx context.Context, q querier) ([]Device, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, COALESCE(name, ''), cert, removed, COALESCE(seen_at, 0) FROM devices WHERE deleted = 0 ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: devices: %w", err)
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var seen int64
		if err := rows.Scan(&d.ID, &d.Name, &d.Cert, &d.Removed, &seen); err != nil {
			return nil, fmt.Errorf("store: devices: %w", err)
		}
		d.SeenAt = fromUnix(seen)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Member reports whether id is a paired device that has not been removed.
func (db *DB) Member(ctx context.Context, id string) (bool, error) {
	if db.sql == nil {
		return false, nil
	}
	var removed bool
	err := db.sql.QueryRowContext(ctx, "SELECT removed FROM devices WHERE id = ? AND deleted = 0", id).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: member: %w", err)
	}
	return !removed, nil
}

// Removed reports whether id was paired with this practice and then
// removed (it is told so when it calls, instead of being refused silently).
func (db *DB) Removed(ctx context.Context, id string) (bool, error) {
	if db.sql == nil {
		return false, nil
	}
	var removed bool
	err := db.sql.QueryRowContext(ctx, "SELECT removed FROM devices WHERE id = ? AND deleted = 0", id).Scan(&removed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: removed: %w", err)
	}
	return removed, nil
}

// PeerAddress is an address this machine syncs with and what it last saw
// there. Addresses are local to the machine, never replicated.
type PeerAddress struct {
	Address  string
	DeviceID string // "" until a connection has named it
	LastSeen time.Time
	OffsetMS int64 // the peer's clock minus ours, estimated at hello
}

// RememberAddress adds or updates an address to sync with.
func (db *DB) RememberAddress(ctx context.Context, p PeerAddress) error {
	if db.sql == nil {
		return nil
	}
	seen := ""
	if !p.LastSeen.IsZero() {
		seen = p.LastSeen.UTC().Format(time.RFC3339)
	}
	_, err := db.sql.ExecContext(ctx, `INSERT INTO sync_addresses (address, device_id, last_seen, offset_ms) VALUES (?, ?, ?, ?)
		ON CONFLICT (address) DO UPDATE SET
			device_id = CASE WHEN excluded.device_id = '' THEN device_id ELSE excluded.device_id END,
			last_seen = CASE WHEN excluded.last_seen = '' THEN last_seen ELSE excluded.last_seen END,
			offset_ms = CASE WHEN excluded.last_seen = '' THEN offset_ms ELSE excluded.offset_ms END`,
		p.Address, p.DeviceID, seen, p.OffsetMS)
	if err != nil {
		return fmt.Errorf("store: remember address: %w", err)
	}
	return nil
}

// ForgetDeviceAddresses drops the addresses of a device (after removal).
func (db *DB) ForgetDeviceAddresses(ctx context.Context, deviceID string) error {
	if db.sql == nil || deviceID == "" {
		return nil
	}
	_, err := db.sql.ExecContext(ctx, "DELETE FROM sync_addresses WHERE device_id = ?", deviceID)
	return err
}

// Addresses lists the remembered addresses.
func (db *DB) Addresses(ctx context.Context) ([]PeerAddress, error) {
	if db.sql == nil {
		return nil, nil
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT address, device_id, last_seen, offset_ms FROM sync_addresses ORDER BY address")
	if err != nil {
		return nil, fmt.Errorf("store: addresses: %w", err)
	}
	defer rows.Close()
	var out []PeerAddress
	for rows.Next() {
		var p PeerAddress
		var seen string
		if err := rows.Scan(&p.Address, &p.DeviceID, &seen, &p.OffsetMS); err != nil {
			return nil, fmt.Errorf("store: addresses: %w", err)
		}
		p.LastSeen, _ = time.Parse(time.RFC3339, seen)
		out = append(out, p)
	}
	return out, rows.Err()
}
