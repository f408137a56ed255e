package sync

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"sort"
	"strconv"
	gosync "sync"
	"time"
)

// The beacon announces, on the LAN's broadcast address, that a device
// listens for sync on a port. It is a hint for the "join a practice"
// screen and for finding a peer whose address changed; it proves nothing
// (the TLS handshake does), and it names no practice, so a visitor's
// laptop learns only that a Quietdesk machine is there.
type beaconMessage struct {
	V      int    `json:"v"`
	Device string `json:"device"`
	Port   int    `json:"port"`
}

// beaconEvery is how often a device announces itself.
const beaconEvery = 5 * time.Second

// Found is a device heard on the beacon.
type Found struct {
	DeviceID string
	Address  string // host:port to connect to
	Seen     time.Time
}

// Discovery listens for beacons until its context ends or Close. Anyone on
// the LAN can send beacons, so what it keeps is bounded: at most maxHeard
// devices, each forgotten heardFor after its last beacon, and at most
// beaconBurst beacons a second are read at all (the rest are dropped
// unparsed), so a flood costs little memory and CPU.
type Discovery struct {
	conn net.PacketConn
	mu   gosync.Mutex
	seen map[string]Found

	window  time.Time // start of the current second
	inWin   int       // beacons read in it
	dropped int64     // beacons dropped by the rate limit or a full table
}

const (
	maxHeard    = 256
	heardFor    = time.Minute
	beaconBurst = 100 // a handful of office machines send one each per 5 s
)

// Discover listens for beacons on a UDP port until ctx ends.
func Discover(ctx context.Context, port int, log *slog.Logger) (*Discovery, error) {
	conn, err := net.ListenPacket("udp4", ":"+strconv.Itoa(port))
	if err != nil {
		return nil, err
	}
	d := &Discovery{conn: conn, seen: map[string]Found{}}
	context.AfterFunc(ctx, func() { conn.Close() })
	go d.listen(log)
	return d, nil
}

// Close stops listening.
func (d *Discovery) Close() { d.conn.Close() }

func (d *Discovery) listen(log *slog.Logger) {
	buf := make([]byte, 512)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Debug("beacon listener stopped", "err", err)
			}
			return
		}
		now := time.Now()
		if !d.admit(now) {
			continue
		}
		m, ok := parseBeacon(buf[:n])
		udp, isUDP := from.(*net.UDPAddr)
		if !ok || !isUDP {
			continue
		}
		d.remember(Found{DeviceID: m.Device, Address: net.JoinHostPort(udp.IP.String(), strconv.Itoa(m.Port)), Seen: now})
	}
}

// parseBeacon reads one beacon; ok is false for anything that is not one.
func parseBeacon(b []byte) (beaconMessage, bool) {
	var m beaconMessage
	if json.Unmarshal(b, &m) != nil || m.V != 1 || len(m.Device) != 64 || m.Port <= 0 || m.Port > 65535 {
		return beaconMessage{}, false
	}
	return m, true
}

// admit applies the rate limit: at most beaconBurst beacons a second.
func (d *Discovery) admit(now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if now.Sub(d.window) >= time.Second {
		d.window, d.inWin = now, 0
	}
	if d.inWin >= beaconBurst {
		d.dropped++
		return false
	}
	d.inWin++
	return true
}

// remember records a beacon, forgetting expired devices to make room; a
// new device is dropped while the table is full of live ones.
func (d *Discovery) remember(f Found) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, known := d.seen[f.DeviceID]; !known && len(d.seen) >= maxHeard {
		for id, old := range d.seen {
			if f.Seen.Sub(old.Seen) >= heardFor {
				delete(d.seen, id)
			}
		}
		if len(d.seen) >= maxHeard {
			d.dropped++
			return
		}
	}
	d.seen[f.DeviceID] = f
}

// Dropped is how many beacons the rate limit or a full table turned away.
func (d *Discovery) Dropped() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dropped
}

// Found lists devices heard in the last minute, most recent first.
func (d *Discovery) Found() []Found {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Found
	for _, f := range d.seen {
		if time.Since(f.Seen) < heardFor {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seen.After(out[j].Seen) })
	return out
}

// announce sends this device's beacon to addr every beaconEvery until ctx ends.
func announce(ctx context.Context, addr string, m beaconMessage) {
	conn, err := net.Dial("udp4", addr)
	if err != nil {
		return
	}
	defer conn.Close()
	msg, _ := json.Marshal(m)
	for {
		conn.Write(msg) // a lost beacon is resent in a moment
		select {
		case <-ctx.Done():
			return
		case <-time.After(beaconEvery):
		}
	}
}

// startBeacon announces this device on the broadcast address and listens
// for others, connecting to paired devices heard there.
func (s *Service) startBeacon() {
	_, port, _ := net.SplitHostPort(s.Addr())
	p, _ := strconv.Atoi(port)
	bcast := net.JoinHostPort("255.255.255.255", strconv.Itoa(s.cfg.Beacon))
	s.wg.Go(func() { announce(s.ctx, bcast, beaconMessage{V: 1, Device: s.id.ID, Port: p}) })
	s.mu.Lock()
	d := s.found
	s.mu.Unlock()
	if d == nil {
		var err error
		if d, err = Discover(s.ctx, s.cfg.Beacon, s.log); err != nil {
			// Another Quietdesk on this machine holds the port: announcing
			// still works, and peers are found by address.
			s.log.Info("beacon: not listening", "err", err)
			return
		}
		s.mu.Lock()
		s.found = d
		s.mu.Unlock()
	}
	// A beacon is a hint anyone can spoof: only a member's address is
	// tried, once per hearing, one attempt per device at a time, and never
	// kept redialling (remembered addresses and --peer are, by dial).
	s.wg.Go(func() {
		trying := map[string]bool{}
		var mu gosync.Mutex
		for s.ctx.Err() == nil {
			for _, f := range d.Found() {
				mu.Lock()
				busy := trying[f.DeviceID]
				mu.Unlock()
				if busy || !s.member(f.DeviceID) || s.connected(f.DeviceID) {
					continue
				}
				mu.Lock()
				trying[f.DeviceID] = true
				mu.Unlock()
				s.wg.Go(func() {
					s.dialOnce(f.Address)
					mu.Lock()
					delete(trying, f.DeviceID)
					mu.Unlock()
				})
			}
			sleep(s.ctx, beaconEvery)
		}
	})
}

func (s *Service) connected(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[id] != nil
}

// Discovered lists devices heard on the beacon. Its first call starts
// listening (until ctx ends) when the service is not running, so the
// first-run "Join a practice" screen can list machines.
func (s *Service) Discovered(ctx context.Context) []Found {
	s.mu.Lock()
	d := s.found
	s.mu.Unlock()
	if d == nil && s.cfg.Beacon != 0 {
		var err error
		if d, err = Discover(ctx, s.cfg.Beacon, s.log); err != nil {
			s.log.Info("beacon: not listening", "err", err)
			return nil
		}
		s.mu.Lock()
		if s.found == nil {
			s.found = d
		}
		s.mu.Unlock()
	}
	if d == nil {
		return nil
	}
	return d.Found()
}
