package backups

import (
	"context"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// StaleAfter is how old the last good backup may grow before it is an
// alert even without a recorded failure: the machine that makes them may
// be switched off or gone.
const StaleAfter = 48 * time.Hour

// Alerts is the backups' alerts.Source: no backup folder is chosen (a
// warning: until one is, a lost or stolen computer takes the practice's
// records with it), the last backup failed (urgent), or none has
// succeeded for two days (a warning). All go to the owner, who chooses
// the folder and can restore; they name no one.
func Alerts(_ context.Context, tx *store.Tx, now time.Time) ([]alerts.Alert, error) {
	s, err := tx.BackupSettings()
	if err != nil {
		return nil, err
	}
	a := alerts.Alert{Area: "backups", Table: "backup_settings", ID: "practice",
		To: []alerts.Recipient{{Role: practice.RoleOwner}}}
	switch {
	case s.Folder == "":
		a.Key, a.Severity, a.Kind = "backup/no-folder", alerts.Warning, "No backup folder is chosen"
		a.Title = "Quietdesk makes no backups until you choose a folder for them (a network drive or an external disk) in Settings → Backups."
	case !s.LastAt.IsZero() && !s.LastOK:
		a.Key = "backup/failed/" + s.LastAt.UTC().Format("20060102T150405")
		a.Severity, a.Kind = alerts.Urgent, "The nightly backup failed"
		a.Title = s.LastMessage
	case !s.LastGoodAt.IsZero() && now.Sub(s.LastGoodAt) > StaleAfter:
		a.Key = "backup/stale/" + s.LastGoodAt.UTC().Format("20060102")
		a.Severity, a.Kind = alerts.Warning, "No backup for two days"
		a.Title = "No backup has been made since " + s.LastGoodAt.Local().Format("Monday 2 January") + ". Check that the computer that makes them is on and its backup folder is reachable."
	default:
		return nil, nil
	}
	return []alerts.Alert{a}, nil
}
