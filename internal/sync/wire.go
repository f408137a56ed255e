package sync

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"net"
	gosync "sync"
	"time"

	"quietdesk/internal/store"
)

// frame is one message on a sync connection; exactly one field is set.
// Frames are gob-encoded back to back over the TLS connection (gob
// delimits them itself).
type frame struct {
	Hello       *hello
	Batch       *batch
	Ack         *ack
	Digest      *digestCheck
	PairRequest *pairRequest
	PairResult  *pairResult
	Snapshot    *snapshotChunk
	PairDone    *pairDone
	Removed     *removedNotice
	// Unlocking a hub from an office computer's window (unlock.go).
	HubUnlock   *hubUnlock
	HubUnlocked *hubUnlocked
	KeyState    *keyState
	// A check-in tablet's frames (tablet.go).
	TabletPair    *tabletPair
	TabletPaired  *tabletPaired
	TabletDeliver *tabletDeliver
	TabletAck     *tabletAck
	TabletPoll    *tabletPoll
	TabletWork    *tabletWork
	TabletCheckIn *tabletCheckIn
	TabletStart   *tabletStart
	TabletStaff   *tabletStaff
	TabletLeave   *tabletLeave
}

// removedNotice tells a device that calls after it was removed from the
// practice, so it stops calling and says so, instead of redialling a
// refusal forever.
type removedNotice struct {
	By string // the name of the machine that says so
}

// hello opens a replication session: who is speaking, what it holds, and
// its wall clock when it sent the frame, for the offset estimate.
type hello struct {
	DeviceID   string
	PracticeID string
	Vector     store.Vector
	ClockMS    int64
	// Origin is the sender's name in the change log, so the Devices
	// screen can say which machine wrote a change that is stuck.
	Origin string
	// Hub: the sender is a hub an office computer may unlock; KeyLoaded:
	// it holds the practice key now (a hub without it sends no e-mail).
	Hub       bool
	KeyLoaded bool
}

// batch is a run of changes the receiver lacks, applied atomically.
type batch struct {
	Changes []store.Change
}

// ack answers a batch with the receiver's vector after applying it: the
// sender continues from there, resending whatever was not applied.
type ack struct {
	Vector store.Vector
	Error  string // the batch was refused (logged on both sides)
	// HeldBack names the streams (origin/epoch) one of whose transactions
	// the receiver cannot take; the sender stops sending them for a while
	// so they do not crowd every batch (store.HeldBack).
	HeldBack []string
}

// digestCheck carries the sender's digest when it believes both sides hold
// the same changes; the receiver compares if its vector is the same.
type digestCheck struct {
	Vector store.Vector
	Digest string
}

// pairRequest is the joining device's first frame: its label and its
// proof of the code.
type pairRequest struct {
	Name  string
	Proof []byte
	// WantSnapshot: the new device holds nothing yet and asks for a copy
	// of the database instead of replaying the whole change log.
	WantSnapshot bool
}

// pairResult answers a pairRequest: the host's proof and the practice, or
// why not.
type pairResult struct {
	Proof      []byte
	PracticeID string
	Error      string
}

// pairDone is the joining device's word that it now holds the practice
// (the copy is installed, or it already held it): only then does the host
// add it to the membership, so a join that dies on the way leaves no
// member behind and can simply be tried again.
type pairDone struct {
	PracticeID string
}

// snapshotChunk is one piece of a database copy sent to a new device,
// after a successful pairing, before the replication session.
type snapshotChunk struct {
	Size  int64 // the whole copy, in bytes (every chunk says it)
	Data  []byte
	Last  bool
	Error string // the host could not make a copy: replay instead
}

// wire encodes and decodes frames on one connection; Send is safe from
// several goroutines.
type wire struct {
	conn  net.Conn
	mu    gosync.Mutex
	enc   *gob.Encoder
	dec   *gob.Decoder
	limit *sizeLimit
	next  *frame // read ahead by unread, returned by the next recv
}

// Frame size limits, checked from each gob message's length prefix before
// its body is read: a peer announcing a huge frame is dropped at once
// instead of making this machine allocate it. A paired device's batches
// (2000 changes) and snapshot chunks stay far below maxFrame; a device that
// is not a member yet gets only the pairing exchange, whose frames are a
// name and a proof.
const (
	maxFrame        = 64 << 20
	maxPairingFrame = 16 << 10
)

func newWire(conn net.Conn, tap io.Writer) *wire {
	var w io.Writer = conn
	if tap != nil {
		// The tap first: by the time the peer holds a byte, the tap has
		// it, so a test that reads the tap after the peer's answer (or
		// before the next exchange) sees all that was sent, no more.
		w = io.MultiWriter(tap, conn)
	}
	limit := &sizeLimit{r: conn, max: maxFrame}
	return &wire{conn: conn, enc: gob.NewEncoder(w), dec: gob.NewDecoder(limit), limit: limit}
}

// errFrameTooBig ends a connection whose peer announced a frame over the limit.
var errFrameTooBig = errors.New("sync: the peer announced a frame over the size limit")

// sizeLimit passes a gob stream through, reading each message's length
// (gob's unsigned integer: one byte below 0x80, else a negated byte count
// and that many big-endian bytes) and refusing one longer than max before
// any of its body is read.
type sizeLimit struct {
	r       io.Reader
	max     uint64
	body    uint64 // bytes of the current message still to pass
	pending []byte // length bytes read but not yet passed on
}

func (l *sizeLimit) Read(p []byte) (int, error) {
	if len(l.pending) == 0 && l.body == 0 {
		if err := l.readLength(); err != nil {
			return 0, err
		}
	}
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	n, err := l.r.Read(p[:min(uint64(len(p)), l.body)])
	l.body -= uint64(n)
	return n, err
}

func (l *sizeLimit) readLength() error {
	var first [1]byte
	if _, err := io.ReadFull(l.r, first[:]); err != nil {
		return err
	}
	l.pending = append(l.pending[:0], first[0])
	n := uint64(first[0])
	if first[0] >= 0x80 {
		k := int(-int8(first[0]))
		if k < 1 || k > 8 {
			return errFrameTooBig
		}
		var buf [8]byte
		if _, err := io.ReadFull(l.r, buf[:k]); err != nil {
			return err
		}
		n = 0
		for _, b := range buf[:k] {
			n = n<<8 | uint64(b)
		}
		l.pending = append(l.pending, buf[:k]...)
	}
	if n > l.max {
		return errFrameTooBig
	}
	l.body = n
	return nil
}

// writeTimeout bounds a stalled peer: a send that cannot complete in it
// ends the session (and frees its goroutines).
const writeTimeout = 30 * time.Second

func (w *wire) send(f frame) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := w.enc.Encode(f); err != nil {
		return fmt.Errorf("sync: send: %w", err)
	}
	return nil
}

// unread makes f the next frame recv returns (a peek at a connection's
// first frame).
func (w *wire) unread(f frame) { w.next = &f }

// recv reads the next frame, waiting at most timeout (0: no limit).
func (w *wire) recv(timeout time.Duration) (frame, error) {
	if f := w.next; f != nil {
		w.next = nil
		return *f, nil
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	w.conn.SetReadDeadline(deadline)
	var f frame
	if err := w.dec.Decode(&f); err != nil {
		return frame{}, fmt.Errorf("sync: receive: %w", err)
	}
	return f, nil
}
