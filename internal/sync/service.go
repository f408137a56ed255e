package sync

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Default ports: replication over TCP (TLS), the discovery beacon over UDP.
const (
	DefaultPort       = 47810
	DefaultBeaconPort = 47811
)

// ClockWarning is the clock offset beyond which a peer is named in the UI.
const ClockWarning = 2 * time.Minute

// Config wires a Service.
type Config struct {
	DB       *store.DB
	Identity Identity
	Name     string   // this device's label; the host name when empty
	Listen   string   // address to accept peers on ("" accepts none)
	Peers    []string // addresses to connect to, besides the remembered ones
	// AfterApply runs in every transaction that merges a batch (the
	// calendar's overlap check).
	AfterApply store.AfterApply
	Logger     *slog.Logger
	// Now is the wall clock stamped into hellos (peers estimate this
	// machine's offset from it) and shown as last seen; time.Now when nil.
	Now       func() time.Time
	BatchSize int           // changes per batch; 0: 2000
	DigestGap time.Duration // least time between digest checks with a peer; 0: one minute
	Beacon    int           // UDP port to announce on and listen to; 0: no beacon
	// OnMerged is told, after each merged batch has committed, which rows
	// it changed (the window refreshes what it shows).
	OnMerged func(changed []store.RowRef)
	// OnStatus is told that Status changed: a peer connected or left, or
	// the pairing window closed (the window refreshes its indicator).
	OnStatus func()
	// OnJoined is told the id of a newly paired device once its first
	// session (the bootstrap) has ended.
	OnJoined func(deviceID string)
	// Tap receives a copy of every byte of application data this device
	// sends (before TLS): the test that sealed fields cross the wire sealed.
	Tap io.Writer
	// Desk serves check-in tablets (internal/intake through wiring): nil
	// refuses every tablet.
	Desk TabletDesk
	// Unlock loads the practice key with an owner's login, as the hub's
	// admin socket does; set on a hub, so an owner can unlock it from an
	// office computer's window (unlock.go). nil on an office computer.
	Unlock func(ctx context.Context, username, password string) error
}

// Service runs sync for one data directory: it accepts paired peers,
// connects to known ones, and keeps a replication session with each.
type Service struct {
	cfg Config
	db  *store.DB
	id  Identity
	log *slog.Logger

	mu      gosync.Mutex
	ctx     context.Context
	cancel  context.CancelFunc
	ln      net.Listener
	refused atomic.Int64 // connections dropped before becoming a session
	// removed is the name of the machine that said this one was removed
	// from the practice; "" while it is a member (s.mu).
	removed  string
	sessions map[string]*session  // by peer device id
	peers    map[string]*peerInfo // what this run has learned of each peer
	dialing  map[string]bool      // addresses with a dial loop
	addrPeer map[string]string    // the device last reached at each dialed address
	pairing  *pairingWindow
	found    *Discovery
	nextBeat time.Time // when this machine next records that it was seen (s.mu)
	wg       gosync.WaitGroup
}

// peerInfo is what a running service knows of a peer beyond the devices table.
type peerInfo struct {
	addr     string
	lastSeen time.Time
	offsetMS int64
	vector   store.Vector // the peer's vector as last acknowledged
	digest   string       // "match" or "mismatch" at the last check, "" before
	// Why sync with this peer is stuck, as the last batch showed: this
	// machine refused the peer's batch, or held back transactions it
	// relayed (heldHere), or the peer held back ours (heldThere, streams).
	origin string // its name in the change log, from its hello
	// hub: it said it is a hub another machine may unlock; keyLoaded: it
	// holds the practice key, as its hello or its last word said.
	hub, keyLoaded bool
	refused        bool
	heldHere       map[string]store.HeldBack // by stream
	heldThere      []string
}

// New returns a stopped service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 2000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DigestGap == 0 {
		cfg.DigestGap = time.Minute
	}
	if cfg.Name == "" {
		cfg.Name, _ = os.Hostname()
	}
	return &Service{cfg: cfg, db: cfg.DB, id: cfg.Identity, log: cfg.Logger,
		sessions: map[string]*session{}, peers: map[string]*peerInfo{}, dialing: map[string]bool{}, addrPeer: map[string]string{}}
}

// ID is this device's id.
func (s *Service) ID() string { return s.id.ID }

// Running reports whether Start has been called and Stop has not.
func (s *Service) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx != nil && s.ctx.Err() == nil
}

// Start makes sure this device is in the membership, then listens,
// connects to every known address, and announces itself on the beacon.
//
// Errors: ENotFound when the data folder holds no practice yet.
func (s *Service) Start(ctx context.Context) error {
	if !s.db.Exists() {
		return practice.Errorf(practice.ENotFound, "There is no practice here to sync yet.")
	}
	if err := s.ensureSelf(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	if s.ctx != nil && s.ctx.Err() == nil {
		s.mu.Unlock()
		return nil
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.mu.Unlock()
	if s.cfg.Listen != "" {
		ln, err := net.Listen("tcp", s.cfg.Listen)
		if err != nil {
			s.cancel()
			s.log.Error("sync cannot listen", "addr", s.cfg.Listen, "err", err)
			return practice.Errorf(practice.EConflict,
				"Sync cannot accept other machines on %s: another program, or another Quietdesk, uses that port.", s.cfg.Listen)
		}
		s.mu.Lock()
		s.ln = ln
		s.mu.Unlock()
		s.wg.Go(func() { s.accept(ln) })
		s.log.Info("sync listening", "addr", ln.Addr().String(), "device", short(s.id.ID))
	}
	addrs, err := s.db.Addresses(ctx)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if a.DeviceID != "" {
			s.mu.Lock()
			s.addrPeer[a.Address] = a.DeviceID
			s.mu.Unlock()
		}
		s.dial(a.Address)
	}
	for _, a := range s.cfg.Peers {
		s.dial(a)
	}
	if s.cfg.Beacon != 0 {
		s.startBeacon()
	}
	return nil
}

// Stop closes every connection and waits for the service's goroutines.
func (s *Service) Stop() {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	if s.ln != nil {
		s.ln.Close()
	}
	for _, x := range s.sessions {
		x.close()
	}
	if s.found != nil {
		s.found.Close()
		s.found = nil
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	s.ln, s.dialing = nil, map[string]bool{}
	s.mu.Unlock()
}

// Addr is the address the service listens on ("" when it does not).
func (s *Service) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// ensureSelf adds this device to the membership if it is not there.
func (s *Service) ensureSelf(ctx context.Context) error {
	devices, err := s.db.Devices(ctx)
	if err != nil {
		return err
	}
	for _, d := range devices {
		if d.ID == s.id.ID {
			return nil
		}
	}
	return s.db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		return tx.AddDevice(store.Device{ID: s.id.ID, Name: s.cfg.Name, Cert: s.id.DER()})
	})
}

// Connect remembers an address and keeps a connection to it.
//
// Errors: EInvalid for an address that is not host:port.
func (s *Service) Connect(ctx context.Context, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return &practice.Error{Code: practice.EInvalid, Message: "Please check the address.",
			Fields: map[string]string{"address": "Give the machine's address and port, e.g. 192.168.1.20:47810."}}
	}
	if err := s.db.RememberAddress(ctx, store.PeerAddress{Address: addr}); err != nil {
		return err
	}
	s.dial(addr)
	return nil
}

// Remove takes a device out of the practice: the removal replicates and
// every peer refuses it from then on.
//
// Errors: EInvalid when id is this device, ENotFound when it is not paired.
func (s *Service) Remove(ctx context.Context, id string) error {
	if id == s.id.ID {
		return practice.Errorf(practice.EInvalid, "This machine cannot remove itself; remove it from another machine.")
	}
	if ok, err := s.db.Member(ctx, id); err != nil {
		return err
	} else if !ok {
		return practice.Errorf(practice.ENotFound, "That device is not paired with this practice.")
	}
	if err := s.db.UpdateWithoutKey(ctx, func(tx *store.Tx) error { return tx.RemoveDevice(id) }); err != nil {
		return err
	}
	s.mu.Lock()
	if x := s.sessions[id]; x != nil {
		x.close()
	}
	s.mu.Unlock()
	s.log.Info("device removed", "device", short(id))
	return s.db.ForgetDeviceAddresses(ctx, id)
}

func (s *Service) accept(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Warn("accept failed", "err", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		s.wg.Go(func() { s.serve(conn) })
	}
}

// handshakeTimeout bounds a TLS handshake and the hello that follows.
const handshakeTimeout = 10 * time.Second

// serve runs an accepted connection: a paired device's session, or a
// pairing attempt while the window is open.
func (s *Service) serve(raw net.Conn) {
	defer raw.Close()
	conn := tls.Server(raw, s.serverTLS())
	ctx, cancel := context.WithTimeout(s.ctx, handshakeTimeout)
	err := conn.HandshakeContext(ctx)
	cancel()
	if err != nil {
		return // refusals are logged by the verifier
	}
	peer := DeviceID(conn.ConnectionState().PeerCertificates[0].Raw)
	w := newWire(conn, s.cfg.Tap)
	if s.tablet(peer) {
		s.serveTablet(w, peer)
		return
	}
	if s.member(peer) {
		// A member opens with a hello, unless it is joining again (a
		// retried join whose catch-up was cut short): then it proves a
		// fresh code like any new device.
		f, err := w.recv(handshakeTimeout)
		if err != nil {
			return
		}
		w.unread(f)
		if f.PairRequest == nil {
			s.runSession(w, peer, peer, raw.RemoteAddr().String(), nil)
			return
		}
	}
	// Not a member: only the pairing exchange, small frames, one deadline.
	w.limit.max = maxPairingFrame
	conn.SetDeadline(time.Now().Add(pairingTimeout))
	if s.wasRemoved(peer) {
		// A removed device may pair again with a fresh code; anything
		// else it sends is answered with the news that it was removed.
		f, err := w.recv(handshakeTimeout)
		if err != nil {
			return
		}
		if f.PairRequest == nil || !s.pairingOpen() {
			w.send(frame{Removed: &removedNotice{By: s.cfg.Name}})
			s.refuse(peer, "a removed device (told it was removed)", nil)
			return
		}
		w.unread(f)
	}
	s.hostPairing(conn, w, peer)
}

// refuse logs and counts a connection dropped before it became a session
// (an unpaired device that sent no pairing request, an oversized frame).
func (s *Service) refuse(peer, why string, err error) {
	n := s.refused.Add(1)
	s.log.Warn("refused a connection", "device", short(peer), "why", why, "err", err, "refused", n)
}

// Refused is how many connections were dropped before becoming a session.
func (s *Service) Refused() int64 { return s.refused.Load() }

// dial keeps a connection to addr while the service runs.
func (s *Service) dial(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dialing[addr] || s.ctx == nil || s.removed != "" {
		return
	}
	s.dialing[addr] = true
	s.wg.Go(func() { s.dialLoop(addr) })
}

// removedBy is the machine that told this one it was removed, or "".
func (s *Service) removedBy() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.removed
}

// markRemoved records that by said this machine was removed: it stops
// calling the others (they would all refuse it) and says so.
func (s *Service) markRemoved(by string) {
	s.mu.Lock()
	s.removed = cmp.Or(by, "another computer")
	s.mu.Unlock()
	s.log.Warn("this computer was removed from the practice; sync stopped", "told_by", by)
	s.statusChanged()
}

// Reconnection waits between failed attempts, doubling up to the maximum.
const (
	minRedial = 500 * time.Millisecond
	maxRedial = 10 * time.Second
)

func (s *Service) dialLoop(addr string) {
	wait := minRedial
	for s.ctx.Err() == nil && s.removedBy() == "" {
		if s.connectedAt(addr) {
			sleep(s.ctx, 2*time.Second)
			continue
		}
		if !s.dialOnce(addr) {
			sleep(s.ctx, wait)
			wait = min(2*wait, maxRedial)
			continue
		}
		wait = minRedial
		sleep(s.ctx, minRedial)
	}
}

// dialOnce connects to addr and runs a session until it ends; false when
// no member answered there.
func (s *Service) dialOnce(addr string) bool {
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: s.clientTLS()}
	ctx, cancel := context.WithTimeout(s.ctx, handshakeTimeout)
	c, err := dialer.DialContext(ctx, "tcp", addr)
	cancel()
	if err != nil {
		return false
	}
	conn := c.(*tls.Conn)
	defer conn.Close()
	peer := DeviceID(conn.ConnectionState().PeerCertificates[0].Raw)
	s.mu.Lock()
	s.addrPeer[addr] = peer
	s.mu.Unlock()
	s.runSession(newWire(conn, s.cfg.Tap), peer, s.id.ID, addr, nil)
	return true
}

// connectedAt reports whether a session runs with the device last reached
// at addr (whichever side dialed): then there is nothing to dial.
func (s *Service) connectedAt(addr string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.addrPeer[addr]
	return id != "" && s.sessions[id] != nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// register makes x the session with its peer. Two machines that dial each
// other at once end up with two connections; both keep the one dialed by
// the smaller device id, so they agree without talking.
func (s *Service) register(x *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return false
	}
	if old := s.sessions[x.peer]; old != nil {
		if x.dialer >= old.dialer {
			return false
		}
		old.close()
	}
	s.sessions[x.peer] = x
	return true
}

func (s *Service) unregister(x *session) {
	s.mu.Lock()
	if s.sessions[x.peer] == x {
		delete(s.sessions, x.peer)
	}
	if p := s.peers[x.peer]; p != nil {
		p.lastSeen = s.cfg.Now()
	}
	s.mu.Unlock()
	s.statusChanged()
}

// statusChanged tells OnStatus; s.mu must not be held.
func (s *Service) statusChanged() {
	if s.cfg.OnStatus != nil {
		s.cfg.OnStatus()
	}
}

// peer returns the info kept on a peer, creating it; s.mu must be held.
func (s *Service) peer(id string) *peerInfo {
	p := s.peers[id]
	if p == nil {
		p = &peerInfo{}
		s.peers[id] = p
	}
	return p
}

// PeerStatus is what the Devices screen shows of one paired device.
type PeerStatus struct {
	DeviceID     string
	Name         string
	Address      string
	LastSeen     time.Time // zero: never connected since this machine started knowing it
	OffsetMS     int64     // its clock minus ours
	ClockSkewed  bool      // off by more than ClockWarning
	Connected    bool
	Removed      bool
	Pending      int64  // changes this machine holds that it lacks, as far as known
	DigestStatus string // "match", "mismatch", or "" when not checked yet
	// Hub: a hub, which an owner may unlock from here; KeyLoaded: it
	// holds the practice key (as last heard).
	Hub, KeyLoaded bool
	// Stuck says, in words for the Devices screen, why some changes cannot
	// pass between the two machines; "" when nothing is stuck.
	Stuck string
}

// Status is the sync indicator's and the Devices screen's data.
type Status struct {
	DeviceID      string
	Name          string
	Listen        string
	Running       bool
	Peers         []PeerStatus
	Connected     int
	Pending       int64 // the most any paired device lacks
	OpenConflicts int
	PairingOpen   bool
	PairingUntil  time.Time
	// RemovedBy names the machine that said this one was removed from the
	// practice: it no longer syncs; "" while it is a member.
	RemovedBy string
}

// Status reports this device, its peers and pending work. It needs no key.
func (s *Service) Status(ctx context.Context) (Status, error) {
	st := Status{DeviceID: s.id.ID, Name: s.cfg.Name, Listen: s.Addr(), Running: s.Running(), RemovedBy: s.removedBy()}
	if !s.db.Exists() {
		return st, nil
	}
	devices, err := s.db.Devices(ctx)
	if err != nil {
		return st, err
	}
	mine, err := s.db.Vector(ctx)
	if err != nil {
		return st, err
	}
	addrs, err := s.db.Addresses(ctx)
	if err != nil {
		return st, err
	}
	if st.OpenConflicts, err = s.db.OpenConflicts(ctx); err != nil {
		return st, err
	}
	remembered := map[string]store.PeerAddress{}
	for _, a := range addrs {
		if a.DeviceID != "" {
			remembered[a.DeviceID] = a
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.pairing; w != nil && w.open(s.cfg.Now()) {
		st.PairingOpen, st.PairingUntil = true, w.expires
	}
	for _, d := range devices {
		if d.ID == s.id.ID {
			if d.Name != "" {
				st.Name = d.Name
			}
			continue
		}
		ps := PeerStatus{DeviceID: d.ID, Name: d.Name, Removed: d.Removed}
		if a, ok := remembered[d.ID]; ok {
			ps.Address, ps.LastSeen, ps.OffsetMS = a.Address, a.LastSeen, a.OffsetMS
		}
		if p := s.peers[d.ID]; p != nil {
			ps.Address, ps.LastSeen, ps.OffsetMS, ps.DigestStatus = p.addr, p.lastSeen, p.offsetMS, p.digest
			ps.Hub, ps.KeyLoaded = p.hub, p.keyLoaded
			if p.vector != nil {
				ps.Pending = mine.Missing(p.vector)
			}
		}
		if x := s.sessions[d.ID]; x != nil {
			ps.Connected = true
			ps.LastSeen = s.cfg.Now()
			ps.Pending = mine.Missing(x.peerVector())
			st.Connected++
		}
		ps.ClockSkewed = max(ps.OffsetMS, -ps.OffsetMS) > ClockWarning.Milliseconds()
		if !d.Removed {
			st.Pending = max(st.Pending, ps.Pending)
		}
		st.Peers = append(st.Peers, ps)
	}
	// Stuck changes are named by the machine that wrote them: origins
	// are learned from hellos (a machine never met is "another computer").
	names := map[string]string{s.db.Origin(): "this computer"}
	for _, ps := range st.Peers {
		if p := s.peers[ps.DeviceID]; p != nil && p.origin != "" {
			names[p.origin] = cmp.Or(ps.Name, short(ps.DeviceID))
		}
	}
	for i := range st.Peers {
		if p := s.peers[st.Peers[i].DeviceID]; p != nil {
			st.Peers[i].Stuck = p.stuckReason(st.Peers[i].Name, names)
		}
	}
	sort.Slice(st.Peers, func(i, j int) bool { return st.Peers[i].Name < st.Peers[j].Name })
	return st, nil
}

// stuckReason explains, naming machines but never data, why changes cannot
// pass between this machine and the peer called name; "" when they can.
func (p *peerInfo) stuckReason(name string, names map[string]string) string {
	origins := func(streams []string) string {
		var list []string
		for _, st := range streams {
			origin, _, _ := strings.Cut(st, "/")
			list = append(list, cmp.Or(names[origin], "another office computer"))
		}
		slices.Sort(list)
		return strings.Join(slices.Compact(list), ", ")
	}
	switch {
	case p.refused:
		return fmt.Sprintf("Sync with %s is stuck: this computer could not merge its changes (the reason is in the log) and retries every few seconds.", name)
	case len(p.heldHere) > 0:
		var streams, reasons []string
		for _, h := range p.heldHere { // map order: both lists are sorted below
			streams = append(streams, h.Stream)
			reasons = append(reasons, h.Reason)
		}
		slices.Sort(reasons)
		return fmt.Sprintf("Sync is stuck for changes made on %s: this computer cannot merge one of them (%s). They wait, nothing is lost, and everything else still syncs.",
			origins(streams), strings.Join(slices.Compact(reasons), "; "))
	case len(p.heldThere) > 0:
		return fmt.Sprintf("Sync is stuck for changes made on %s: %s cannot merge one of them (its screen says why). They wait, nothing is lost, and everything else still syncs.",
			origins(p.heldThere), name)
	}
	return ""
}
