package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/private"
)

// Backup writes a consistent copy of the database to path (which must not
// exist). It needs no key: the copy is as sealed as the database.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	if err := createPrivate(path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// The mode above means nothing on Windows: there the file gets an
	// access list naming the user alone, before any data is in it.
	if err := private.File(path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// restoreBatch is how many salvaged changes are merged per transaction.
const restoreBatch = 2000

// Restore replaces the database with a backup of the same practice.
//
// The restored database gets a new epoch: the changes this machine made
// after the backup are already on other machines under the old epoch's
// sequence numbers, and a restored machine that reused them would have its
// new work taken for duplicates and dropped. The database being replaced
// is kept beside it (practice.db.before-restore-TIME), and every change it
// holds that the backup lacks is merged back in, so changes that never
// reached another machine are not lost; the rest come back from peers.
//
// Errors: EInvalid (not a Quietdesk backup, or another practice's).
func (db *DB) Restore(ctx context.Context, backupPath string, after AfterApply) error {
	practiceID, err := backupPracticeID(backupPath)
	if err != nil {
		return err
	}
	if db.sql != nil && practiceID != db.practiceID {
		return practice.Errorf(practice.EInvalid, "That backup belongs to another practice.")
	}
	old := ""
	if db.sql != nil {
		db.stmts.close()
		if err := db.sql.Close(); err != nil {
			return fmt.Errorf("store: restore: %w", err)
		}
		db.sql = nil
		db.vector.reset()
		old = db.path() + ".before-restore-" + db.now().UTC().Format("20060102T150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(db.path()+suffix, old+suffix); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("store: restore: %w", err)
			}
		}
	}
	tmp := db.path() + ".restoring"
	if err := copyFile(backupPath, tmp); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if err := os.Rename(tmp, db.path()); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	syncDir(db.dir)
	if err := db.openExisting(); err != nil {
		return err
	}
	db.epoch = newID()
	if _, err := db.sql.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = 'epoch'", db.epoch); err != nil {
		return fmt.Errorf("store: restore: new epoch: %w", err)
	}
	if old == "" {
		return nil
	}
	return db.salvage(ctx, old, after)
}

// salvage merges the changes of the database file at path that this one lacks.
func (db *DB) salvage(ctx context.Context, path string, after AfterApply) error {
	src, err := sql.Open(driverName, dsn(path, "ro", ""))
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer src.Close()
	theirs, err := vectorOf(ctx, src)
	if err != nil {
		return fmt.Errorf("store: restore: read the replaced database: %w", err)
	}
	for {
		have, err := db.Vector(ctx)
		if err != nil {
			return err
		}
		batch, err := changesAfter(ctx, src, theirs, have, restoreBatch)
		if err != nil {
			return fmt.Errorf("store: restore: read the replaced database: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		if _, err := db.ApplyBatch(ctx, batch, after); err != nil {
			return fmt.Errorf("store: restore: %w", err)
		}
	}
}

func backupPracticeID(path string) (string, error) {
	bad := practice.Errorf(practice.EInvalid, "That file is not a Quietdesk backup.")
	src, err := sql.Open(driverName, dsn(path, "ro", ""))
	if err != nil {
		return "", bad
	}
	defer src.Close()
	var appID int64
	var id string
	if err := src.QueryRow("PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		return "", bad
	}
	if err := src.QueryRow("SELECT value FROM meta WHERE key = 'practice_id'").Scan(&id); err != nil {
		return "", bad
	}
	return id, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFile(to, in)
}

func copyScratch(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Clock returns this machine's hybrid logical clock as last persisted,
// for tests and diagnostics.
func (db *DB) Clock(ctx context.Context) (time.Time, error) {
	var s string
	if err := db.sql.QueryRowContext(ctx, qClock).Scan(&s); err != nil {
		return time.Time{}, fmt.Errorf("store: clock: %w", err)
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: clock: %w", err)
	}
	return time.UnixMilli(int64(v >> 16)).UTC(), nil
}

// Snapshot copies the database file, for a newly paired machine to start
// from instead of replaying the whole change log. The copy is taken with
// the connection held (after a checkpoint the file is complete and nothing
// else can write), then sent by fn after the connection is released, so
// the network never holds up this machine's own work. It needs no key: the
// file is as sealed as the database.
func (db *DB) Snapshot(ctx context.Context, fn func(f *os.File, size int64) error) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	tmp := db.path() + ".snapshot"
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	var busy, logFrames, done int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
	if err == nil && busy != 0 {
		err = errors.New("checkpoint incomplete")
	}
	if err == nil {
		// A scratch copy: not synced, it is sent and removed at once.
		err = copyScratch(db.path(), tmp)
	}
	conn.Close()
	defer os.Remove(tmp)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	return fn(f, st.Size())
}

// InstallSnapshot makes another machine's Snapshot of practiceID this
// folder's database: it gets its own device id and epoch (its changes must
// never be taken for the other machine's), forgets that machine's peer
// addresses, and is opened as usual (migrations included).
//
// Errors: EConflict when the folder already holds a practice; EInvalid
// when src is not a Quietdesk database of practiceID or needs a newer
// Quietdesk.
func (db *DB) InstallSnapshot(ctx context.Context, practiceID string, src io.Reader) error {
	if db.sql != nil {
		return practice.Errorf(practice.EConflict, "This data folder already holds a practice.")
	}
	tmp := db.path() + ".joining"
	err := writeFile(tmp, src)
	if err != nil {
		err = fmt.Errorf("store: snapshot: %w", err)
	} else {
		err = db.adoptSnapshot(ctx, tmp, practiceID)
	}
	if err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		return err
	}
	if err := os.Rename(tmp, db.path()); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	syncDir(db.dir)
	return db.openExisting()
}

// adoptSnapshot checks a received database file and makes it this machine's.
func (db *DB) adoptSnapshot(ctx context.Context, path, practiceID string) error {
	bad := practice.Errorf(practice.EInvalid, "The other machine sent a database this Quietdesk cannot use.")
	if id, err := backupPracticeID(path); err != nil || id != practiceID {
		return bad
	}
	s, err := sql.Open(driverName, dsn(path, "rw", ""))
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer s.Close()
	var newest int
	if err := s.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
		return bad
	}
	if newest > latestMigration() {
		return practice.Errorf(practice.EInvalid, "The other machine runs a newer Quietdesk. Update this one first.")
	}
	tx, err := s.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE meta SET value = ? WHERE key = 'device_id'", []any{newID()}},
		{"UPDATE meta SET value = ? WHERE key = 'epoch'", []any{newID()}},
		{"DELETE FROM sync_addresses", nil},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("store: snapshot: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// Closing checkpoints any WAL into the file, so the rename moves it all.
	return s.Close()
}

// writeFile writes src to a new file readable by its owner only, synced.
func writeFile(path string, src io.Reader) error {
	out, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	// A backup may go anywhere (a USB disk, a shared folder): the mode above
	// means nothing on Windows, and an existing file keeps its old mode.
	if err := private.File(path); err != nil {
		out.Close()
		return err
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
