// Package notify is Quietdesk's automation: what to e-mail (appointment
// reminders, staff alerts and digests) and the outbox that sends it through
// the practice's relay from one designated machine, never twice.
//
// Never twice rests on three rules. A message's id comes from what it is
// for (OutboxID), so two machines that queue it hold one row. Only the
// designated sender hands messages to the relay. And a message is marked
// "sending" in a committed transaction before its first byte leaves, so a
// sender that dies mid-send finds it so on restart and marks it "unknown"
// for a person to decide, instead of sending it again.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"quietdesk/internal/mail"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// ErrNotSender is returned by Deliver on a machine that is not the
// designated sender: it queues, it never sends.
var ErrNotSender = errors.New("notify: this machine is not the designated sender")

// ErrNoRelay is returned by Deliver while the practice has no relay set up.
var ErrNoRelay = errors.New("notify: no mail relay is set up")

// Retry policy for temporary failures: the wait doubles from a minute up
// to an hour; after MaxAttempts the message is failed for staff to see.
const (
	firstRetry  = time.Minute
	lastRetry   = time.Hour
	MaxAttempts = 10
)

// UnknownOutcome is what staff read on a message whose sender stopped
// while handing it to the relay.
const UnknownOutcome = "Quietdesk stopped while handing this message to the relay, so it may or may not have been delivered. Check with the recipient if you can, then send it again or mark it as sent."

// Outbox sends due messages from the designated sender.
type Outbox struct {
	DB     *store.DB
	Dialer mail.Dialer
	Now    func() time.Time // nil: time.Now
	Log    *slog.Logger     // nil: slog.Default()
	// Current, per purpose, says whether a queued message is still wanted
	// just before it is sent (the appointment may have been cancelled on
	// another machine since it was queued); a message it refuses is
	// withdrawn with the reason it gives.
	Current map[string]func(tx *store.Tx, m store.OutboxMessage, now time.Time) (reason string, err error)

	mu sync.Mutex // one delivery run at a time in this process
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o *Outbox) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.Default()
}

// NewOutbox is the practice's outbox, checking each purpose's messages
// just before they go.
func NewOutbox(db *store.DB, dialer mail.Dialer, log *slog.Logger) *Outbox {
	return &Outbox{DB: db, Dialer: dialer, Log: log,
		Current: map[string]func(*store.Tx, store.OutboxMessage, time.Time) (string, error){PurposeReminder: reminderCurrent}}
}

// Result counts what one delivery run did.
type Result struct {
	Sent, Retrying, Failed, Unknown, Withdrawn int
}

// Deliver sends every due message, when this machine is the designated
// sender and holds the key. Messages this machine was sending when it
// stopped are first marked unknown. Errors: ErrNotSender, ErrNoRelay.
func (o *Outbox) Deliver(ctx context.Context) (Result, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var res Result
	var relay mail.Relay
	err := o.DB.Update(ctx, func(tx *store.Tx) error {
		sender, err := tx.MailSender()
		if err != nil {
			return err
		}
		if sender != o.DB.DeviceID() {
			return ErrNotSender
		}
		// Nothing of this process is sending now (o.mu), so a message this
		// machine left "sending" was cut off by a crash or a kill.
		stuck, err := tx.OutboxInState(store.OutboxSending)
		if err != nil {
			return err
		}
		for _, m := range stuck {
			if m.Device != o.DB.DeviceID() {
				continue // another machine's, while it was the sender; it settles its own
			}
			if err := tx.SetOutboxState(m.ID, store.OutboxUnknown, m.SendAfter, m.Attempts, UnknownOutcome); err != nil {
				return err
			}
			res.Unknown++
		}
		if found, err := tx.MailSetting("relay", &relay); err != nil {
			return err
		} else if !found || !relay.Configured() {
			return ErrNoRelay
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for ctx.Err() == nil {
		var due []store.OutboxMessage
		if err := o.DB.View(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.OutboxDue(o.now(), 20)
			return err
		}); err != nil {
			return res, err
		}
		if len(due) == 0 {
			return res, nil
		}
		for _, m := range due {
			if err := o.deliverOne(ctx, relay, m.ID, &res); err != nil {
				return res, err
			}
		}
	}
	return res, ctx.Err()
}

// deliverOne sends one message: marked sending (committed) first, then
// handed over, then its outcome recorded.
func (o *Outbox) deliverOne(ctx context.Context, relay mail.Relay, id string, res *Result) error {
	var m store.OutboxMessage
	var c store.OutboxContent
	send := false
	err := o.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = tx.OutboxMessage(id); err != nil || m.State != store.OutboxQueued {
			return err // settled meanwhile (a merge, a person)
		}
		if check := o.Current[m.Purpose]; check != nil {
			reason, err := check(tx, m, tx.Now())
			if err != nil {
				return err
			}
			if reason != "" {
				res.Withdrawn++
				return tx.SetOutboxState(id, store.OutboxWithdrawn, m.SendAfter, m.Attempts, reason)
			}
		}
		if c, err = tx.OutboxContent(id); err != nil {
			return err
		}
		m.Attempts++
		send = true
		return tx.SetOutboxState(id, store.OutboxSending, m.SendAfter, m.Attempts, "")
	})
	if err != nil || !send {
		return err
	}
	now := o.now()
	msg, err := mail.Compose(relay, c.To, id, now, mail.Content{Subject: c.Subject, Text: c.Text, HTML: c.HTML, Calendar: c.Calendar})
	if err != nil {
		err = &mail.Failure{Step: mail.StepRecipient, Permanent: true, Message: "The recipient's e-mail address is not valid; correct it on the patient's record."}
	} else {
		err = o.Dialer.Send(ctx, relay, msg.Envelope, msg.Data)
	}
	state, after, note := o.outcome(m, err, now)
	switch state {
	case store.OutboxSent:
		res.Sent++
	case store.OutboxQueued:
		res.Retrying++
	case store.OutboxFailed:
		res.Failed++
	case store.OutboxUnknown:
		res.Unknown++
	}
	if err != nil {
		// The step and code only: never the recipient.
		o.log().Warn("outbox: message not sent", "id", id, "purpose", m.Purpose, "attempt", m.Attempts, "state", state, "why", note)
	}
	// The outcome must be recorded even when ctx ended during the send,
	// or the next run would mistake a settled message for a crash.
	return o.DB.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		return tx.SetOutboxState(id, state, after, m.Attempts, note)
	})
}

// outcome maps a send's result to the message's next state.
func (o *Outbox) outcome(m store.OutboxMessage, err error, now time.Time) (state string, after time.Time, note string) {
	if err == nil {
		return store.OutboxSent, m.SendAfter, ""
	}
	var f *mail.Failure
	if !errors.As(err, &f) {
		f = &mail.Failure{Message: "The message could not be sent: " + practice.ErrorMessage(err)}
	}
	switch {
	case f.Unknown:
		return store.OutboxUnknown, m.SendAfter, f.Message
	case f.Permanent:
		return store.OutboxFailed, m.SendAfter, f.Message
	case m.Attempts >= MaxAttempts:
		return store.OutboxFailed, m.SendAfter, fmt.Sprintf("Gave up after %d tries. The last: %s", m.Attempts, f.Message)
	}
	return store.OutboxQueued, now.Add(Backoff(m.Attempts)), f.Message
}

// Backoff is the wait after the n-th failed try (n ≥ 1): one minute,
// doubling, at most an hour.
func Backoff(n int) time.Duration {
	d := firstRetry
	for i := 1; i < n && d < lastRetry; i++ {
		d *= 2
	}
	return min(d, lastRetry)
}

// Decide settles a message that waits for a person: "resend" queues a
// failed or unknown message again now; "sent" records that it arrived
// (the person checked); "drop" withdraws it. Errors: ENotFound, EInvalid.
func Decide(tx *store.Tx, id, choice string) error {
	m, err := tx.OutboxMessage(id)
	if err != nil {
		return err
	}
	if m.State != store.OutboxFailed && m.State != store.OutboxUnknown {
		return practice.Errorf(practice.EInvalid, "Only a failed message, or one whose delivery is unknown, needs a decision.")
	}
	switch choice {
	case "resend":
		return tx.SetOutboxState(id, store.OutboxQueued, tx.Now(), 0, "")
	case "sent":
		return tx.SetOutboxState(id, store.OutboxSent, m.SendAfter, m.Attempts, "Marked as delivered by staff.")
	case "drop":
		return tx.SetOutboxState(id, store.OutboxWithdrawn, m.SendAfter, m.Attempts, "Withdrawn by staff.")
	}
	return practice.Errorf(practice.EInvalid, "Choose to send it again, mark it as sent, or withdraw it.")
}
