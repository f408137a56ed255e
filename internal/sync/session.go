package sync

import (
	"context"
	"maps"
	"math"
	"slices"
	gosync "sync"
	"time"

	"quietdesk/internal/store"
)

// session is one replication session with a peer over one connection:
// each side sends the other the changes it lacks, batch by batch, each
// acknowledged with the receiver's new vector, then pushes new commits as
// they happen.
type session struct {
	s      *Service
	w      *wire
	peer   string // the peer's device id
	dialer string // device id of the side that opened the connection
	acks   chan ack
	closed chan struct{}
	once   gosync.Once
	join   *joinProgress // set while bootstrapping a newly paired device

	mu      gosync.Mutex
	peerVec store.Vector
	// unlockReply waits for the peer's answer to this machine's hubUnlock.
	unlockReply chan hubUnlocked
	// skip holds the streams the peer said it cannot take, with when it
	// said so: they are left out of batches until skipAgain has passed.
	skip map[string]time.Time
}

// skipAgain is how long a stream the peer held back is left out of the
// batches sent to it before it is tried again (the cause may be gone); a
// variable only so tests need not wait minutes.
var skipAgain = 5 * time.Minute

// skipStreams adds the streams the peer just held back to those left out of
// its batches, drops those it now holds (v), and returns them sorted.
func (x *session) skipStreams(heldBack []string, v store.Vector) []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.skip) == 0 && len(heldBack) == 0 {
		return nil // the usual case: no query
	}
	if x.skip == nil {
		x.skip = map[string]time.Time{}
	}
	for _, stream := range heldBack {
		x.skip[stream] = time.Now()
	}
	mine, _ := x.s.db.Vector(context.Background())
	var out []string
	for stream := range x.skip {
		if mine != nil && v[stream] >= mine[stream] {
			delete(x.skip, stream) // the peer holds all we hold of it
			continue
		}
		out = append(out, stream)
	}
	slices.Sort(out)
	return out
}

// sendVector is the peer's vector with the streams it cannot take now
// marked as held, so ChangesAfter leaves them out and they cannot crowd
// out everything else.
func (x *session) sendVector(now time.Time) store.Vector {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.skip) == 0 {
		return x.peerVec
	}
	v := maps.Clone(x.peerVec)
	for stream, since := range x.skip {
		if now.Sub(since) >= skipAgain {
			delete(x.skip, stream)
			continue
		}
		v[stream] = math.MaxInt64
	}
	return v
}

// joinProgress follows a new device's bootstrap: the session ends once it
// holds everything the host held at hello.
type joinProgress struct {
	target   store.Vector
	total    int64
	done     int64
	progress func(done, total int64)
	complete bool
	applyErr error // why a batch could not be merged, if one could not
}

func (x *session) close() {
	x.once.Do(func() {
		close(x.closed)
		x.w.conn.Close()
	})
}

// learn raises what the peer is known to hold (vectors only grow: an ack
// computed before the peer's latest batch must not lower it) and returns
// a copy of the result.
func (x *session) learn(v store.Vector) store.Vector {
	x.mu.Lock()
	defer x.mu.Unlock()
	next := maps.Clone(x.peerVec)
	if next == nil {
		next = store.Vector{}
	}
	for stream, seq := range v {
		next[stream] = max(next[stream], seq)
	}
	x.peerVec = next
	return maps.Clone(next)
}

// batchVector is the highest sequence per stream in a batch.
func batchVector(changes []store.Change) store.Vector {
	v := store.Vector{}
	for _, c := range changes {
		v[c.Stream()] = max(v[c.Stream()], c.Seq)
	}
	return v
}

func (x *session) peerVector() store.Vector {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.peerVec
}

// idleCheck is how often an idle session re-checks membership and whether a
// digest comparison is due.
const idleCheck = 2 * time.Second

// ackTimeout bounds how long a peer may take to apply one batch.
const ackTimeout = 2 * time.Minute

// runSession exchanges hellos and replicates until the connection ends.
// It returns whether a joining device completed its bootstrap.
func (s *Service) runSession(w *wire, peer, dialer, addr string, join *joinProgress) bool {
	ctx := s.ctx
	if join == nil {
		// Before the hello, so a joining peer's catch-up counts it.
		s.beat(ctx)
	}
	mine, err := s.db.Vector(ctx)
	if err != nil {
		s.log.Error("sync: vector", "err", err)
		return false
	}
	t0 := s.cfg.Now()
	if err := w.send(frame{Hello: &hello{DeviceID: s.id.ID, PracticeID: s.db.PracticeID(), Vector: mine, ClockMS: t0.UnixMilli(), Origin: s.db.Origin(),
		Hub: s.cfg.Unlock != nil, KeyLoaded: s.db.Unlocked()}}); err != nil {
		return false
	}
	f, err := w.recv(handshakeTimeout)
	t1 := s.cfg.Now()
	if err == nil && f.Removed != nil {
		s.markRemoved(f.Removed.By)
		return false
	}
	if err != nil || f.Hello == nil {
		s.log.Warn("peer sent no hello", "device", short(peer))
		return false
	}
	h := f.Hello
	if h.DeviceID != peer || h.PracticeID != s.db.PracticeID() {
		s.log.Warn("peer belongs to another practice or misnamed itself", "device", short(peer))
		return false
	}
	// The peer stamped its clock when it sent its hello, about when we
	// sent ours: halfway through our round trip.
	offset := h.ClockMS - (t0.UnixMilli()+t1.UnixMilli())/2
	x := &session{s: s, w: w, peer: peer, dialer: dialer, acks: make(chan ack, 1), closed: make(chan struct{}), join: join, peerVec: h.Vector}
	if join != nil {
		join.target = h.Vector
		join.total = h.Vector.Missing(mine)
		join.report()
	}
	if !s.register(x) {
		return false
	}
	defer s.unregister(x)
	defer x.close()
	s.mu.Lock()
	p := s.peer(peer)
	p.addr, p.lastSeen, p.offsetMS, p.origin = addr, s.cfg.Now(), offset, h.Origin
	p.hub, p.keyLoaded = h.Hub, h.KeyLoaded
	s.mu.Unlock()
	if max(offset, -offset) > ClockWarning.Milliseconds() {
		s.log.Warn("peer clock is off", "device", short(peer), "offset_ms", offset)
	}
	if dialer == s.id.ID {
		if err := s.db.RememberAddress(ctx, store.PeerAddress{Address: addr, DeviceID: peer, LastSeen: s.cfg.Now(), OffsetMS: offset}); err != nil {
			s.log.Error("sync: remember address", "err", err)
		}
	}
	s.log.Info("peer connected", "device", short(peer), "pending", mine.Missing(h.Vector))
	s.statusChanged()
	if join != nil && join.caughtUp(mine) {
		return true
	}
	s.wg.Go(func() { x.receive(ctx) })
	x.sendLoop(ctx)
	s.log.Info("peer disconnected", "device", short(peer))
	return join != nil && join.complete
}

// receive applies the peer's batches and answers its frames.
func (x *session) receive(ctx context.Context) {
	defer x.close()
	s := x.s
	for {
		f, err := x.w.recv(0)
		if err != nil {
			return
		}
		switch {
		case f.Batch != nil:
			// The peer holds what it sent: never echo it back.
			x.learn(batchVector(f.Batch.Changes))
			res, err := s.db.ApplyBatch(ctx, f.Batch.Changes, s.cfg.AfterApply)
			var a ack
			if err != nil {
				s.log.Error("a batch from a peer was refused", "device", short(x.peer), "err", err)
				a.Error = "refused"
				if x.join != nil {
					// A joining machine that cannot take a batch (its disk
					// is full) ends the join and says why, instead of
					// being sent the same batch forever.
					x.join.applyErr = err
					x.w.send(frame{Ack: &a})
					return
				}
			}
			for _, h := range res.HeldBack {
				s.log.Warn("a transaction from a peer was held back", "device", short(x.peer), "origin", short(h.Origin),
					"change", h.Change, "table", h.Table, "reason", h.Reason)
				a.HeldBack = append(a.HeldBack, h.Stream)
			}
			if len(res.Changed) > 0 && s.cfg.OnMerged != nil {
				s.cfg.OnMerged(res.Changed)
			}
			if res.FutureHLC > 0 {
				s.log.Warn("peer's changes are stamped in the future; our clock was not moved", "device", short(x.peer), "ahead_ms", res.FutureHLC)
			}
			if a.Vector, err = s.db.Vector(ctx); err != nil {
				return
			}
			x.recordReceived(a.Error != "", res.HeldBack, a.Vector)
			if err := x.w.send(frame{Ack: &a}); err != nil {
				return
			}
			if j := x.join; j != nil {
				j.done += int64(res.New)
				j.report()
				if j.caughtUp(a.Vector) {
					return
				}
			}
		case f.Ack != nil:
			select {
			case x.acks <- *f.Ack:
			default:
			}
		case f.Digest != nil:
			x.checkDigest(ctx, *f.Digest)
		case f.HubUnlock != nil:
			req := *f.HubUnlock
			s.wg.Go(func() { x.answerUnlock(ctx, req) })
		case f.HubUnlocked != nil:
			x.mu.Lock()
			if x.unlockReply != nil {
				x.unlockReply <- *f.HubUnlocked // buffered, and only one request waits
				x.unlockReply = nil
			}
			x.mu.Unlock()
		case f.KeyState != nil:
			s.setKeyLoaded(x.peer, f.KeyState.Loaded)
		}
	}
}

// sendLoop sends what the peer lacks, then waits for new commits.
func (x *session) sendLoop(ctx context.Context) {
	s := x.s
	commits, stop := s.db.Subscribe()
	defer stop()
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	var lastDigest time.Time
	for {
		if x.join == nil && !s.member(x.peer) {
			s.log.Warn("peer is no longer a member; closing", "device", short(x.peer))
			return
		}
		if x.join == nil {
			s.beat(ctx)
		}
		peerVec := x.peerVector()
		b, err := s.db.ChangesAfter(ctx, x.sendVector(time.Now()), s.cfg.BatchSize)
		if err != nil {
			s.log.Error("sync: read changes", "err", err)
			return
		}
		if len(b) > 0 {
			if !x.sendBatch(ctx, b) {
				return
			}
			continue
		}
		if time.Since(lastDigest) >= s.cfg.DigestGap && x.join == nil {
			if mine, err := s.db.Vector(ctx); err == nil && mine.Missing(peerVec) == 0 && peerVec.Missing(mine) == 0 {
				// The vector sent is the one the digest was taken at.
				if at, d, err := s.db.VectorAndDigest(ctx); err == nil && at.Missing(peerVec) == 0 && peerVec.Missing(at) == 0 {
					lastDigest = time.Now()
					if x.w.send(frame{Digest: &digestCheck{Vector: at, Digest: d}}) != nil {
						return
					}
				}
			}
		}
		select {
		case <-commits:
		case <-tick.C:
		case <-x.closed:
			return
		case <-ctx.Done():
			return
		}
	}
}

// sendBatch sends one batch and waits for its acknowledgement.
func (x *session) sendBatch(ctx context.Context, b []store.Change) bool {
	before := x.peerVector()
	if err := x.w.send(frame{Batch: &batch{Changes: b}}); err != nil {
		return false
	}
	timer := time.NewTimer(ackTimeout)
	defer timer.Stop()
	select {
	case a := <-x.acks:
		v := x.learn(a.Vector)
		held := x.skipStreams(a.HeldBack, v)
		x.s.mu.Lock()
		p := x.s.peer(x.peer)
		was := len(p.heldThere)
		p.vector, p.heldThere = v, held
		x.s.mu.Unlock()
		if was != len(held) {
			x.s.statusChanged()
		}
		switch {
		case a.Error != "":
			sleep(ctx, 5*time.Second) // the peer logged why; do not spin
		case batchVector(b).Missing(before) > 0 && batchVector(b).Missing(v) == batchVector(b).Missing(before):
			// The peer took none of it (it waits for changes it lacks);
			// they will come, from here or another peer: do not spin.
			sleep(ctx, time.Second)
		}
		return true
	case <-timer.C:
		x.s.log.Warn("peer did not acknowledge a batch", "device", short(x.peer))
		return false
	case <-x.closed:
		return false
	case <-ctx.Done():
		return false
	}
}

// recordReceived remembers, for the Devices screen, whether the peer's last
// batch was refused, and which streams it relayed are held back here until
// this machine holds the transaction that was held back (have).
func (x *session) recordReceived(refused bool, held []store.HeldBack, have store.Vector) {
	s := x.s
	s.mu.Lock()
	p := s.peer(x.peer)
	was := p.refused || len(p.heldHere) > 0
	p.refused = refused
	if p.heldHere == nil {
		p.heldHere = map[string]store.HeldBack{}
	}
	for _, h := range held {
		p.heldHere[h.Stream] = h
	}
	for stream, h := range p.heldHere {
		if have[stream] >= h.Seq {
			delete(p.heldHere, stream)
		}
	}
	now := p.refused || len(p.heldHere) > 0
	s.mu.Unlock()
	if was != now {
		s.statusChanged()
	}
}

// checkDigest compares digests when both sides hold the same changes.
func (x *session) checkDigest(ctx context.Context, d digestCheck) {
	s := x.s
	mine, got, err := s.db.VectorAndDigest(ctx)
	if err != nil || mine.Missing(d.Vector) != 0 || d.Vector.Missing(mine) != 0 {
		return // one side moved on since; the next check will tell
	}
	state := "match"
	if got != d.Digest {
		state = "mismatch"
		s.log.Error("replicated data differs from a peer's with the same changes", "device", short(x.peer))
	}
	s.mu.Lock()
	s.peer(x.peer).digest = state
	s.mu.Unlock()
}

func (j *joinProgress) report() {
	if j.progress != nil {
		j.progress(j.done, j.total)
	}
}

// caughtUp reports (and remembers) whether v holds everything the host
// held at hello.
func (j *joinProgress) caughtUp(v store.Vector) bool {
	if j.target.Missing(v) == 0 {
		j.complete = true
	}
	return j.complete
}
