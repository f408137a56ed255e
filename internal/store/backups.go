package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// backupSettingsID is the one backup_settings row.
const backupSettingsID = "practice"

// BackupSettings is where nightly backups go and how the last one went,
// all plain (a hub with no key writes and reads it).
type BackupSettings struct {
	Folder string `json:"folder"` // "" until the owner chooses one
	Device string `json:"device"` // the machine that backs up
	// The last attempt: when, whether it was written and checked, what
	// happened in words, and the file it wrote.
	LastAt      time.Time `json:"lastAt" ts_type:"string"`
	LastOK      bool      `json:"lastOk"`
	LastMessage string    `json:"lastMessage"`
	LastFile    string    `json:"lastFile"`
	// LastGoodAt is the last attempt that succeeded, kept through failures
	// so "no good backup since" can be said.
	LastGoodAt time.Time `json:"lastGoodAt" ts_type:"string"`
}

// BackupSettings reads the backup settings (the zero value before any).
// It needs no key.
func (tx *Tx) BackupSettings() (BackupSettings, error) {
	var s BackupSettings
	var folder, device, msg, file sql.NullString
	var at, ok, good sql.NullInt64
	err := tx.sql.QueryRow(`SELECT folder, device, last_at, last_ok, last_message, last_file, last_good_at
		FROM backup_settings WHERE id = ? AND deleted = 0`, backupSettingsID).Scan(&folder, &device, &at, &ok, &msg, &file, &good)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("store: backup settings: %w", err)
	}
	s.Folder, s.Device, s.LastMessage, s.LastFile = folder.String, device.String, msg.String, file.String
	s.LastAt, s.LastOK, s.LastGoodAt = fromUnix(at.Int64), ok.Int64 == 1, fromUnix(good.Int64)
	return s, nil
}

// SetBackupTarget chooses the folder and the machine that writes to it.
// It needs no key.
func (tx *Tx) SetBackupTarget(folder, device string) error {
	return tx.put("backup_settings", backupSettingsID, "target", []any{nullable(folder), nullable(device)}, nil)
}

// SaveBackupResult records how a backup attempt went. It needs no key.
func (tx *Tx) SaveBackupResult(at time.Time, ok bool, message, file string, lastGood time.Time) error {
	return tx.put("backup_settings", backupSettingsID, "last",
		[]any{unix(at), boolInt(ok), message, nullable(file), unix(lastGood)}, nil)
}

// CheckBackup checks a backup file as a restore does before touching
// anything: SQLite's integrity check, Quietdesk's application id, the
// practice (practiceID, or any when ""), and a schema this version reads.
// Errors: EInvalid, with a message naming what failed.
func CheckBackup(ctx context.Context, path, practiceID string) error {
	return checkBackup(ctx, path, practiceID)
}

// countedTables are what a restore drill reports: enough to see that the
// practice is there, counted from plain columns (no key needed).
var countedTables = []string{"accounts", "patients", "appointments", "documents", "audit_log"}

// TableCount is how many live rows a table holds.
type TableCount struct {
	Table string `json:"table"`
	Rows  int    `json:"rows"`
}

// Counts counts the live rows of the practice's main tables.
func (db *DB) Counts(ctx context.Context) ([]TableCount, error) {
	out := make([]TableCount, 0, len(countedTables))
	err := db.ViewWithoutKey(ctx, func(tx *Tx) error {
		for _, t := range countedTables {
			var n int
			if err := tx.sql.QueryRow("SELECT COUNT(*) FROM " + t + " WHERE deleted = 0").Scan(&n); err != nil {
				return fmt.Errorf("store: count %s: %w", t, err)
			}
			out = append(out, TableCount{Table: t, Rows: n})
		}
		return nil
	})
	return out, err
}
