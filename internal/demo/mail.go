package demo

import (
	"context"

	"quietdesk/internal/notify"
	"quietdesk/internal/store"
)

// makeMail gives the demo an outbox: reminders sent for the past week's
// sessions and queued for the coming days. No relay is set: the demo's
// e-mail goes nowhere until someone configures one.
func makeMail(ctx context.Context, db *store.DB) error {
	return db.Update(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		past, err := tx.AppointmentsBetween(now.AddDate(0, 0, -7), now, store.AppointmentFilter{})
		if err != nil {
			return err
		}
		for _, a := range past {
			ids, err := notify.QueueFor(tx, a, a.Start.AddDate(0, 0, -3))
			if err != nil {
				return err
			}
			for _, id := range ids {
				m, err := tx.OutboxMessage(id)
				if err != nil {
					return err
				}
				if m.State == store.OutboxQueued && m.SendAfter.Before(now) {
					if err := tx.SetOutboxState(id, store.OutboxSent, m.SendAfter, 1, ""); err != nil {
						return err
					}
				}
			}
		}
		_, err = notify.QueueReminders(ctx, tx, now, true)
		return err
	})
}
