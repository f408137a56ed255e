package notify

import (
	"context"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// AlertArea names e-mail's own alerts.
const AlertArea = "mail"

// Alerts is e-mail's alerts.Source: messages that failed, or whose
// delivery is unknown, wait for someone who may decide on them in the
// Outbox (the owner and the front desk). One alert stands for all of
// them, keyed by the newest, so a new failure is a new alert.
func Alerts(_ context.Context, tx *store.Tx, _ time.Time) ([]alerts.Alert, error) {
	var waiting []store.OutboxMessage
	for _, state := range []string{store.OutboxFailed, store.OutboxUnknown} {
		list, err := tx.OutboxInState(state)
		if err != nil {
			return nil, err
		}
		waiting = append(waiting, list...)
	}
	if len(waiting) == 0 {
		return nil, nil
	}
	newest := waiting[0]
	for _, m := range waiting[1:] {
		if m.ChangedAt.After(newest.ChangedAt) || m.ChangedAt.Equal(newest.ChangedAt) && m.ID > newest.ID {
			newest = m
		}
	}
	return []alerts.Alert{{Key: "mail/decide/" + newest.ID, Area: AlertArea, Severity: alerts.Warning,
		Kind:  "E-mail could not be sent",
		Title: practice.Plural(len(waiting), "e-mail message") + " could not be sent, or may not have arrived: decide in Settings → Outbox.",
		Table: "outbox", ID: newest.ID,
		To: []alerts.Recipient{{Role: practice.RoleOwner}, {Role: practice.RoleFrontDesk}}}}, nil
}
