package app

import (
	"context"
	"time"

	"quietdesk/internal/mail"
	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Mail is the facade for the practice's e-mail: the relay, reminders, who
// sends, and the outbox.
type Mail struct{ c *Core }

// NewMail binds the mail facade to core.
func NewMail(c *Core) *Mail { return &Mail{c: c} }

// MailSettings is the Settings → E-mail screen. The relay's password never
// reaches the window: PasswordSet says whether one is saved.
type MailSettings struct {
	Relay       mail.Relay              `json:"relay"`
	PasswordSet bool                    `json:"passwordSet"`
	Reminders   notify.ReminderSettings `json:"reminders"`
	Status      notify.Status           `json:"status"`
	ThisDevice  string                  `json:"thisDevice"`
}

// Settings returns the e-mail settings.
func (m *Mail) Settings() (MailSettings, error) {
	const name = "Mail.Settings"
	if _, err := m.c.begin(name); err != nil {
		return MailSettings{}, m.c.fail(name, err)
	}
	out := MailSettings{ThisDevice: m.c.db.DeviceID()}
	err := m.c.view(func(tx *store.Tx) (err error) {
		if out.Relay, err = notify.Relay(tx); err != nil {
			return err
		}
		out.PasswordSet, out.Relay.Password = out.Relay.Password != "", ""
		if out.Reminders, err = notify.Reminders(tx); err != nil {
			return err
		}
		out.Status, err = notify.SenderStatus(tx, m.c.db.DeviceID(), m.c.now())
		return err
	})
	if err != nil {
		return MailSettings{}, m.c.fail(name, err)
	}
	return out, nil
}

// SaveRelay saves the relay; an empty password keeps the saved one.
func (m *Mail) SaveRelay(r mail.Relay) error {
	const name = "Mail.SaveRelay"
	if _, err := m.c.begin(name); err != nil {
		return m.c.fail(name, err)
	}
	return m.c.fail(name, m.c.update(func(tx *store.Tx) error { return notify.SaveRelay(tx, r) }))
}

// testTimeout bounds the test send: a person waits for it.
const testTimeout = 20 * time.Second

// TestRelay sends a test message to one address through the relay as the
// form holds it (saved or not), and says exactly what failed.
func (m *Mail) TestRelay(r mail.Relay, to string) (string, error) {
	const name = "Mail.TestRelay"
	if _, err := m.c.begin(name); err != nil {
		return "", m.c.fail(name, err)
	}
	err := m.c.view(func(tx *store.Tx) (err error) {
		r, err = notify.WithSavedPassword(tx, r)
		return err
	})
	if err != nil {
		return "", m.c.fail(name, err)
	}
	if err := r.Validate(); err != nil {
		return "", m.c.fail(name, err)
	}
	if !mail.ValidAddress(to) {
		return "", m.c.fail(name, practice.FieldProblem("testTo", "Enter the address to send the test message to."))
	}
	ctx, cancel := context.WithTimeout(m.c.ctx(), testTimeout)
	defer cancel()
	dialer := m.c.outbox.Dialer
	if dialer.Timeout == 0 || dialer.Timeout > testTimeout {
		dialer.Timeout = testTimeout
	}
	if err := dialer.Test(ctx, r, to, m.c.now()); err != nil {
		if f, ok := err.(*mail.Failure); ok {
			return "", m.c.fail(name, practice.Errorf(practice.EUnavailable, "%s", f.Message))
		}
		return "", m.c.fail(name, err)
	}
	return "The relay accepted the test message. It should arrive within a few minutes.", nil
}

// SaveReminders saves the reminder times, quiet hours and wording.
func (m *Mail) SaveReminders(s notify.ReminderSettings) error {
	const name = "Mail.SaveReminders"
	if _, err := m.c.begin(name); err != nil {
		return m.c.fail(name, err)
	}
	return m.c.fail(name, m.c.update(func(tx *store.Tx) error { return notify.SaveReminders(tx, s) }))
}

// ReminderPreview is a template filled with made-up facts.
type ReminderPreview struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	Problem string `json:"problem"` // what is wrong with the template, "" when nothing
}

// Preview fills a template (as being edited) for the live preview.
func (m *Mail) Preview(t notify.Template, lang string) (ReminderPreview, error) {
	const name = "Mail.Preview"
	if _, err := m.c.begin(name); err != nil {
		return ReminderPreview{}, m.c.fail(name, err)
	}
	var out ReminderPreview
	p := practice.Problems{}
	t.Validate(p, "template")
	for _, msg := range p {
		out.Problem = msg
	}
	err := m.c.view(func(tx *store.Tx) (err error) {
		out.Subject, out.Text, out.HTML, err = notify.Preview(tx, t, lang, m.c.now())
		return err
	})
	if err != nil {
		return ReminderPreview{}, m.c.fail(name, err)
	}
	return out, nil
}

// SetSender chooses the computer that sends the practice's e-mail.
func (m *Mail) SetSender(deviceID string) error {
	const name = "Mail.SetSender"
	if _, err := m.c.begin(name); err != nil {
		return m.c.fail(name, err)
	}
	return m.c.fail(name, m.c.update(func(tx *store.Tx) error { return notify.SetSender(tx, deviceID) }))
}

// Status says whether the sender runs and holds the key, and how much
// mail waits; every office computer shows it.
func (m *Mail) Status() (notify.Status, error) {
	const name = "Mail.Status"
	if _, err := m.c.begin(name); err != nil {
		return notify.Status{}, m.c.fail(name, err)
	}
	var st notify.Status
	err := m.c.view(func(tx *store.Tx) (err error) {
		st, err = notify.SenderStatus(tx, m.c.db.DeviceID(), m.c.now())
		return err
	})
	if err != nil {
		return notify.Status{}, m.c.fail(name, err)
	}
	return st, nil
}

// Outbox lists messages: to whom, what for, when, and where each stands.
// Listing is audited (it shows patients' e-mail addresses).
func (m *Mail) Outbox() ([]notify.OutboxRow, error) {
	const name = "Mail.Outbox"
	sess, err := m.c.begin(name)
	if err != nil {
		return nil, m.c.fail(name, err)
	}
	var out []notify.OutboxRow
	err = m.c.update(func(tx *store.Tx) (err error) {
		if out, err = notify.OutboxList(tx, m.c.now()); err != nil {
			return err
		}
		return tx.Audit(sess.account.ID, "outbox.view", "outbox", "")
	})
	if err != nil {
		return nil, m.c.fail(name, err)
	}
	return out, nil
}

// Decide settles a failed message or one whose delivery is unknown:
// "resend", "sent" or "drop".
func (m *Mail) Decide(id, choice string) error {
	const name = "Mail.Decide"
	if _, err := m.c.begin(name); err != nil {
		return m.c.fail(name, err)
	}
	return m.c.fail(name, m.c.update(func(tx *store.Tx) error { return notify.Decide(tx, id, choice) }))
}
