// Package kiosk is the check-in tablet's side of intake. A tablet holds
// no practice key and no practice data: its data folder keeps its own TLS
// identity, the link to its office computer (address, pinned certificate,
// intake public key) and an outbox of submissions sealed to the intake
// key, which it can write and never read back. A submission is sealed the
// moment the patient submits, written to the outbox durably, delivered,
// and removed once the office computer confirms it kept it; the office
// recognises a redelivery by the submission's id, so a crash anywhere
// between sealing and removal delivers it exactly once.
package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	gosync "sync"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/private"
	lansync "quietdesk/internal/sync"
	"quietdesk/internal/vault"
)

// FolderName is the tablet's folder inside a data directory: a tablet
// never shares a folder (and so a TLS identity) with a practice.
const FolderName = "check-in-tablet"

// Files in a tablet's data folder.
const (
	LinkFile  = "tablet-link.json" // the pairing: no secret of the practice
	OutboxDir = "outbox"           // <submission id>.sealed, each HPKE-sealed
)

// Tablet is one tablet's data folder.
type Tablet struct {
	dir string
	id  lansync.Identity

	mu   gosync.Mutex // one delivery run at a time
	link *lansync.TabletLink
}

// Open opens (creating what is missing) a tablet's data folder.
func Open(dir string) (*Tablet, error) {
	for _, d := range []string{dir, filepath.Join(dir, OutboxDir)} {
		if err := private.Dir(d); err != nil {
			return nil, err
		}
	}
	id, err := lansync.LoadIdentity(dir)
	if err != nil {
		return nil, err
	}
	t := &Tablet{dir: dir, id: id}
	b, err := os.ReadFile(filepath.Join(dir, LinkFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		var l lansync.TabletLink
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("kiosk: %s is damaged: %w", LinkFile, err)
		}
		t.link = &l
	}
	return t, nil
}

// Paired reports whether the tablet is paired with an office computer.
func (t *Tablet) Paired() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.link != nil
}

// Pair pairs the tablet with the office computer at address showing code.
// Errors: those of sync.PairTablet.
func (t *Tablet) Pair(ctx context.Context, name, address, code string) error {
	link, err := lansync.PairTablet(ctx, t.id, name, address, code)
	if err != nil {
		return err
	}
	b, err := json.Marshal(link)
	if err != nil {
		return err
	}
	if err := writeDurably(filepath.Join(t.dir, LinkFile), b); err != nil {
		return err
	}
	t.mu.Lock()
	t.link = &link
	t.mu.Unlock()
	return nil
}

func (t *Tablet) currentLink() (lansync.TabletLink, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.link == nil {
		return lansync.TabletLink{}, practice.Errorf(practice.EUnavailable, "This tablet is not paired with an office computer yet.")
	}
	return *t.link, nil
}

// Submit seals a patient's submission to the intake key, keeps it in the
// outbox, and tries to deliver everything waiting there. It reports
// whether the submission reached the office computer now; one that did not
// is delivered later by Flush. The plaintext is cleared once sealed.
func (t *Tablet) Submit(ctx context.Context, s practice.Submission) (delivered bool, err error) {
	if err := t.Seal(s); err != nil {
		return false, err
	}
	if err := t.Flush(ctx); err != nil {
		return false, nil // kept in the outbox: it goes when the office answers
	}
	return true, nil
}

// Seal seals s to the intake key and writes it to the outbox durably.
func (t *Tablet) Seal(s practice.Submission) error {
	link, err := t.currentLink()
	if err != nil {
		return err
	}
	plain, err := json.Marshal(s)
	if err != nil {
		return err
	}
	sealed, err := vault.SealToIntake(link.IntakeKey, link.PracticeID, s.ID, plain)
	clear(plain)
	if err != nil {
		return err
	}
	return writeDurably(filepath.Join(t.dir, OutboxDir, s.ID+".sealed"), sealed)
}

// Pending lists the submissions in the outbox, oldest name first.
func (t *Tablet) Pending() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(t.dir, OutboxDir))
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".sealed"); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// Flush delivers every submission in the outbox, removing each once the
// office computer confirms it kept it. Errors: EUnavailable (the first
// delivery that failed; the rest wait for the next try).
func (t *Tablet) Flush(ctx context.Context) error {
	link, err := t.currentLink()
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ids, err := t.Pending()
	if err != nil {
		return err
	}
	for _, id := range ids {
		path := filepath.Join(t.dir, OutboxDir, id+".sealed")
		sealed, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := link.Deliver(ctx, t.id, id, sealed); err != nil {
			return err
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	}
	return syncDir(filepath.Join(t.dir, OutboxDir))
}

// DeliverEvery flushes the outbox every interval until ctx ends, so a
// submission sealed while the office was away arrives once it is back.
// Failures other than an absent office are logged (without content: the
// outbox is sealed).
func (t *Tablet) DeliverEvery(ctx context.Context, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if !t.Paired() {
				continue
			}
			try, cancel := context.WithTimeout(ctx, interval)
			if err := t.Flush(try); err != nil && practice.ErrorCode(err) != practice.EUnavailable {
				log.Error("tablet outbox", "err", err)
			}
			cancel()
		}
	}
}

// Poll asks the office computer whether a patient was sent to this tablet.
func (t *Tablet) Poll(ctx context.Context) ([]byte, error) {
	link, err := t.currentLink()
	if err != nil {
		return nil, err
	}
	return link.Poll(ctx, t.id)
}

// CheckIn asks the office computer for the visit whose check-in code and
// date of birth the patient typed; neither is kept on the tablet.
// Errors: EInvalid ("code", "dob"), EWrongPassword (refused),
// EUnavailable.
func (t *Tablet) CheckIn(ctx context.Context, code, dob string) ([]byte, error) {
	link, err := t.currentLink()
	if err != nil {
		return nil, err
	}
	return link.CheckIn(ctx, t.id, code, dob)
}

// StaffExit asks the office computer whether the staff login typed on the
// tablet lets staff out of its window; nothing of it is kept here.
// Errors: EWrongPassword, EForbidden, EUnavailable.
func (t *Tablet) StaffExit(ctx context.Context, username, password string) error {
	link, err := t.currentLink()
	if err != nil {
		return err
	}
	return link.StaffExit(ctx, t.id, username, password)
}

// writeDurably writes data to path through a synced temporary file and a
// rename, so a crash leaves the old file or the new one, never half.
func writeDurably(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
