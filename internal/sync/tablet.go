package sync

// Check-in tablets. A tablet pairs with a code like an office computer,
// but as a tablet: it is recorded in `tablets`, not `devices`, so it is
// never a member. It receives the practice's intake public key and
// nothing else; afterwards it may only deliver sealed submissions and ask
// whether a patient has been sent to it. Any other frame from a tablet —
// a hello, a batch, a digest, a pairing request — ends the connection
// before this machine sends a byte of application data.

import (
	"context"
	"crypto/hmac"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// TabletDesk is what an office machine does for its tablets; the intake
// area provides it (internal/wiring).
type TabletDesk interface {
	// IntakeKey returns the intake public key tablets seal to, making the
	// pair if the practice has none (which needs the practice key).
	IntakeKey(ctx context.Context) (keyID string, public []byte, err error)
	// Deliver keeps a sealed submission; a redelivery of the same id is
	// accepted and changes nothing.
	Deliver(ctx context.Context, e store.Envelope) error
	// Work returns what the tablet should show next (a patient sent to
	// it), or nil when nothing waits.
	Work(ctx context.Context, tabletID string) ([]byte, error)
	// StartByCode returns the visit whose check-in code and date of birth
	// a patient typed on the tablet, the same a poll carries, or an error
	// to show (a refusal never says which part was wrong).
	StartByCode(ctx context.Context, tabletID, code, dob string) ([]byte, error)
	// StaffExit checks the staff login typed on the tablet to let staff
	// out of its full-screen window; an error says why not.
	StaffExit(ctx context.Context, tabletID, username, password string) error
}

// tabletPair is a tablet's pairing request: its label and proof of the code.
type tabletPair struct {
	Name  string
	Proof []byte
}

// tabletPaired answers it: the host's proof, the practice and the intake
// public key — all a tablet ever holds of the practice.
type tabletPaired struct {
	Proof      []byte
	PracticeID string
	KeyID      string
	IntakeKey  []byte
	Error      string
}

// tabletDeliver carries one sealed submission.
type tabletDeliver struct {
	ID     string
	KeyID  string
	Sealed []byte
}

// tabletAck answers a delivery: kept (Error empty) or why not.
type tabletAck struct {
	ID    string
	Error string
}

// tabletPoll asks for work; tabletWork answers (Work nil: none).
type tabletPoll struct {
	Ask bool // gob sends no struct without a field
}

type tabletWork struct {
	Work  []byte
	Error string
}

// tabletCheckIn carries what a patient typed to start their session: a
// check-in code and their date of birth. tabletStart answers it with the
// visit, or with an error to show (Fields per input, as typed wrong).
type tabletCheckIn struct {
	Code string
	DOB  string
}

type tabletStart struct {
	Work    []byte
	Code    string
	Message string
	Fields  map[string]string
}

// tabletStaff carries the staff login typed on the tablet to leave its
// full-screen window; tabletLeave answers it (Code empty: it may).
type tabletStaff struct {
	Username string
	Password string
}

type tabletLeave struct {
	Code    string
	Message string
}

// maxTabletFrame bounds what a tablet may send: a packet's answers and a
// few drawn signatures.
const maxTabletFrame = 8 << 20

// tabletIdle is how long a tablet's connection may stay silent.
const tabletIdle = 2 * time.Minute

// serveTablet answers a paired tablet's deliveries, polls and check-ins, and drops
// the connection at the first frame of any other kind, before sending
// anything: a tablet never replicates.
func (s *Service) serveTablet(w *wire, peer string) {
	w.limit.max = maxTabletFrame
	for {
		f, err := w.recv(tabletIdle)
		if err != nil {
			return
		}
		switch {
		case f.TabletDeliver != nil:
			d := f.TabletDeliver
			ack := tabletAck{ID: d.ID}
			err := s.cfg.Desk.Deliver(s.ctx, store.Envelope{ID: d.ID, TabletID: peer, KeyID: d.KeyID, ReceivedAt: s.cfg.Now(), Sealed: d.Sealed})
			if err != nil {
				s.log.Error("tablet delivery not kept", "device", short(peer), "err", err)
				ack.Error = practice.ErrorMessage(err)
			}
			if w.send(frame{TabletAck: &ack}) != nil {
				return
			}
		case f.TabletPoll != nil:
			work, err := s.cfg.Desk.Work(s.ctx, peer)
			answer := tabletWork{Work: work}
			if err != nil {
				answer.Error = practice.ErrorMessage(err)
			}
			if w.send(frame{TabletWork: &answer}) != nil {
				return
			}
		case f.TabletCheckIn != nil:
			// What the patient typed is not logged: the date of birth is theirs.
			work, err := s.cfg.Desk.StartByCode(s.ctx, peer, f.TabletCheckIn.Code, f.TabletCheckIn.DOB)
			answer := tabletStart{Work: work}
			if err != nil {
				answer.Code, answer.Message = practice.ErrorCode(err), practice.ErrorMessage(err)
				var e *practice.Error
				if errors.As(err, &e) {
					answer.Fields = e.Fields
				}
			}
			if w.send(frame{TabletStart: &answer}) != nil {
				return
			}
		case f.TabletStaff != nil:
			// Neither the username nor the password is logged.
			var answer tabletLeave
			if err := s.cfg.Desk.StaffExit(s.ctx, peer, f.TabletStaff.Username, f.TabletStaff.Password); err != nil {
				answer.Code, answer.Message = practice.ErrorCode(err), practice.ErrorMessage(err)
			}
			if w.send(frame{TabletLeave: &answer}) != nil {
				return
			}
		default:
			s.refuse(peer, "a tablet asked for more than delivering", nil)
			return
		}
	}
}

// hostTabletPairing pairs a tablet that proved the open window's code:
// it is recorded as a tablet and given the intake public key.
func (s *Service) hostTabletPairing(conn *tls.Conn, w *wire, peer string, req *tabletPair) {
	exporter, err := exportKey(conn)
	if err != nil {
		return
	}
	if s.cfg.Desk == nil {
		w.send(frame{TabletPaired: &tabletPaired{Error: "This machine does not take check-in tablets."}})
		return
	}
	code, problem := s.proveCode(peer, req.Proof, exporter)
	if problem != "" {
		w.send(frame{TabletPaired: &tabletPaired{Error: problem}})
		return
	}
	keyID, public, err := s.cfg.Desk.IntakeKey(s.ctx)
	if err != nil {
		s.log.Error("tablet pairing: no intake key", "err", err)
		w.send(frame{TabletPaired: &tabletPaired{Error: "The office computer could not give the tablet its key: log in there and pair again."}})
		return
	}
	cert := conn.ConnectionState().PeerCertificates[0].Raw
	if err := s.db.UpdateWithoutKey(s.ctx, func(tx *store.Tx) error { return tx.AddTablet(peer, req.Name, cert) }); err != nil {
		s.log.Error("tablet pairing: adding the tablet failed", "err", err)
		return
	}
	s.log.Info("tablet paired", "device", short(peer))
	w.send(frame{TabletPaired: &tabletPaired{Proof: pairingProof(code, proofHost, exporter), PracticeID: s.db.PracticeID(), KeyID: keyID, IntakeKey: public}})
}

// TabletLink is everything a tablet keeps of the practice: where its
// office computer is, that computer's pinned certificate, and the intake
// public key. No practice key, no data.
type TabletLink struct {
	Address    string `json:"address"`
	HostID     string `json:"hostId"`
	PracticeID string `json:"practiceId"`
	KeyID      string `json:"keyId"`
	IntakeKey  []byte `json:"intakeKey"`
}

// unanswered is what a tablet is told when the office hung up on its
// pairing request: most often no pairing window is open there.
const unanswered = "The office computer ended the connection without answering the code. On the office computer, open Settings → Devices → Pair a new computer, and type the code it shows then."

// PairTablet pairs this tablet (identity id) with the office computer at
// address whose pairing window shows code.
//
// Errors: EInvalid (the code is not shaped like one), EWrongPassword (the
// computer refused the code), EUnavailable (unreachable, or it did not
// prove the code).
func PairTablet(ctx context.Context, id Identity, name, address, typed string) (TabletLink, error) {
	code, err := normalizeCode(typed)
	if err != nil {
		return TabletLink{}, &practice.Error{Code: practice.EInvalid, Message: "Please check the pairing code.",
			Fields: map[string]string{"code": "A pairing code is 15 letters and digits, as shown on the office computer."}}
	}
	var hostID string
	conn, err := dialTablet(ctx, id, address, func(peer string) error { hostID = peer; return nil })
	if err != nil {
		return TabletLink{}, practice.Errorf(practice.EUnavailable, "Nothing answered at %s. Check the address and that the pairing window is open.", address)
	}
	defer conn.Close()
	exporter, err := exportKey(conn)
	if err != nil {
		return TabletLink{}, err
	}
	w := newWire(conn, nil)
	w.limit.max = maxPairingFrame
	if err := w.send(frame{TabletPair: &tabletPair{Name: name, Proof: pairingProof(code, proofJoin, exporter)}}); err != nil {
		return TabletLink{}, practice.Errorf(practice.EUnavailable, unanswered)
	}
	f, err := w.recv(pairingTimeout)
	if err != nil || f.TabletPaired == nil {
		return TabletLink{}, practice.Errorf(practice.EUnavailable, unanswered)
	}
	p := f.TabletPaired
	if p.Error != "" {
		return TabletLink{}, practice.Errorf(practice.EWrongPassword, "%s", p.Error)
	}
	if !hmac.Equal(p.Proof, pairingProof(code, proofHost, exporter)) {
		return TabletLink{}, practice.Errorf(practice.EUnavailable, "The computer at %s did not prove it knows the code; it may not be the practice's.", address)
	}
	return TabletLink{Address: address, HostID: hostID, PracticeID: p.PracticeID, KeyID: p.KeyID, IntakeKey: p.IntakeKey}, nil
}

// dialTablet connects to an office computer with the tablet's identity;
// check decides on the computer's certificate.
func dialTablet(ctx context.Context, id Identity, address string, check func(id string) error) (*tls.Conn, error) {
	d := &tls.Dialer{NetDialer: &net.Dialer{Timeout: 5 * time.Second}, Config: dialTLS(id, check)}
	c, err := d.DialContext(ctx, "tcp", address)
	if err != nil {
		return nil, err
	}
	return c.(*tls.Conn), nil
}

// errNotHost refuses a server that is not the computer the tablet paired with.
var errNotHost = errors.New("sync: not the office computer this tablet paired with")

// open dials the paired office computer, pinned by its certificate.
func (l TabletLink) open(ctx context.Context, id Identity) (*wire, func(), error) {
	conn, err := dialTablet(ctx, id, l.Address, func(peer string) error {
		if peer != l.HostID {
			return errNotHost
		}
		return nil
	})
	if err != nil {
		return nil, nil, practice.Errorf(practice.EUnavailable, "The office computer cannot be reached.")
	}
	return newWire(conn, nil), func() { conn.Close() }, nil
}

// Deliver sends one sealed submission and waits for the office computer
// to keep it. Errors: EUnavailable (unreachable, or it did not keep it).
func (l TabletLink) Deliver(ctx context.Context, id Identity, submissionID string, sealed []byte) error {
	w, done, err := l.open(ctx, id)
	if err != nil {
		return err
	}
	defer done()
	if err := w.send(frame{TabletDeliver: &tabletDeliver{ID: submissionID, KeyID: l.KeyID, Sealed: sealed}}); err != nil {
		return practice.Errorf(practice.EUnavailable, "The office computer ended the connection.")
	}
	f, err := w.recv(30 * time.Second)
	if err != nil || f.TabletAck == nil || f.TabletAck.ID != submissionID {
		return practice.Errorf(practice.EUnavailable, "The office computer did not confirm it kept the answers.")
	}
	if f.TabletAck.Error != "" {
		return practice.Errorf(practice.EUnavailable, "%s", f.TabletAck.Error)
	}
	return nil
}

// Poll asks the office computer whether a patient was sent to this
// tablet: nil when none. Errors: EUnavailable.
func (l TabletLink) Poll(ctx context.Context, id Identity) ([]byte, error) {
	w, done, err := l.open(ctx, id)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := w.send(frame{TabletPoll: &tabletPoll{Ask: true}}); err != nil {
		return nil, practice.Errorf(practice.EUnavailable, "The office computer ended the connection.")
	}
	f, err := w.recv(30 * time.Second)
	if err != nil || f.TabletWork == nil {
		return nil, practice.Errorf(practice.EUnavailable, "The office computer did not answer.")
	}
	if f.TabletWork.Error != "" {
		return nil, practice.Errorf(practice.EUnavailable, "%s", f.TabletWork.Error)
	}
	return f.TabletWork.Work, nil
}

// CheckIn sends the check-in code and date of birth a patient typed and
// returns the visit to start. Errors: those of TabletDesk.StartByCode as
// the office computer gave them (EInvalid with "code" and "dob",
// EWrongPassword), EUnavailable.
func (l TabletLink) CheckIn(ctx context.Context, id Identity, code, dob string) ([]byte, error) {
	w, done, err := l.open(ctx, id)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := w.send(frame{TabletCheckIn: &tabletCheckIn{Code: code, DOB: dob}}); err != nil {
		return nil, practice.Errorf(practice.EUnavailable, "The office computer ended the connection.")
	}
	f, err := w.recv(30 * time.Second)
	if err != nil || f.TabletStart == nil {
		return nil, practice.Errorf(practice.EUnavailable, "The office computer did not answer.")
	}
	if a := f.TabletStart; a.Code != "" {
		return nil, &practice.Error{Code: a.Code, Message: a.Message, Fields: a.Fields}
	}
	return f.TabletStart.Work, nil
}

// StaffExit asks the office computer whether the staff login typed on the
// tablet lets staff out of its window. Errors: those of
// TabletDesk.StaffExit as the office computer gave them
// (EWrongPassword, EForbidden), EUnavailable.
func (l TabletLink) StaffExit(ctx context.Context, id Identity, username, password string) error {
	w, done, err := l.open(ctx, id)
	if err != nil {
		return err
	}
	defer done()
	if err := w.send(frame{TabletStaff: &tabletStaff{Username: username, Password: password}}); err != nil {
		return practice.Errorf(practice.EUnavailable, "The office computer ended the connection.")
	}
	// The office may hold the answer back while failed tries earn a wait.
	f, err := w.recv(time.Minute)
	if err != nil || f.TabletLeave == nil {
		return practice.Errorf(practice.EUnavailable, "The office computer did not answer.")
	}
	if a := f.TabletLeave; a.Code != "" {
		return &practice.Error{Code: a.Code, Message: a.Message}
	}
	return nil
}
