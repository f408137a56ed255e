// Package store is Quietdesk's only access to SQLite. It opens the practice
// database, runs migrations, seals and opens field groups with the practice
// key, and offers one mutation path (Tx) that writes domain rows, the change
// log and the clock in a single transaction. Domain code never writes tables
// any other way.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"

	"quietdesk/internal/practice"
	"quietdesk/internal/private"
	"quietdesk/internal/vault"
)

// FileName is the database file inside a data directory.
const FileName = "practice.db"

const driverName = "quietdesk-sqlite3"

func init() {
	// mattn/go-sqlite3 has no DSN option for temp_store; set it on every
	// connection so no temporary table or index ever reaches the disk.
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			// Through driver.ExecerContext, which the cgo-less stub of
			// SQLiteConn lacks: the package still type-checks for macOS
			// with cgo off (make vet-cross); such a build fails here.
			execer, ok := any(c).(driver.ExecerContext)
			if !ok {
				return errors.New("store: SQLite needs a cgo build")
			}
			_, err := execer.ExecContext(context.Background(), "PRAGMA temp_store = MEMORY", nil)
			return err
		},
	})
}

// Options configure a DB. The zero value works (real clock, no logging).
type Options struct {
	Now        func() time.Time
	AppVersion string
	Logger     *slog.Logger
}

// DB is one data directory's practice database. It starts locked (no key);
// Unlock or Create gives it the practice key.
type DB struct {
	dir        string
	now        func() time.Time
	appVersion string
	log        *slog.Logger
	lock       *os.File

	sql        *sql.DB // nil while the directory holds no practice
	damaged    bool    // OpenForRestore found a database it cannot read
	recovered  string  // what opening did to finish interrupted work
	practiceID string
	deviceID   string
	epoch      string

	stmts   stmtCache    // prepared on sql; closed whenever sql is
	ckpt    checkpointer // copies the WAL into the file after commits
	commits notifier     // told after every commit that grew the change log
	vector  vectorCache  // the change log's vector, kept current by commits

	opened atomic.Int64 // sealed groups decrypted, counted so tests can hold reads to one per group

	mu       sync.RWMutex
	sealer   *vault.Sealer // nil until unlocked
	dek      vault.Key
	auditKey []byte // keys the audit trail's MACs; derived from dek
}

// Open takes the data directory for this process and opens its database if
// there is one. It never creates or modifies a database it cannot read.
//
// Errors: EBusy when another process holds dir; EDamaged when the database
// file is not a Quietdesk database.
func Open(dir string, opt Options) (*DB, error) { return open(dir, opt, false) }

func open(dir string, opt Options, forRestore bool) (*DB, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, practice.Errorf(practice.EInvalid,
			"The data folder %s is a file, not a folder. Nothing was changed; choose a folder for Quietdesk's data.", dir)
	}
	// The folder is the user's alone; on Windows its access list is
	// inherited by the database, its -wal and -shm, the lock and the identity.
	if err := private.Dir(dir); err != nil {
		return nil, cannotUseFolder(dir, err)
	}
	if err := makePrivate(dir); err != nil {
		return nil, cannotUseFolder(dir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, cannotUseFolder(dir, err)
	}
	db := &DB{dir: dir, now: opt.Now, appVersion: opt.AppVersion, log: opt.Logger, lock: lock}
	if err := db.recoverRestore(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if db.sql != nil {
		return db, nil
	}
	if _, err := os.Stat(db.path()); err == nil {
		if err := db.openExisting(); err != nil {
			if practice.ErrorCode(err) == practice.EDamaged && forRestore {
				db.damaged = true
				return db, nil
			}
			db.Close()
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return db, nil
}

// OpenForRestore is Open for restoring a backup: a database that cannot
// be read is no reason to refuse (a backup is the remedy), so it is kept
// closed, and Restore moves it aside whole.
func OpenForRestore(dir string, opt Options) (*DB, error) { return open(dir, opt, true) }

// Damaged reports whether OpenForRestore found a database it cannot read.
func (db *DB) Damaged() bool { return db.damaged }

func (db *DB) path() string { return filepath.Join(db.dir, FileName) }

// applicationID marks a SQLite file as a Quietdesk database ("QDK1"), so a
// foreign SQLite file is recognised before anything is written to it.
const applicationID = 0x51444b31

// dsn is the connection string. journal is "" to leave the journal mode as
// the file has it (used until the file is known to be Quietdesk's).
func dsn(path, mode, journal string) string {
	// synchronous=FULL: a committed transaction survives a power cut, not
	// only a crash. secure_delete: freed pages are zeroed, so old sealed
	// values do not linger in free space.
	s := "file:" + uriPath(path) + "?mode=" + mode +
		"&_synchronous=FULL&_foreign_keys=on&_secure_delete=on&_txlock=immediate&_busy_timeout=5000"
	if journal != "" {
		s += "&_journal_mode=" + journal
	}
	return s
}

// uriPath escapes a file path for a SQLite URI: a path is a path, so '#',
// '?' and '%' (legal in folder names, and in Windows user names) must not
// end it or be decoded. Everything but unreserved characters and the
// separator is percent-encoded; SQLite decodes it back byte for byte, so
// non-ASCII names survive. The path is made absolute first, so a folder
// whose name starts like a URI authority or scheme stays a folder.
func uriPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	path = filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" {
		path = "/" + path // file:///C:/… on Windows
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/', c == ':':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// readOnlyDSN opens a file that must not change, such as a backup (which
// may sit on read-only media): no lock, no -shm, nothing written.
func readOnlyDSN(path string) string {
	return "file:" + uriPath(path) + "?mode=ro&immutable=1"
}

var sqliteHeader = []byte("SQLite format 3\x00")

// openChecked are the tables opening and logging in read, checked page by
// page before anything is written. The whole file is checked by IntegrityCheck
// (`quietdesk check` and a scheduled job): checking every page at each
// start took 1.5 s on a practice with five years of appointments (670 MB).
var openChecked = []string{"meta", "accounts", "practice_keys", "settings"}

// openExisting opens the practice file read-only in effect until it is
// known to be a sound Quietdesk database: checks come first, and only then
// the WAL switch and migrations, so a foreign or damaged file is never
// written to.
func (db *DB) openExisting() error {
	err := db.openChecked()
	if err != nil && db.sql != nil {
		resume := db.pauseCheckpoints()
		db.stmts.close()
		db.sql.Close()
		db.sql = nil
		resume(false)
	}
	return err
}

func (db *DB) openChecked() error {
	// A file Quietdesk may not write is not damaged: say what it is
	// (SQLite would open it read-only, and fail later as if damaged).
	if f, err := os.OpenFile(db.path(), os.O_RDWR, 0); err != nil {
		if cannotWrite(err) {
			return cannotUseFolder(db.dir, err)
		}
	} else {
		f.Close()
	}
	damaged := practice.Errorf(practice.EDamaged,
		"The practice database in %s cannot be read. It was left untouched; restore a backup or contact support.", db.dir)
	f, err := os.Open(db.path())
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return damaged
	}
	s, err := sql.Open(driverName, dsn(db.path(), "rw", ""))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.SetMaxOpenConns(1)
	db.sql = s
	var appID int64
	if err := s.QueryRow("PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		db.log.Error("not a Quietdesk database", "application_id", appID)
		return damaged
	}
	for _, table := range openChecked {
		var ok string
		if err := s.QueryRow("PRAGMA quick_check(" + table + ")").Scan(&ok); err != nil || ok != "ok" {
			db.log.Error("database failed quick_check", "table", table, "result", ok, "err", err)
			return damaged
		}
	}
	if err := db.loadMeta(); err != nil {
		db.log.Error("meta unreadable", "err", err)
		return damaged
	}
	if _, err := s.Exec("PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("store: WAL: %w", err)
	}
	if err := db.migrate(); err != nil {
		db.log.Error("migration failed", "err", err)
		return damaged
	}
	if err := db.stmts.prepare(s); err != nil {
		return err
	}
	if err := db.liveOpened(s); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return db.mergeDeferred(context.Background())
}

func (db *DB) loadMeta() error {
	for key, dst := range map[string]*string{"practice_id": &db.practiceID, "device_id": &db.deviceID, "epoch": &db.epoch} {
		if err := db.sql.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(dst); err != nil {
			return fmt.Errorf("meta %s: %w", key, err)
		}
	}
	return nil
}

// Exists reports whether the directory holds a practice.
func (db *DB) Exists() bool { return db.sql != nil }

// Unlocked reports whether the practice key is loaded.
func (db *DB) Unlocked() bool {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.sealer != nil
}

// Close releases the key, the database and the directory lock.
func (db *DB) Close() error {
	db.mu.Lock()
	db.sealer = nil
	db.dek.Wipe()
	clear(db.auditKey)
	db.auditKey = nil
	db.mu.Unlock()
	var err error
	resume := db.pauseCheckpoints()
	db.stmts.close()
	db.vector.reset()
	if db.sql != nil {
		err = db.sql.Close()
		db.sql = nil
	}
	resume(false)
	if db.lock != nil {
		unlockDir(db.lock)
		db.lock = nil
	}
	return err
}

// Create makes a new practice database in the directory, protected by a
// fresh data key, and runs init in its first transaction (to add the owner
// account and settings). The file appears under its real name only once it
// is complete, so a crash during creation leaves no half-made practice.
//
// Errors: EConflict when the directory already holds a practice.
func (db *DB) Create(ctx context.Context, init func(tx *Tx) error) error {
	return db.CreateFilled(ctx, init, nil)
}

// CreateFilled is Create for a practice made in many transactions (the
// demo's thousands of patients and appointments): fill runs after init,
// while the practice still has its temporary name, so a crash or a full
// disk anywhere leaves no practice at all and the command can run again.
//
// Errors: EConflict when the directory already holds a practice; the
// errors of init and fill; EInternal naming the cause (a full disk) when
// writing failed, after which the folder holds no practice.
func (db *DB) CreateFilled(ctx context.Context, init func(tx *Tx) error, fill func() error) error {
	dek, err := vault.NewKey()
	if err != nil {
		return err
	}
	return db.build(ctx, newID(), func() error {
		if err := db.setKey(dek); err != nil {
			return err
		}
		if err := db.Update(ctx, init); err != nil {
			return err
		}
		if fill != nil {
			return fill()
		}
		return nil
	})
}

// CreateReplica makes an empty database for an existing practice on a
// newly paired machine; sync then fills it, key slots included, so staff
// log in with their usual passwords. It holds no key until someone does.
//
// Errors: EConflict when the directory already holds a practice.
func (db *DB) CreateReplica(ctx context.Context, practiceID string) error {
	return db.build(ctx, practiceID, nil)
}

// build makes a database for practiceID with a new device id and epoch
// under a temporary name, runs fill (may be nil), and renames it into place.
func (db *DB) build(ctx context.Context, practiceID string, fill func() error) error {
	if db.sql != nil {
		return practice.Errorf(practice.EConflict, "This data folder already holds a practice.")
	}
	tmp := db.path() + ".creating"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := createPrivate(tmp); err != nil {
		return fmt.Errorf("store: create: %w", err)
	}
	s, err := sql.Open(driverName, dsn(tmp, "rwc", "WAL"))
	if err != nil {
		return fmt.Errorf("store: create: %w", err)
	}
	s.SetMaxOpenConns(1)
	db.sql = s
	// The file is not the practice until it is renamed into place, and a
	// crash before that leaves it to be removed and made again: its commits
	// need not wait for the disk. The last checkpoint, below, does.
	if _, err := s.ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
		s.Close()
		db.sql = nil
		return fmt.Errorf("store: create: %w", err)
	}
	fail := func(err error) error {
		db.stmts.close()
		s.Close()
		db.sql = nil
		db.vector.reset()
		db.lockKey()
		removeWithSidecars(tmp)
		syncDir(db.dir)
		var pe *practice.Error
		if errors.As(err, &pe) && pe.Code != practice.EInternal {
			return err // the caller's own refusal (a form's problem), already true
		}
		return db.refused("The practice could not be created", err)
	}
	if err := db.migrate(); err != nil {
		return fail(err)
	}
	if err := db.stmts.prepare(s); err != nil {
		return fail(err)
	}
	db.practiceID, db.deviceID, db.epoch = practiceID, newID(), newID()
	for k, v := range map[string]string{"practice_id": db.practiceID, "device_id": db.deviceID, "epoch": db.epoch, "hlc": "0"} {
		if _, err := s.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", k, v); err != nil {
			return fail(fmt.Errorf("store: meta: %w", err))
		}
	}
	if fill != nil {
		if err := fill(); err != nil {
			return fail(err)
		}
	}
	// Closing checkpoints the WAL into the main file, so a rename moves it
	// all; at synchronous=FULL the checkpoint syncs the file before the
	// rename makes it the practice.
	db.stmts.close()
	if _, err := s.ExecContext(ctx, "PRAGMA synchronous = FULL"); err != nil {
		return fail(fmt.Errorf("store: create: %w", err))
	}
	if err := s.Close(); err != nil {
		return fail(fmt.Errorf("store: create: %w", err))
	}
	if err := os.Rename(tmp, db.path()); err != nil {
		return fail(fmt.Errorf("store: create: %w", err))
	}
	syncDir(db.dir)
	return db.reopen()
}

// reopen opens the practice file in place as the live database.
func (db *DB) reopen() error {
	s, err := sql.Open(driverName, dsn(db.path(), "rw", "WAL"))
	if err != nil {
		return fmt.Errorf("store: reopen: %w", err)
	}
	s.SetMaxOpenConns(1)
	db.sql = s
	if err := db.stmts.prepare(s); err != nil {
		return err
	}
	return db.liveOpened(s)
}

func (db *DB) setKey(dek vault.Key) error {
	sealer, err := vault.NewSealer(dek, 1)
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	db.dek = dek
	db.sealer = sealer
	db.auditKey = auditKeyOf(dek)
	return nil
}

func (db *DB) lockKey() {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.sealer = nil
	db.dek.Wipe()
	clear(db.auditKey)
	db.auditKey = nil
}

func (db *DB) key() (*vault.Sealer, vault.Key, error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.sealer == nil {
		return nil, vault.Key{}, practice.Errorf(practice.EUnauthorized, "Please log in first.")
	}
	return db.sealer, db.dek, nil
}

// IntegrityCheck runs SQLite's full integrity check and returns its verdict
// ("ok" when the file is sound).
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	if db.sql == nil {
		return "", practice.Errorf(practice.ENotFound, "There is no practice in this data folder.")
	}
	var res string
	err := db.sql.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func errBusy(dir string) error {
	return practice.Errorf(practice.EBusy,
		"Quietdesk is already running with the data folder %s (another window or the office hub). Close it first.", dir)
}

// PracticeID is the practice this database belongs to ("" before one exists).
func (db *DB) PracticeID() string { return db.practiceID }

// Origin is this database's name in the change log (the origin of the
// changes written here); a restore gives it a new one.
func (db *DB) Origin() string { return db.deviceID }
