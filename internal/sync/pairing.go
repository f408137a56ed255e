package sync

import (
	"context"
	"crypto/hmac"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// PairingTTL is how long a pairing code is valid.
const PairingTTL = 5 * time.Minute

// maxPairingTries wrong codes close the window.
const maxPairingTries = 3

// pairingWindow is an open invitation to join: one code, one use.
type pairingWindow struct {
	code    string // normalized
	expires time.Time
	tries   int
}

func (w *pairingWindow) open(now time.Time) bool { return w != nil && now.Before(w.expires) }

// Pairing is an open pairing window as shown to the person pairing.
type Pairing struct {
	Code    string    // grouped for typing, e.g. "7QX2M-K9D4B-1TZ8C"
	Expires time.Time // the code stops working then, or at its first use
}

// OpenPairing opens a pairing window with a fresh code, replacing any open
// one. The service must be listening.
func (s *Service) OpenPairing(ctx context.Context) (Pairing, error) {
	if s.Addr() == "" {
		return Pairing{}, practice.Errorf(practice.EConflict, "Sync is not running on this machine, so it cannot pair.")
	}
	if err := s.ensureSelf(ctx); err != nil {
		return Pairing{}, err
	}
	code, err := newPairingCode()
	if err != nil {
		return Pairing{}, err
	}
	norm, _ := normalizeCode(code)
	p := Pairing{Code: code, Expires: s.cfg.Now().Add(PairingTTL)}
	s.mu.Lock()
	s.pairing = &pairingWindow{code: norm, expires: p.Expires}
	s.mu.Unlock()
	s.log.Info("pairing window opened", "until", p.Expires.UTC().Format(time.RFC3339))
	return p, nil
}

// ClosePairing closes the pairing window.
func (s *Service) ClosePairing() {
	s.mu.Lock()
	s.pairing = nil
	s.mu.Unlock()
}

func (s *Service) pairingOpen() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pairing.open(s.cfg.Now())
}

// pairingTimeout bounds the exchange of proofs.
const pairingTimeout = 30 * time.Second

// installTimeout bounds how long a new device may take to check and
// install the copy before it confirms.
const installTimeout = 5 * time.Minute

// hostPairing runs the host side of pairing on a connection from a device
// that is not a member: it must prove the code over this very connection.
// On success the device joins the membership and the connection becomes
// its first replication session (the bootstrap).
func (s *Service) hostPairing(conn *tls.Conn, w *wire, peer string) {
	f, err := w.recv(pairingTimeout)
	if err == nil && f.TabletPair != nil {
		s.hostTabletPairing(conn, w, peer, f.TabletPair)
		return
	}
	if err != nil || f.PairRequest == nil {
		s.refuse(peer, "no pairing request", err)
		return
	}
	exporter, err := exportKey(conn)
	if err != nil {
		return
	}
	code, problem := s.proveCode(peer, f.PairRequest.Proof, exporter)
	if problem != "" {
		w.send(frame{PairResult: &pairResult{Error: problem}})
		return
	}
	// The code is proven: the copy may take longer than the pairing
	// deadline (each send and receive keeps its own).
	conn.SetDeadline(time.Time{})
	if err := w.send(frame{PairResult: &pairResult{Proof: pairingProof(code, proofHost, exporter), PracticeID: s.db.PracticeID()}}); err != nil {
		return
	}
	if f.PairRequest.WantSnapshot {
		if err := s.sendSnapshot(s.ctx, w); err != nil {
			return
		}
	}
	// Membership only once the device holds the practice: a join that
	// dies mid-copy, or a device holding another practice, leaves no
	// member behind.
	done, err := w.recv(installTimeout)
	if err != nil || done.PairDone == nil || done.PairDone.PracticeID != s.db.PracticeID() {
		s.log.Warn("pairing: the device did not take the practice; it was not added", "device", short(peer))
		return
	}
	cert := conn.ConnectionState().PeerCertificates[0].Raw
	if err := s.db.UpdateWithoutKey(s.ctx, func(tx *store.Tx) error {
		return tx.AddDevice(store.Device{ID: peer, Name: f.PairRequest.Name, Cert: cert})
	}); err != nil {
		s.log.Error("pairing: adding the device failed", "err", err)
		return
	}
	s.log.Info("device paired", "device", short(peer))
	// A member now: a member's limits.
	w.limit.max = maxFrame
	s.runSession(w, peer, peer, conn.RemoteAddr().String(), nil)
	if s.cfg.OnJoined != nil {
		s.cfg.OnJoined(peer)
	}
}

// proveCode checks a joining device's proof of the open window's code,
// bound to this connection's exporter, and closes the window: at once on
// success (single use), after maxPairingTries wrong proofs. It returns
// the code, or what to tell the device.
func (s *Service) proveCode(peer string, proof, exporter []byte) (code, problem string) {
	s.mu.Lock()
	win := s.pairing
	if !win.open(s.cfg.Now()) {
		s.mu.Unlock()
		return "", "No pairing window is open on that machine."
	}
	if !hmac.Equal(proof, pairingProof(win.code, proofJoin, exporter)) {
		win.tries++
		closed := win.tries >= maxPairingTries
		if closed {
			s.pairing = nil
		}
		s.mu.Unlock()
		s.log.Warn("wrong pairing code", "device", short(peer), "window_closed", closed)
		if closed {
			s.statusChanged()
		}
		return "", "That pairing code is not right."
	}
	s.pairing = nil // single use
	s.mu.Unlock()
	s.statusChanged()
	return win.code, ""
}

// JoinOptions are what a new machine needs to join a practice.
type JoinOptions struct {
	DB       *store.DB // empty: the practice is created in it as a replica
	Identity Identity
	Name     string
	Address  string // host:port of a paired machine with its pairing window open
	Code     string // as typed
	// Progress is called as the bootstrap advances: in PhaseCopy, bytes of
	// the database copy; in PhaseCatchUp, changes received of those the
	// host held when the session began.
	Progress   func(phase string, done, total int64)
	AfterApply store.AfterApply
	Logger     *slog.Logger
	Tap        io.Writer
}

// Join pairs this machine with a practice through one of its machines and
// copies the practice's data here. On return staff can log in here with
// their usual passwords; start a Service to keep syncing.
//
// Errors: EInvalid (the code is not shaped like one), EWrongPassword (the
// host refused the code), EUnavailable (the machine cannot be reached or
// did not prove the code), EConflict (this folder holds another practice).
func Join(ctx context.Context, opt JoinOptions) error {
	code, err := normalizeCode(opt.Code)
	if err != nil {
		return &practice.Error{Code: practice.EInvalid, Message: "Please check the pairing code.",
			Fields: map[string]string{"code": "A pairing code is 15 letters and digits, as shown on the other machine."}}
	}
	s := New(Config{DB: opt.DB, Identity: opt.Identity, Name: opt.Name, AfterApply: opt.AfterApply, Logger: opt.Logger, Tap: opt.Tap})
	s.ctx, s.cancel = context.WithCancel(ctx)
	defer s.Stop()
	unreachable := practice.Errorf(practice.EUnavailable,
		"Nothing answered at %s. Check the address and that the machine is on; if its pairing window closed (a code lasts 5 minutes), open a new one. Nothing was copied.", opt.Address)
	var hostID string
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: dialTLS(s.id, func(id string) error {
		hostID = id // unknown yet: the host proves itself with the code below
		return nil
	})}
	c, err := dialer.DialContext(ctx, "tcp", opt.Address)
	if err != nil {
		return unreachable
	}
	conn := c.(*tls.Conn)
	defer conn.Close()
	exporter, err := exportKey(conn)
	if err != nil {
		return unreachable
	}
	w := newWire(conn, s.cfg.Tap)
	wantSnapshot := !s.db.Exists()
	if err := w.send(frame{PairRequest: &pairRequest{Name: s.cfg.Name, Proof: pairingProof(code, proofJoin, exporter), WantSnapshot: wantSnapshot}}); err != nil {
		return unreachable
	}
	f, err := w.recv(pairingTimeout)
	if err != nil || f.PairResult == nil {
		return practice.Errorf(practice.EUnavailable, "The machine at %s ended the connection without answering the code. Open a new pairing window there and try again. Nothing was copied.", opt.Address)
	}
	if f.PairResult.Error != "" {
		return practice.Errorf(practice.EWrongPassword, "%s", f.PairResult.Error)
	}
	if !hmac.Equal(f.PairResult.Proof, pairingProof(code, proofHost, exporter)) {
		return practice.Errorf(practice.EUnavailable, "The machine at %s did not prove it knows the code; it may not be yours. Nothing was copied.", opt.Address)
	}
	switch {
	case wantSnapshot:
		r := &snapshotReader{w: w, progress: opt.Progress}
		err := s.db.InstallSnapshot(ctx, f.PairResult.PracticeID, r)
		switch {
		case r.refused:
			// Replay everything instead.
			if err := s.db.CreateReplica(ctx, f.PairResult.PracticeID); err != nil {
				return err
			}
		case errors.As(err, new(*practice.Error)):
			return err // explained already: a foreign copy, a full disk
		case err != nil:
			s.log.Error("join: the database copy failed", "err", err)
			return practice.Errorf(practice.EUnavailable, "The copy of the practice's data was interrupted. Open a new pairing window and try again.")
		}
	case s.db.PracticeID() != f.PairResult.PracticeID:
		return practice.Errorf(practice.EConflict,
			"This data folder holds another practice, so it cannot join this one. Nothing was copied, and the other machine did not add this one; use an empty folder.")
	}
	// Now this machine holds the practice: the host makes it a member.
	if err := w.send(frame{PairDone: &pairDone{PracticeID: s.db.PracticeID()}}); err != nil {
		return practice.Errorf(practice.EUnavailable, "The connection ended just after the copy. The practice is here; join again with a new code to finish.")
	}
	if err := s.db.RememberAddress(ctx, store.PeerAddress{Address: opt.Address, DeviceID: hostID}); err != nil {
		return err
	}
	progress := func(done, total int64) {
		if opt.Progress != nil {
			opt.Progress(PhaseCatchUp, done, total)
		}
	}
	j := &joinProgress{progress: progress}
	if !s.runSession(w, hostID, s.id.ID, opt.Address, j) {
		if store.DiskFull(j.applyErr) {
			return practice.Errorf(practice.EInternal,
				"The practice is here, but the disk filled up while it took in the latest changes. Free some space; sync finishes it when it can.")
		}
		return practice.Errorf(practice.EUnavailable, "The connection ended before all the practice's data arrived. Sync will finish it when both machines are on.")
	}
	return nil
}

// exportKey is the connection's TLS exporter value the pairing proofs bind to.
func exportKey(conn *tls.Conn) ([]byte, error) {
	st := conn.ConnectionState()
	return st.ExportKeyingMaterial(exporterLabel, nil, 32)
}

// Join pairs this service's data folder, which holds no practice yet, with
// the machine at address; see the package-level Join. Start the service
// afterwards to keep syncing.
func (s *Service) Join(ctx context.Context, address, code string, progress func(phase string, done, total int64)) error {
	return Join(ctx, JoinOptions{DB: s.db, Identity: s.id, Name: s.cfg.Name, Address: address, Code: code,
		Progress: progress, AfterApply: s.cfg.AfterApply, Logger: s.log, Tap: s.cfg.Tap})
}
