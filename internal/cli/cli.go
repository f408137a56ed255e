// Package cli runs Quietdesk's subcommands: the ones scripts, an always-on
// office machine and tests use instead of the window. Passwords come from a
// file or the environment, never from the command line (argv is visible to
// every user of the machine).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"quietdesk/internal/demo"
	"quietdesk/internal/export"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
)

// PasswordEnv is read when no --password-file is given.
const PasswordEnv = "QUIETDESK_PASSWORD"

// DataDirEnv overrides the default data directory.
const DataDirEnv = "QUIETDESK_DATA_DIR"

// DefaultDataDir is the per-user application data folder (see
// userDataBase), or $QUIETDESK_DATA_DIR when set.
func DefaultDataDir() string {
	if d := os.Getenv(DataDirEnv); d != "" {
		return d
	}
	return filepath.Join(userDataBase(), "Quietdesk")
}

// IsSubcommand reports whether args (without the program name) name a
// subcommand rather than flags for the desktop window.
func IsSubcommand(args []string) bool {
	return len(args) > 0 && !strings.HasPrefix(args[0], "-")
}

const usage = `usage:
  quietdesk                                   open the desktop window
  quietdesk demo --data-dir D [--size small|large] [--seed N]
  quietdesk export patients --data-dir D --user U [--password-file F] --format csv
  quietdesk export claims --data-dir D --user U [--password-file F] --format 837p|csv [--from DATE --to DATE] --out FILE
                                              837p: every claim not sent yet that the scrubber passes
  quietdesk audit verify --data-dir D [--user U [--password-file F]] [--against OTHER_DIR_OR_BACKUP ...]
                                              without a password: structure only
  quietdesk check --data-dir D                integrity check of the database file
  quietdesk hub --data-dir D [--listen ADDR] [--peer ADDR ...] [--name N] [--beacon PORT] [--check-every 4h]
                                              sync and the jobs that need no key, headless
                                              (an always-on office machine)
  quietdesk unlock --data-dir D --user U [--password-file F]
                                              give the running hub the practice key (in memory only)
                                              so it sends the practice's e-mail; owners only
  quietdesk digest --data-dir D               digest of the replicated data (equal on machines in sync;
                                              asks the hub when one runs on D)
  quietdesk backup --data-dir D --to F        write a consistent copy of the database to F
  quietdesk backup folder --data-dir D --folder F
                                              nightly backups go to folder F, made by this machine
                                              (through the hub when one runs on D)
  quietdesk backup now --data-dir D           make the nightly backup now: written, checked, old ones pruned
  quietdesk backup drill --data-dir D         restore the newest nightly backup into a temporary folder,
                                              open it and count what it holds
  quietdesk restore --data-dir D --from F     replace the database with backup F (new epoch; keeps unsent changes)
  quietdesk pair open --data-dir D [--listen ADDR]
                                              let one new machine join: prints a pairing code
                                              (through the hub when one runs on D)
  quietdesk join --data-dir D --address A [--code-file F] [--name N]
                                              join a practice (code from F or $QUIETDESK_PAIRING_CODE)
`

// Run executes a subcommand and returns the process exit code.
func Run(ctx context.Context, args []string, version string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := store.Options{AppVersion: version, Logger: log}
	var err error
	switch strings.Join(args[:min(len(args), 2)], " ") {
	case "audit verify":
		err = auditVerify(ctx, args[2:], opts, stdout)
	case "export patients":
		err = exportPatients(ctx, args[2:], opts, stdout)
	case "export claims":
		err = exportClaims(ctx, args[2:], opts, stdout)
	case "backup folder":
		err = backupFolder(ctx, args[2:], opts, stdout)
	case "backup now":
		err = backupNow(ctx, args[2:], opts, stdout)
	case "backup drill":
		err = backupDrill(ctx, args[2:], opts, stdout)
	case "pair open":
		err = pairOpen(ctx, args[2:], opts, stdout)
	default:
		switch args[0] {
		case "demo":
			err = makeDemo(ctx, args[1:], opts, stdout)
		case "check":
			err = check(ctx, args[1:], opts, stdout)
		case "hub":
			err = hub(ctx, args[1:], opts, stderr)
		case "digest":
			err = digest(ctx, args[1:], opts, stdout)
		case "unlock":
			err = unlockRunningHub(ctx, args[1:], opts, stdout)
		case "backup":
			err = backup(ctx, args[1:], opts, stdout)
		case "restore":
			err = restore(ctx, args[1:], opts, stdout)
		case "join":
			err = join(ctx, args[1:], opts, stdout)
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		default:
			fmt.Fprintf(stderr, "quietdesk: unknown command %q\n%s", strings.Join(args, " "), usage)
			return 2
		}
	}
	if err != nil {
		var usageErr usageError
		if errors.As(err, &usageErr) {
			fmt.Fprintf(stderr, "quietdesk: %s\n%s", usageErr, usage)
			return 2
		}
		fmt.Fprintf(stderr, "quietdesk: %s\n", practice.ErrorMessage(err))
		if practice.ErrorCode(err) == practice.EInternal {
			log.Error("command failed", "err", err)
		}
		return 1
	}
	return 0
}

type usageError string

func (u usageError) Error() string { return string(u) }

func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("data-dir", DefaultDataDir(), "data directory")
	return fs, dir
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument " + fs.Arg(0))
	}
	return nil
}

func makeDemo(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("demo")
	size := fs.String("size", "small", "small or large")
	seed := fs.Int64("seed", 1, "random seed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *size != string(demo.Small) && *size != string(demo.Large) {
		return usageError("--size must be small or large")
	}
	db, err := store.Open(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Exists() {
		return practice.Errorf(practice.EConflict, "%s already holds a practice; choose an empty folder for the demo.", *dir)
	}
	login, err := demo.Create(ctx, db, demo.Size(*size), *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user: %s\npassword: %s\n", login.Username, login.Password)
	return nil
}

// readPassword reads the password from --password-file or the environment.
func readPassword(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", practice.Errorf(practice.EInvalid, "Cannot read the password file: %v", errors.Unwrap(err))
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if pw := os.Getenv(PasswordEnv); pw != "" {
		return pw, nil
	}
	return "", usageError("give the password with --password-file F or $" + PasswordEnv)
}

func exportPatients(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("export patients")
	user := fs.String("user", "", "staff username")
	pwFile := fs.String("password-file", "", "file holding the password")
	format := fs.String("format", "csv", "output format (csv)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *user == "" {
		return usageError("--user is required")
	}
	if *format != "csv" {
		return usageError("--format must be csv")
	}
	pw, err := readPassword(*pwFile)
	if err != nil {
		return err
	}
	db, err := openExisting(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, err := unlock(ctx, db, *user, pw)
	if err != nil {
		return err
	}
	if acct.Role != practice.RoleOwner && acct.Role != practice.RoleBiller {
		return practice.Errorf(practice.EForbidden, "Only an owner or biller may export the patient list.")
	}
	// The audit entry commits (synchronous=FULL) before the first byte
	// leaves: an export cut short by a closed pipe, a full disk or a kill
	// still has its entry, and one whose entry cannot be written sends
	// nothing.
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.Audit(acct.ID, "patient.export", "patients", "") }); err != nil {
		return err
	}
	return db.View(ctx, func(tx *store.Tx) error {
		_, err := export.PatientsCSV(stdout, tx)
		return err
	})
}

// unlock logs in after the back-off the recent failures for user have
// earned (each command is a new process, so they are counted in the
// database); a wrong password is audited by the store.
func unlock(ctx context.Context, db *store.DB, user, password string) (practice.Account, error) {
	if err := db.AwaitBackoff(ctx, user); err != nil {
		return practice.Account{}, err
	}
	return db.Unlock(ctx, user, password)
}

func openExisting(dir string, opts store.Options) (*store.DB, error) {
	db, err := store.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	tellRecovered(db)
	if !db.Exists() {
		db.Close()
		return nil, practice.Errorf(practice.ENotFound, "There is no practice in %s.", dir)
	}
	return db, nil
}

// tellRecovered says on stderr what opening the folder did to finish an
// interrupted restore, so the person learns which practice they now have.
func tellRecovered(db *store.DB) {
	if msg := db.Recovered(); msg != "" {
		fmt.Fprintf(os.Stderr, "quietdesk: %s\n", msg)
	}
}

func auditVerify(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("audit verify")
	user := fs.String("user", "", "staff username: with the password, every MAC is checked")
	pwFile := fs.String("password-file", "", "file holding the password")
	var against addrList
	fs.Var(&against, "against", "another machine's data folder or backup to compare checkpoints with (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	if *user != "" {
		pw, err := readPassword(*pwFile)
		if err != nil {
			return err
		}
		if _, err := unlock(ctx, db, *user, pw); err != nil {
			return err
		}
	}
	rep, err := db.VerifyAudit(ctx, against...)
	if err != nil {
		return practice.Errorf(practice.EDamaged, "audit trail check FAILED after %d good entries: %v", rep.Entries, err)
	}
	fmt.Fprintf(stdout, "audit trail ok: %s\n", rep.Proved())
	return nil
}

func check(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("check")
	if err := parse(fs, args); err != nil {
		return err
	}
	var res string
	db, err := openExisting(*dir, opts)
	switch {
	case busy(err):
		// A running hub holds the folder: it checks its own database.
		if res, err = askHub(*dir, "check"); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		defer db.Close()
		if res, err = db.IntegrityCheck(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "integrity_check: %s\n", res)
	if res != "ok" {
		return practice.Errorf(practice.EDamaged, "the database file is damaged")
	}
	return nil
}
