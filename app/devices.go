package app

import (
	"context"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
)

// Emitter sends events to the window (Wails runtime.EventsEmit in the
// desktop build; a recorder in tests).
type Emitter interface {
	Emit(event string, data any)
}

// Events the window listens to.
const (
	// EventJoinProgress reports a joining machine's bootstrap (JoinProgress).
	EventJoinProgress = "sync:join-progress"
	// EventDataChanged says changes from another machine were merged
	// (DataChanged): the window reloads what it shows of those tables.
	EventDataChanged = "sync:data-changed"
	// EventStatusChanged says Devices.Status changed (a peer connected or
	// left, the pairing window closed); it carries nothing.
	EventStatusChanged = "sync:status-changed"
)

// Devices is the facade for Settings → Devices, the sync indicator and the
// Conflicts screen.
type Devices struct{ c *Core }

// NewDevices binds the devices facade to core.
func NewDevices(c *Core) *Devices { return &Devices{c: c} }

// Status is this device, its peers, pending changes and open conflicts.
func (d *Devices) Status() (SyncStatus, error) {
	c := d.c
	_, svc, err := d.gate("Devices.Status")
	if err != nil {
		return SyncStatus{}, c.fail("Devices.Status", err)
	}
	st, err := svc.Status(c.ctx())
	if err != nil {
		return SyncStatus{}, c.fail("Devices.Status", err)
	}
	c.mu.Lock()
	problem := c.syncProblem
	c.mu.Unlock()
	out := SyncStatus{DeviceID: st.DeviceID, Name: st.Name, Listen: st.Listen, Running: st.Running, Problem: problem, Connected: st.Connected,
		Pending: st.Pending, OpenConflicts: st.OpenConflicts, PairingOpen: st.PairingOpen, PairingUntil: timeString(st.PairingUntil), RemovedBy: st.RemovedBy,
		Peers: []PeerDevice{}}
	for _, p := range st.Peers {
		out.Peers = append(out.Peers, PeerDevice{DeviceID: p.DeviceID, Name: p.Name, Address: p.Address, LastSeen: timeString(p.LastSeen),
			OffsetMS: p.OffsetMS, ClockSkewed: p.ClockSkewed, Connected: p.Connected, Removed: p.Removed, Pending: p.Pending,
			DigestStatus: p.DigestStatus, Stuck: p.Stuck, Hub: p.Hub, KeyLoaded: p.KeyLoaded})
	}
	return out, nil
}

// OpenPairing opens a pairing window and returns its code, to show until
// it expires or a machine joins.
func (d *Devices) OpenPairing() (PairingCode, error) {
	c := d.c
	sess, svc, err := d.gate("Devices.OpenPairing")
	if err != nil {
		return PairingCode{}, c.fail("Devices.OpenPairing", err)
	}
	p, err := svc.OpenPairing(c.ctx())
	if err != nil {
		return PairingCode{}, c.fail("Devices.OpenPairing", err)
	}
	c.auditDevice(sess, "device.pairing-open", "")
	return PairingCode{Code: p.Code, Expires: timeString(p.Expires)}, nil
}

// ClosePairing closes the pairing window.
func (d *Devices) ClosePairing() error {
	c := d.c
	_, svc, err := d.gate("Devices.ClosePairing")
	if err != nil {
		return c.fail("Devices.ClosePairing", err)
	}
	svc.ClosePairing()
	return nil
}

// ConnectAddress remembers a peer's address (host:port) and connects to it,
// for machines the beacon does not reach (another subnet, a VPN).
func (d *Devices) ConnectAddress(address string) error {
	c := d.c
	_, svc, err := d.gate("Devices.ConnectAddress")
	if err != nil {
		return c.fail("Devices.ConnectAddress", err)
	}
	return c.fail("Devices.ConnectAddress", svc.Connect(c.ctx(), strings.TrimSpace(address)))
}

// Remove takes a device out of the practice; every machine refuses it
// once the removal has reached it.
func (d *Devices) Remove(deviceID string) error {
	c := d.c
	sess, svc, err := d.gate("Devices.Remove")
	if err != nil {
		return c.fail("Devices.Remove", err)
	}
	if err := svc.Remove(c.ctx(), deviceID); err != nil {
		return c.fail("Devices.Remove", err)
	}
	c.auditDevice(sess, "device.remove", deviceID)
	return nil
}

// UnlockHub loads the practice key into the hub deviceID, which holds it
// in memory only, so it can send the practice's e-mail: the owner signed
// in here types their password again, and the hub checks it as its admin
// socket would (it audits the unlock; this computer audits the request).
// Errors: EUnavailable (the hub is not connected), EWrongPassword,
// EForbidden, EInvalid (not a hub).
func (d *Devices) UnlockHub(deviceID, password string) error {
	c := d.c
	sess, svc, err := d.gate("Devices.UnlockHub")
	if err != nil {
		return c.fail("Devices.UnlockHub", err)
	}
	if password == "" {
		return c.fail("Devices.UnlockHub", practice.FieldProblem("password", "Type your password."))
	}
	if err := svc.UnlockPeer(c.ctx(), deviceID, sess.account.Username, password); err != nil {
		return c.fail("Devices.UnlockHub", err)
	}
	c.auditDevice(sess, "device.hub-unlock", deviceID)
	return nil
}

// Conflicts lists conflicts, open ones first.
func (d *Devices) Conflicts() ([]ConflictItem, error) {
	return read(d.c, "Devices.Conflicts", func(tx *store.Tx) ([]ConflictItem, error) {
		list, err := tx.Conflicts(false)
		out := make([]ConflictItem, 0, len(list))
		for _, cf := range list {
			item := ConflictItem{ID: cf.ID, Kind: cf.Kind, Table: cf.Table, Rows: cf.Rows, Detail: cf.Detail, State: cf.State,
				ResolvedBy: cf.ResolvedBy, Choice: cf.Choice, ResolvedAt: timeString(cf.ResolvedAt)}
			if cf.Kind == store.ConflictConcurrentEdit {
				grp, versions, _ := strings.Cut(cf.Detail, "|")
				item.Group, item.Versions = grp, strings.Split(versions, ",")
			}
			out = append(out, item)
		}
		return out, err
	})
}

// ResolveConflict marks a conflict resolved. For a concurrent edit, choice
// is the version to keep (one of ConflictItem.Versions); for other kinds
// it records what the person decided.
func (d *Devices) ResolveConflict(id, choice string) error {
	c := d.c
	sess, err := c.begin("Devices.ResolveConflict")
	if err != nil {
		return c.fail("Devices.ResolveConflict", err)
	}
	return c.fail("Devices.ResolveConflict", c.update(func(tx *store.Tx) error {
		if err := tx.ResolveConflict(id, sess.account.ID, choice); err != nil {
			return err
		}
		return tx.Audit(sess.account.ID, "conflict.resolve", "conflicts", id)
	}))
}

// gate is begin for the methods that need the sync service.
func (d *Devices) gate(method string) (session, *lansync.Service, error) {
	sess, err := d.c.begin(method)
	if err != nil {
		return sess, nil, err
	}
	if d.c.sync == nil {
		return sess, nil, errNoSync
	}
	return sess, d.c.sync, nil
}

// errNoSync: main could not set up sync (it logged why).
var errNoSync = practice.Errorf(practice.EUnavailable, "Sync is not available on this machine: its device identity could not be read. See the log.")

// auditDevice records a device action; the action itself has happened.
func (c *Core) auditDevice(sess session, action, deviceID string) {
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, action, "devices", deviceID) }); err != nil {
		c.log.Error("audit", "action", action, "err", err)
	}
}

// Discovered lists Quietdesk machines heard on this network, for the
// first-run "Join a practice" screen (a hint: any address can be typed).
func (s *Session) Discovered() ([]DiscoveredDevice, error) {
	c := s.c
	if c.problem != nil {
		return nil, c.fail("", c.problem)
	}
	out := []DiscoveredDevice{}
	if c.sync == nil {
		return out, nil
	}
	for _, f := range c.sync.Discovered(context.Background()) {
		out = append(out, DiscoveredDevice{DeviceID: f.DeviceID, Address: f.Address, Seen: timeString(f.Seen)})
	}
	return out, nil
}

// Join pairs this machine, whose data folder holds no practice, with the
// machine at address using the code shown there, and copies the practice
// here, emitting EventJoinProgress as it goes. Staff then log in with
// their usual passwords.
func (s *Session) Join(address, code string) (SessionStatus, error) {
	c := s.c
	if c.problem != nil {
		return SessionStatus{}, c.fail("", c.problem)
	}
	if c.db.Exists() {
		return SessionStatus{}, c.fail("Session.Join", practice.Errorf(practice.EConflict, "This machine already holds a practice."))
	}
	if c.sync == nil {
		return SessionStatus{}, c.fail("Session.Join", errNoSync)
	}
	if strings.TrimSpace(address) == "" {
		return SessionStatus{}, c.fail("Session.Join", &practice.Error{Code: practice.EInvalid, Message: "Choose a machine or type its address.",
			Fields: map[string]string{"address": "This field is required."}})
	}
	err := c.sync.Join(c.ctx(), strings.TrimSpace(address), code, func(phase string, done, total int64) {
		c.emit(EventJoinProgress, JoinProgress{Phase: phase, Done: done, Total: total})
	})
	if err != nil {
		return SessionStatus{}, c.fail("Session.Join", err)
	}
	c.StartSync(context.Background())
	return s.Status()
}

// StartSync starts LAN sync when the data folder holds a practice. It runs
// whoever is logged in and behind a locked screen; failures are logged.
func (c *Core) StartSync(ctx context.Context) {
	if c.problem != nil || c.sync == nil || !c.db.Exists() {
		return
	}
	err := c.sync.Start(ctx)
	if err != nil {
		c.log.Error("sync did not start", "err", err)
	}
	c.mu.Lock()
	c.syncProblem = ""
	if err != nil {
		c.syncProblem = practice.ErrorMessage(err)
	}
	c.mu.Unlock()
}

// Merged tells the window which tables another machine changed, so it
// reloads what it shows of them: the window's listener in
// internal/wiring, after the patients service updated its index.
func (c *Core) Merged(changed []store.RowRef) {
	seen := map[string]bool{}
	tables := []string{}
	for _, r := range changed {
		if !seen[r.Table] {
			seen[r.Table] = true
			tables = append(tables, r.Table)
		}
	}
	c.emit(EventDataChanged, DataChanged{Tables: tables})
}

// SyncStatusChanged tells the window to refresh the sync indicator. main
// passes it to the sync service as OnStatus.
func (c *Core) SyncStatusChanged() { c.emit(EventStatusChanged, nil) }

func (c *Core) emit(event string, data any) {
	if c.events != nil {
		c.events.Emit(event, data)
	}
}

// timeString formats a time for the frontend; zero is "".
func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
