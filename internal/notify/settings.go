package notify

import (
	"time"

	"quietdesk/internal/mail"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// Relay returns the practice's relay settings (the zero Relay before any).
func Relay(tx *store.Tx) (mail.Relay, error) {
	var r mail.Relay
	_, err := tx.MailSetting("relay", &r)
	return r, err
}

// WithSavedPassword fills an empty password from the saved relay when the
// user name is unchanged: the settings screen never receives the password,
// so saving or testing the form again must not erase it.
func WithSavedPassword(tx *store.Tx, r mail.Relay) (mail.Relay, error) {
	r.Normalize()
	if r.Password != "" || r.Username == "" {
		return r, nil
	}
	saved, err := Relay(tx)
	if err == nil && saved.Username == r.Username {
		r.Password = saved.Password
	}
	return r, err
}

// SaveRelay validates and stores the relay settings. Errors: EInvalid.
func SaveRelay(tx *store.Tx, r mail.Relay) error {
	r, err := WithSavedPassword(tx, r)
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return tx.SaveMailSetting("relay", r)
}

// SetSender chooses the machine that sends; it must be one that has
// reported itself. Errors: EInvalid.
func SetSender(tx *store.Tx, deviceID string) error {
	agents, err := tx.MailAgents()
	if err != nil {
		return err
	}
	for _, a := range agents {
		if a.ID == deviceID {
			return tx.SetMailSender(deviceID)
		}
	}
	return practice.FieldProblem("sender", "Choose one of the listed computers.")
}

// OutboxRow is one message as the outbox screen lists it: to whom, what
// for, when and where it stands; never its text.
type OutboxRow struct {
	store.OutboxMessage
	To string `json:"to"`
}

// OutboxList lists messages due from a week ago to a month ahead, and
// every one waiting for a person whatever its date, newest first.
func OutboxList(tx *store.Tx, now time.Time) ([]OutboxRow, error) {
	list, err := tx.OutboxBetween(now.AddDate(0, 0, -7), now.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	out := make([]OutboxRow, 0, len(list))
	for _, m := range list {
		c, err := tx.OutboxContent(m.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, OutboxRow{OutboxMessage: m, To: c.To})
	}
	return out, nil
}

// Preview renders a template with made-up facts, for the settings
// screen's live preview.
func Preview(tx *store.Tx, t Template, lang string, now time.Time) (subject, text, html string, err error) {
	ps, err := tx.Settings()
	if err != nil {
		return "", "", "", err
	}
	loc := ps.Zone()
	d := now.In(loc).AddDate(0, 0, 2)
	facts := ReminderFacts{FirstName: "Alex", Start: time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, loc),
		Place: "12 Main St, Springfield", Phone: ps.Phone, Practice: ps.Name}
	if lang != "es" {
		lang = "en"
	}
	subject, text, html = Render(t, lang, facts)
	return subject, text, html, nil
}
