package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"quietdesk/internal/practice"
	"quietdesk/internal/private"
)

// Backup writes a consistent copy of the database to path (which must not
// exist). It needs no key: the copy is as sealed as the database.
//
// Errors: EInternal with a message naming the cause (a full disk, a
// folder that cannot be written); no file is left at path then.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	// Written under a temporary name and renamed when complete and synced,
	// so a crash or a full disk never leaves a partial file that looks
	// like a backup.
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // a relative name starting "file:" would be taken for a URI
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	err := func() error {
		if err := createPrivate(tmp); err != nil { // owner-only before a byte is written
			return err
		}
		// The mode means nothing on Windows: there the file gets an
		// access list naming the user alone, before any data is in it.
		if err := private.File(tmp); err != nil {
			return err
		}
		if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
			return err
		}
		f, err := os.OpenFile(tmp, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}()
	if err != nil {
		// VACUUM INTO stopped by a full disk leaves its rollback journal
		// (F.partial-journal) beside the partial file: both go.
		removeWithSidecars(tmp)
		return db.refused("The backup could not be written", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// restoreBatch is how many salvaged changes are merged per transaction.
var restoreBatch = 2000

// The files of a restore, beside the live database. The live name always
// holds a whole database, the old one or the restored one: the restored
// copy is prepared under its own name and swapped in with one rename.
const (
	restoringSuffix = ".restoring"       // the backup's copy, being prepared
	journalSuffix   = ".restore-journal" // names the before-restore file; present from just before the swap until the end
	beforeRestore   = ".before-restore-" // + time: the replaced database, kept
	journalDamaged  = "damaged"          // the journal's mark of an original that could not be read
)

// restorePoint marks the steps of a restore, for the tests that kill the
// process at each of them; it does nothing otherwise.
var restorePoint = func(step string) {}

// Restore replaces the database with a backup of the same practice, or
// puts a backup into a folder whose database cannot be read.
//
// The backup is checked completely first (integrity, application id,
// practice, schema version), so a refused restore leaves the live
// database byte for byte as it was. The copy is written and synced beside
// the live file and swapped in with a rename; if anything fails after the
// swap the original is put back. A restore interrupted by a crash or a
// power cut is finished or rolled back when the folder is next opened.
//
// The restored database gets a new device id and epoch: the changes and
// audit entries this machine made after the backup are already on other
// machines under the old ones' sequence numbers, and reusing them would
// make peers refuse (or drop as duplicates) the new work. The replaced
// database is kept beside it (practice.db.before-restore-TIME), and every
// change it holds that the backup lacks is merged back, so changes that
// never reached another machine are not lost; the rest come from peers.
//
// Errors: EInvalid (not a Quietdesk backup, damaged, another practice's,
// or made by a newer Quietdesk); EFull when the disk has no room for the
// copy (nothing changed).
func (db *DB) Restore(ctx context.Context, backupPath string, after AfterApply) error {
	want := ""
	if db.sql != nil {
		want = db.practiceID
	}
	if err := checkBackup(ctx, backupPath, want); err != nil {
		return err
	}
	tmp := db.path() + restoringSuffix
	removeWithSidecars(tmp)
	if err := prepareRestored(ctx, backupPath, tmp); err != nil {
		removeWithSidecars(tmp)
		return db.refused("The backup could not be copied beside the practice", err)
	}
	restorePoint("prepared")
	if db.sql == nil && !db.damaged {
		return db.installRestored(tmp)
	}
	if db.sql != nil {
		if err := db.closeForSwap(); err != nil {
			removeWithSidecars(tmp)
			return errors.Join(err, db.openExisting())
		}
	}
	old := db.path() + beforeRestore + db.now().UTC().Format("20060102T150405.000")
	if err := db.keepAside(old); err != nil {
		removeWithSidecars(tmp)
		os.Remove(db.path() + journalSuffix)
		syncDir(db.dir)
		if db.damaged {
			return db.refused("The damaged database could not be kept aside", err)
		}
		return errors.Join(db.refused("The practice could not be kept aside before the restore", err), db.openExisting())
	}
	restorePoint("kept aside")
	// The point of no return: the restored copy takes the live name.
	if err := os.Rename(tmp, db.path()); err != nil {
		return db.rollBackRestore(old, fmt.Errorf("store: restore: %w", err))
	}
	syncDir(db.dir)
	restorePoint("swapped")
	return db.finishRestore(ctx, old, after)
}

// keepAside makes the live file also reachable as old (a hard link, or a
// copy where links are not supported) and records it in the journal, so a
// crash from here on is finished or rolled back at the next open.
func (db *DB) keepAside(old string) error {
	entry := filepath.Base(old)
	if db.damaged {
		entry += "\n" + journalDamaged
	}
	if err := writeFile(db.path()+journalSuffix, strings.NewReader(entry)); err != nil {
		return err
	}
	syncDir(db.dir)
	restorePoint("journal written")
	if db.damaged {
		// Nothing can be read from it: move it aside whole, sidecars too.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(db.path()+suffix, old+suffix); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		syncDir(db.dir)
		return nil
	}
	if err := os.Link(db.path(), old); err != nil {
		if err := copyFile(db.path(), old); err != nil {
			os.Remove(old)
			return err
		}
	}
	syncDir(db.dir)
	return nil
}

// finishRestore opens the swapped-in database and merges back what only
// the replaced one held; on failure the replaced one is put back.
func (db *DB) finishRestore(ctx context.Context, old string, after AfterApply) error {
	if err := db.openExisting(); err != nil {
		return db.rollBackRestore(old, err)
	}
	if !db.damaged {
		if err := db.salvage(ctx, old, after); err != nil {
			return db.rollBackRestore(old, err)
		}
	}
	restorePoint("merged")
	db.damaged = false
	os.Remove(db.path() + journalSuffix)
	syncDir(db.dir)
	return nil
}

// rollBackRestore puts the replaced database back under the live name.
func (db *DB) rollBackRestore(old string, cause error) error {
	resume := db.pauseCheckpoints()
	db.stmts.close()
	if db.sql != nil {
		db.sql.Close()
		db.sql = nil
	}
	resume(false)
	db.vector.reset()
	// The restored copy's WAL must never meet the original file.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(db.path() + suffix)
		os.Remove(old + suffix)
	}
	if err := os.Rename(old, db.path()); err != nil {
		db.log.Error("restore: putting the original back failed", "err", err)
		return practice.Errorf(practice.EInternal,
			"The restore failed and the original database could not be put back. It is kept as %s; do not delete it, and contact support.", filepath.Base(old))
	}
	syncDir(db.dir)
	os.Remove(db.path() + journalSuffix)
	syncDir(db.dir)
	if db.damaged {
		return db.refused("The restored copy could not be opened", cause)
	}
	if err := db.openExisting(); err != nil {
		return err
	}
	return db.refused("The restore could not be finished", cause)
}

// recoverRestore finishes or rolls back a restore a crash interrupted, and
// removes the half-written files of interrupted work. It runs when the
// folder is opened, before the database is.
func (db *DB) recoverRestore(ctx context.Context) error {
	// ".snapshot" is the scratch copy a host made for a joining machine
	// before Snapshot sent the file itself: an older version's leftover.
	for _, suffix := range []string{".creating", ".joining", ".snapshot"} {
		removeWithSidecars(db.path() + suffix)
	}
	journal, err := os.ReadFile(db.path() + journalSuffix)
	if os.IsNotExist(err) {
		removeWithSidecars(db.path() + restoringSuffix) // never swapped in
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: restore journal: %w", err)
	}
	name, flag, _ := strings.Cut(strings.TrimSpace(string(journal)), "\n")
	old := filepath.Join(db.dir, filepath.Base(name))
	db.damaged = flag == journalDamaged // the original was moved aside whole
	if _, err := os.Stat(db.path() + restoringSuffix); err == nil {
		// Stopped before the swap: the live file is the original.
		removeWithSidecars(db.path() + restoringSuffix)
		if _, err := os.Stat(db.path()); err == nil {
			os.Remove(old)
		} else {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Rename(old+suffix, db.path()+suffix) // a damaged file moved aside
			}
		}
		os.Remove(db.path() + journalSuffix)
		syncDir(db.dir)
		db.recovered = "An interrupted restore was rolled back: the practice is as it was before it."
		return nil
	}
	if _, err := os.Stat(db.path()); err != nil {
		// Stopped after putting the original back, before the journal went.
		os.Remove(db.path() + journalSuffix)
		return nil
	}
	// Stopped after the swap: merge again what only the old file held
	// (merging is idempotent), or put the original back if that fails.
	if err := db.finishRestore(ctx, old, nil); err != nil {
		return err
	}
	db.recovered = "An interrupted restore was finished: the practice is the backup's, with the changes made since it merged back."
	return nil
}

// Recovered says what opening did to finish interrupted work ("" when
// nothing), for the next command or window to tell the person.
func (db *DB) Recovered() string { return db.recovered }

// closeForSwap checkpoints and closes the live database, so its file alone
// holds everything (no -wal to lose when it is linked aside).
func (db *DB) closeForSwap() error {
	resume := db.pauseCheckpoints()
	err := checkpointAll(context.Background(), db.sql)
	db.stmts.close()
	if cerr := db.sql.Close(); err == nil {
		err = cerr
	}
	db.sql = nil
	resume(false)
	db.vector.reset()
	if err == nil {
		if st, serr := os.Stat(db.path() + "-wal"); serr == nil && st.Size() > 0 {
			err = errors.New("the write-ahead log was not emptied")
		}
	}
	if err != nil {
		return db.refused("The practice could not be closed for the restore", err)
	}
	return nil
}

// installRestored puts a prepared copy into a folder that held no practice.
func (db *DB) installRestored(tmp string) error {
	if err := os.Rename(tmp, db.path()); err != nil {
		removeWithSidecars(tmp)
		return db.refused("The restored copy could not be put in place", err)
	}
	syncDir(db.dir)
	return db.openExisting()
}

// checkBackup checks a backup completely before anything is touched.
// want is the practice it must belong to ("" for any).
func checkBackup(ctx context.Context, path, want string) error {
	bad := practice.Errorf(practice.EInvalid, "%s is not a Quietdesk backup. Nothing was changed.", filepath.Base(path))
	if _, err := os.Stat(path); err != nil {
		return practice.Errorf(practice.EInvalid, "Cannot read the backup %s: %v. Nothing was changed.", filepath.Base(path), errors.Unwrap(err))
	}
	src, err := sql.Open(driverName, readOnlyDSN(path))
	if err != nil {
		return bad
	}
	defer src.Close()
	var appID int64
	if err := src.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		return bad
	}
	var verdict string
	if err := src.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&verdict); err != nil || verdict != "ok" {
		return practice.Errorf(practice.EInvalid,
			"The backup %s is damaged (it fails SQLite's integrity check). Nothing was changed; choose another backup.", filepath.Base(path))
	}
	var id string
	if err := src.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'practice_id'").Scan(&id); err != nil {
		return bad
	}
	if want != "" && id != want {
		return practice.Errorf(practice.EInvalid, "That backup belongs to another practice. Nothing was changed.")
	}
	var newest int
	var version string
	if err := src.QueryRowContext(ctx, "SELECT version, app_version FROM schema_migrations ORDER BY version DESC LIMIT 1").Scan(&newest, &version); err != nil {
		return bad
	}
	if newest > latestMigration() {
		return practice.Errorf(practice.EInvalid,
			"That backup was made by a newer Quietdesk (%s, database version %d; this one reads up to %d). Update Quietdesk to %s or later, then restore. Nothing was changed.",
			version, newest, latestMigration(), version)
	}
	return nil
}

// prepareRestored copies a checked backup to tmp, synced, with a new
// device id and epoch.
func prepareRestored(ctx context.Context, backupPath, tmp string) error {
	if err := copyFile(backupPath, tmp); err != nil {
		return err
	}
	restorePoint("copied")
	s, err := sql.Open(driverName, dsn(tmp, "rw", ""))
	if err != nil {
		return err
	}
	defer s.Close()
	tx, err := s.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, key := range []string{"device_id", "epoch"} {
		if _, err := tx.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = ?", newID(), key); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Closing checkpoints any WAL into the file; then the file is synced.
	if err := s.Close(); err != nil {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// removeWithSidecars removes a database file and its -wal and -shm.
func removeWithSidecars(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// salvage merges the changes of the database file at path that this one lacks.
func (db *DB) salvage(ctx context.Context, path string, after AfterApply) error {
	src, err := sql.Open(driverName, readOnlyDSN(path))
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
		restorePoint("merged a batch")
	}
}

func backupPracticeID(path string) (string, error) {
	bad := practice.Errorf(practice.EInvalid, "That file is not a Quietdesk backup.")
	src, err := sql.Open(driverName, readOnlyDSN(path))
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

// Snapshot hands fn the database file, for a newly paired machine to start
// from instead of replaying the whole change log. With the connection held
// (no writer can run), the WAL is checkpointed into the file and a second,
// read-only connection opens a read transaction on it: its snapshot is the
// file as it is, and while it lasts no checkpoint may copy later changes
// into the file (SQLite keeps a reader's pages unchanged), so the file is
// read as of that moment. The connection is released before fn runs: this
// machine's own writes go on into the WAL, and the network never holds
// them up. There is no scratch copy to write first (on the 2 GB large
// demo, 9.8 s of the 38 s bootstrap). It needs no key: the file is as
// sealed as the database.
func (db *DB) Snapshot(ctx context.Context, fn func(f *os.File, size int64) error) error {
	if db.sql == nil {
		return practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	size, release, err := db.freezeFile(ctx)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer release()
	f, err := os.Open(db.path())
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	if st.Size() != size {
		return fmt.Errorf("store: snapshot: the file holds %d bytes, the database %d", st.Size(), size)
	}
	return fn(f, st.Size())
}

// checkpointAll copies the whole WAL into the database file and empties
// it; an error when a reader kept part of it back.
func checkpointAll(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) error {
	var busy, logFrames, done int
	if err := q.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("checkpoint incomplete")
	}
	return nil
}

// freezeFile checkpoints the WAL into the database file and holds it
// unchanged until release, in a read transaction of its own connection. It
// returns the database's size in bytes as of that transaction: the file
// holds every page of it.
func (db *DB) freezeFile(ctx context.Context) (int64, func(), error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	resume := db.pauseCheckpoints()
	err = checkpointAll(ctx, conn)
	resume(true)
	if err != nil {
		return 0, nil, err
	}
	// A deferred transaction (not the store's immediate ones, which take
	// the write lock) on a read-only connection.
	rdb, err := sql.Open(driverName, "file:"+uriPath(db.path())+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return 0, nil, err
	}
	rdb.SetMaxOpenConns(1)
	var size int64
	tx, err := rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err == nil {
		// The first read takes the transaction's snapshot: the WAL is empty
		// and no writer can run until conn is released, so it is the file.
		err = tx.QueryRowContext(ctx, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&size)
	}
	if err != nil {
		if tx != nil {
			tx.Rollback()
		}
		rdb.Close()
		return 0, nil, err
	}
	return size, func() { tx.Rollback(); rdb.Close() }, nil
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
		if diskFull(err) || cannotWrite(err) {
			return db.refused("The practice could not be copied here", err)
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
	// A copy cut short or damaged on the way must not become the practice
	// here: every page is checked, as a backup is before a restore.
	var verdict string
	if err := s.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&verdict); err != nil || verdict != "ok" {
		return fmt.Errorf("store: snapshot: the received copy fails its integrity check (%q, %v)", verdict, err)
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
