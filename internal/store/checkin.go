package store

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"time"
)

// Check-in codes (internal/intake/checkin.go). A code is never stored: it
// is an HMAC of the appointment, its day and its generation, keyed from
// the practice key, so every office machine computes the same one. What
// the machines must share is kept in checkin_events, append-only, so their
// rows add up in any arrival order: the new codes the front desk issued and
// the wrong tries tablets made.

// Kinds of check-in events.
const (
	CheckinReissue = "reissue" // the front desk issued a new code
	CheckinWrong   = "wrong"   // a tablet gave the code with a wrong date of birth
)

// CheckinState is what the machines agree on about one appointment's code.
type CheckinState struct {
	Generation int // new codes issued so far: the current code's generation
	Wrong      int // wrong tries on the current generation
}

// CheckinStates returns the check-in state of each of ids (the zero state
// for an appointment without events).
func (tx *Tx) CheckinStates(ids []string) (map[string]CheckinState, error) {
	type event struct {
		kind       string
		generation int
	}
	events := map[string][]event{}
	err := inChunks(ids, func(in string, args []any) error {
		return tx.rowsOf("SELECT appointment_id, kind, generation FROM checkin_events WHERE deleted = 0 AND appointment_id IN "+in, args,
			func(rows *sql.Rows) error {
				var id string
				var e event
				if err := rows.Scan(&id, &e.kind, &e.generation); err != nil {
					return err
				}
				events[id] = append(events[id], e)
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]CheckinState, len(ids))
	for _, id := range ids {
		var s CheckinState
		for _, e := range events[id] {
			if e.kind == CheckinReissue {
				s.Generation++
			}
		}
		// A wrong try counts against the code it was made on: a new code
		// starts with none.
		for _, e := range events[id] {
			if e.kind == CheckinWrong && e.generation == s.Generation {
				s.Wrong++
			}
		}
		out[id] = s
	}
	return out, nil
}

// AddCheckinEvent records a new code issued (source: the account) or a
// wrong try on generation (source: the tablet).
func (tx *Tx) AddCheckinEvent(appointmentID, kind string, generation int, source string) error {
	return tx.create("checkin_events", newID(), []write{{grp: "event", plain: []any{appointmentID, kind, generation, unix(tx.now), source}}})
}

// CheckinMAC is the HMAC-SHA256 of msg under the check-in code key, which
// is derived from the practice key: every office machine holding it
// computes the same codes, and no one without it can. Needs the key.
func (tx *Tx) CheckinMAC(msg string) ([]byte, error) {
	_, dek, err := tx.db.key()
	if err != nil {
		return nil, err
	}
	defer dek.Wipe()
	key, err := hkdf.Key(sha256.New, dek[:], nil, "quietdesk check-in code v1", 32)
	if err != nil {
		return nil, fmt.Errorf("store: check-in key: %w", err)
	}
	defer clear(key)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil), nil
}

// LastSubmitted returns when each of patientIDs last submitted a packet
// (absent: never).
func (tx *Tx) LastSubmitted(patientIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := inChunks(patientIDs, func(in string, args []any) error {
		return tx.rowsOf("SELECT patient_id, MAX(submitted_at) FROM intake_submissions WHERE deleted = 0 AND patient_id IN "+in+" GROUP BY patient_id", args,
			func(rows *sql.Rows) error {
				var id string
				var at int64
				if err := rows.Scan(&id, &at); err != nil {
					return err
				}
				out[id] = fromUnix(at)
				return nil
			})
	})
	return out, err
}
