package store

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, recording the app version that applied it: office machines
// upgrade at different times, and support needs to know which did what.
func (db *DB) migrate() error {
	if _, err := db.sql.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version     INTEGER PRIMARY KEY,
		name        TEXT NOT NULL,
		app_version TEXT NOT NULL,
		applied_at  TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number", base)
		}
		if err := db.applyMigration(version, name, base); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(version int, path, base string) error {
	tx, err := db.sql.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFiles.ReadFile(path)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return fmt.Errorf("store: migration %s: %w", base, err)
	}
	if _, err := tx.Exec("INSERT INTO schema_migrations (version, name, app_version, applied_at) VALUES (?, ?, ?, ?)",
		version, base, db.appVersion, db.now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// latestMigration is the highest migration version this build knows.
func latestMigration() int {
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	latest := 0
	for _, name := range names {
		v, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		latest = max(latest, v)
	}
	return latest
}
