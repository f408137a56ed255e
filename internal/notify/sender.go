package notify

import (
	"context"
	"time"

	"quietdesk/internal/store"
)

// Sender states, as every office computer shows them.
const (
	SenderNone        = "none"        // no machine is chosen to send
	SenderReady       = "ready"       // the sender reported recently and holds the key
	SenderLocked      = "locked"      // the sender runs but nobody unlocked it: nothing goes out
	SenderUnreachable = "unreachable" // the sender has not reported for a while
)

// ReportEvery is how often each machine reports itself; a sender silent
// for three reports is shown as unreachable.
const ReportEvery = 5 * time.Minute

// Report records this machine as a possible sender (name, whether it is
// a hub, whether it holds the key). It needs no key.
func Report(ctx context.Context, db *store.DB, name string, hub bool) error {
	return db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		return tx.ReportMailAgent(name, hub, db.Unlocked())
	})
}

// ClaimIfNone makes this machine the sender when no machine is chosen: a
// hub does this as it starts, so a practice with a hub sends from it
// without anyone choosing. It needs no key and reports whether it claimed.
func ClaimIfNone(ctx context.Context, db *store.DB) (bool, error) {
	claimed := false
	err := db.UpdateWithoutKey(ctx, func(tx *store.Tx) error {
		sender, err := tx.MailSender()
		if err != nil || sender != "" {
			return err
		}
		claimed = true
		return tx.SetMailSender(db.DeviceID())
	})
	return claimed, err
}

// Status is what every office computer shows about sending.
type Status struct {
	State      string `json:"state"` // one of the Sender… states
	SenderID   string `json:"senderId"`
	SenderName string `json:"senderName"`
	ThisIsIt   bool   `json:"thisIsIt"` // this machine is the sender
	RelaySet   bool   `json:"relaySet"`
	// Waiting counts queued messages whose time has come; NeedDecision,
	// failed ones and ones whose delivery is unknown.
	Waiting      int               `json:"waiting"`
	NeedDecision int               `json:"needDecision"`
	LastSeen     time.Time         `json:"lastSeen" ts_type:"string"`
	Machines     []store.MailAgent `json:"machines"` // the machines that can be chosen
}

// SenderStatus reads the sending status from plain columns: a locked
// machine can show it.
func SenderStatus(tx *store.Tx, thisDevice string, now time.Time) (Status, error) {
	var st Status
	var err error
	if st.SenderID, err = tx.MailSender(); err != nil {
		return st, err
	}
	if st.RelaySet, err = tx.MailRelaySet(); err != nil {
		return st, err
	}
	if st.Waiting, err = tx.OutboxWaiting(now); err != nil {
		return st, err
	}
	counts, err := tx.OutboxCounts()
	if err != nil {
		return st, err
	}
	st.NeedDecision = counts[store.OutboxFailed] + counts[store.OutboxUnknown]
	if st.Machines, err = tx.MailAgents(); err != nil {
		return st, err
	}
	st.ThisIsIt = st.SenderID != "" && st.SenderID == thisDevice
	st.State = SenderNone
	if st.SenderID == "" {
		return st, nil
	}
	if st.ThisIsIt {
		// Whoever reads this status here holds the key (a window someone
		// logged into), whatever this machine last reported.
		st.State = SenderReady
	} else {
		st.State = SenderUnreachable
	}
	for _, a := range st.Machines {
		if a.ID != st.SenderID {
			continue
		}
		st.SenderName, st.LastSeen = a.Name, a.SeenAt
		switch {
		case st.ThisIsIt:
		case now.Sub(a.SeenAt) > 3*ReportEvery:
		case !a.Unlocked:
			st.State = SenderLocked
		default:
			st.State = SenderReady
		}
	}
	return st, nil
}
