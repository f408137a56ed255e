package app

import (
	"context"
	"encoding/json"
	"log/slog"
	gosync "sync"
	"time"

	"quietdesk/internal/intake"
	"quietdesk/internal/kiosk"
	"quietdesk/internal/practice"
	lansync "quietdesk/internal/sync"
)

// Tablet is the window of a check-in tablet (`quietdesk --tablet`): it
// pairs with an office computer, waits for a patient sent to it or for a
// patient's check-in code, and seals what the patient submits to the
// practice's intake key. It holds no practice key and no account, so it
// has no session: what it may do is what the office computer answers.
// In an office computer's window it is bound too (one set of bindings)
// but says it is not a tablet and does nothing else.
type Tablet struct {
	kiosk *kiosk.Tablet // nil: this window is an office computer's
	log   *slog.Logger

	mu      gosync.Mutex
	visit   *intake.Visit          // the patient's visit on screen, to check their answers against
	leaving bool                   // staff logged in to leave: the window may close
	quit    func()                 // closes the window (main.go)
	heard   func() []lansync.Found // office computers heard on the beacon
}

// NewTablet returns the tablet facade over k (nil in an office computer's
// window); quit closes the window once staff logged in to leave, heard
// lists the office computers heard on the network (nil: none listened for).
func NewTablet(k *kiosk.Tablet, log *slog.Logger, quit func(), heard func() []lansync.Found) *Tablet {
	if log == nil {
		log = slog.Default()
	}
	return &Tablet{kiosk: k, log: log, quit: quit, heard: heard}
}

// TabletStatus is what the tablet's window starts from.
type TabletStatus struct {
	// Tablet is false in an office computer's window.
	Tablet bool `json:"tablet"`
	// Paired: the tablet has an office computer to work with.
	Paired bool `json:"paired"`
	// Waiting counts sealed submissions not yet delivered.
	Waiting int `json:"waiting"`
}

// Status says whether this window is a tablet's, and whether it is paired.
func (x *Tablet) Status() (TabletStatus, error) {
	if x.kiosk == nil {
		return TabletStatus{}, nil
	}
	waiting, err := x.kiosk.Pending()
	if err != nil {
		return TabletStatus{}, x.fail(err)
	}
	return TabletStatus{Tablet: true, Paired: x.kiosk.Paired(), Waiting: len(waiting)}, nil
}

// Nearby lists the Quietdesk computers heard on this network, for the
// pairing screen (a hint: any address can be typed).
func (x *Tablet) Nearby() ([]DiscoveredDevice, error) {
	out := []DiscoveredDevice{}
	if x.heard == nil {
		return out, nil
	}
	for _, f := range x.heard() {
		out = append(out, DiscoveredDevice{DeviceID: f.DeviceID, Address: f.Address, Seen: timeString(f.Seen)})
	}
	return out, nil
}

// Pair pairs the tablet with the office computer at address that shows
// code (Settings → Devices → Pair a new computer). The tablet receives the
// practice's intake public key, and nothing else of the practice.
// Errors: EInvalid ("address", "code"), EConflict (already paired),
// EWrongPassword (the code), EUnavailable.
func (x *Tablet) Pair(name, address, code string) error {
	if err := x.ready(false); err != nil {
		return err
	}
	if x.kiosk.Paired() {
		return x.fail(practice.Errorf(practice.EConflict, "This tablet is already paired."))
	}
	p := practice.Problems{}
	if address == "" {
		p.Add("address", "Type the office computer's address, as its Devices screen shows it.")
	}
	if code == "" {
		p.Add("code", "Type the pairing code the office computer shows.")
	}
	if err := p.Err(); err != nil {
		return x.fail(err)
	}
	if name == "" {
		name = "Check-in tablet"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return x.fail(x.kiosk.Pair(ctx, name, address, code))
}

// Next asks the office computer whether the front desk sent a patient to
// this tablet; nil when none. The visit stays in memory only.
// Errors: EUnavailable (the office does not answer).
func (x *Tablet) Next() (*intake.Visit, error) {
	if err := x.ready(true); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := x.kiosk.Poll(ctx)
	if err != nil || b == nil {
		return nil, x.fail(err)
	}
	return x.start(b)
}

// CheckIn starts the visit whose check-in code and date of birth the
// patient typed; neither is kept. Errors: EInvalid ("code", "dob"),
// EWrongPassword (refused, without saying which part), EUnavailable.
func (x *Tablet) CheckIn(code, dob string) (*intake.Visit, error) {
	if err := x.ready(true); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := x.kiosk.CheckIn(ctx, code, dob)
	if err != nil {
		return nil, x.fail(err)
	}
	return x.start(b)
}

// start keeps the visit the office sent, to check the answers against.
func (x *Tablet) start(b []byte) (*intake.Visit, error) {
	var v intake.Visit
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, x.fail(practice.Errorf(practice.EUnavailable, "The office computer sent something this tablet cannot read. Is it running the same version of Quietdesk?"))
	}
	x.mu.Lock()
	x.visit = &v
	x.mu.Unlock()
	return &v, nil
}

// Submit checks the patient's answers against their visit, seals them to
// the practice's intake key and delivers them, or keeps them sealed until
// the office answers (Deliver). The patient is told whether someone will
// come, never a score. Errors: EInvalid (per question, as the office's
// check), EConflict (no visit on screen).
func (x *Tablet) Submit(s practice.Submission) (SubmitResult, error) {
	if err := x.ready(true); err != nil {
		return SubmitResult{}, err
	}
	x.mu.Lock()
	v := x.visit
	x.mu.Unlock()
	if v == nil {
		return SubmitResult{}, x.fail(practice.Errorf(practice.EConflict, "This tablet has no visit open. Please ask the front desk."))
	}
	if err := intake.CheckVisit(*v, &s, time.Now()); err != nil {
		return SubmitResult{}, x.fail(err)
	}
	// Scored here only to know what to tell the patient: the office scores
	// what arrives, and the sealed submission carries no scores.
	scored := practice.Submission{Scores: intake.Score(s.Forms)}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if _, err := x.kiosk.Submit(ctx, s); err != nil {
		return SubmitResult{}, x.fail(err)
	}
	x.End()
	return SubmitResult{ID: s.ID, New: true, SomeoneWillCome: scored.Flagged()}, nil
}

// End forgets the visit on screen: the patient finished, walked away, or
// the tablet was idle.
func (x *Tablet) End() {
	x.mu.Lock()
	x.visit = nil
	x.mu.Unlock()
}

// Leave closes the tablet's full-screen window when the login typed is a
// staff member's, as the office computer checks it. Before pairing there
// is no office to ask and nothing of a patient on the tablet: it closes.
// Errors: EWrongPassword, EForbidden, EUnavailable.
func (x *Tablet) Leave(username, password string) error {
	if err := x.ready(false); err != nil {
		return err
	}
	if x.kiosk.Paired() {
		if username == "" || password == "" {
			return x.fail(practice.Errorf(practice.EWrongPassword, "Type a staff username and password."))
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := x.kiosk.StaffExit(ctx, username, password); err != nil {
			return x.fail(err)
		}
	}
	x.End()
	x.mu.Lock()
	x.leaving = true
	x.mu.Unlock()
	if x.quit != nil {
		x.quit()
	}
	return nil
}

// MayClose reports whether the window may close: only after Leave, in a
// tablet's window (main.go asks before closing).
func (x *Tablet) MayClose() bool {
	if x.kiosk == nil {
		return true
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.leaving
}

// ready refuses in an office computer's window, and before pairing when
// paired is needed.
func (x *Tablet) ready(paired bool) error {
	if x.kiosk == nil {
		return x.fail(practice.Errorf(practice.EForbidden, "This computer is not a check-in tablet."))
	}
	if paired && !x.kiosk.Paired() {
		return x.fail(practice.Errorf(practice.EUnavailable, "This tablet is not paired with an office computer yet."))
	}
	return nil
}

// fail logs internal errors (never what a patient typed: the errors here
// come from the link and the outbox) and shapes every error for the window.
func (x *Tablet) fail(err error) error {
	if err == nil {
		return nil
	}
	if practice.ErrorCode(err) == practice.EInternal {
		x.log.Error("tablet", "err", err)
	}
	return newUIError(err)
}
