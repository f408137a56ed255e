package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"quietdesk/internal/notify"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	"quietdesk/internal/sync"
	"quietdesk/internal/wiring"
)

// CodeEnv is read when join gets no --code-file.
const CodeEnv = "QUIETDESK_PAIRING_CODE"

// addrList collects a repeated flag (--peer, --against).
type addrList []string

func (a *addrList) String() string     { return strings.Join(*a, ",") }
func (a *addrList) Set(v string) error { *a = append(*a, v); return nil }

// hubWorkload, when set (only in test builds, see workload_synctest.go),
// runs beside the hub's sync to drive concurrent writes.
var hubWorkload func(ctx context.Context, db *store.DB, log *slog.Logger)

// hubAfterApply, when set (only in test builds), wraps the hook every
// merge transaction of the hub runs, so a test hub can kill itself in the
// middle of merging a batch.
var hubAfterApply func(next store.AfterApply) store.AfterApply

// hub runs sync and the scheduled jobs that need no practice key headless
// until ctx ends (SIGTERM or Ctrl-C in main), with nobody logged in:
// replication never needs the key.
func hub(ctx context.Context, args []string, opts store.Options, stderr io.Writer) error {
	fs, dir := newFlags("hub")
	listen := fs.String("listen", fmt.Sprintf(":%d", sync.DefaultPort), "address to accept peers on")
	name := fs.String("name", "", "this machine's label (default: host name)")
	beacon := fs.Int("beacon", sync.DefaultBeaconPort, "UDP port of the discovery beacon (0: off)")
	var peers addrList
	fs.Var(&peers, "peer", "address of a peer to connect to (repeatable)")
	checkEvery := fs.Duration("check-every", 4*time.Hour, "how often to check the database file page by page")
	if err := parse(fs, args); err != nil {
		return err
	}
	// The hub logs what it does (device ids, counts, jobs), never data.
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := openExisting(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	machine := *name
	if machine == "" {
		machine, _ = os.Hostname()
	}
	id, err := sync.LoadIdentity(*dir)
	if err != nil {
		return err
	}
	program := wiring.New(wiring.Config{DB: db, IntegrityEvery: *checkEvery, Machine: machine, Hub: true, Device: id.ID})
	// A hub sends the practice's e-mail unless a machine was chosen; it
	// holds no key until a manager unlocks it (`quietdesk unlock`).
	if claimed, err := notify.ClaimIfNone(ctx, db); err != nil {
		return err
	} else if claimed {
		opts.Logger.Info("this hub is now the practice's e-mail sender")
	}
	var svc *sync.Service
	cfg := sync.Config{Name: *name, Listen: *listen, Peers: peers, Beacon: *beacon, Logger: opts.Logger,
		Unlock: func(ctx context.Context, user, password string) error {
			return unlockHub(ctx, db, svc, program, user, password)
		}}
	if hubAfterApply != nil {
		cfg.AfterApply = hubAfterApply(program.AfterApply)
	}
	svc, err = newService(db, *dir, program, cfg)
	if err != nil {
		return err
	}
	if err := svc.Start(ctx); err != nil {
		return err
	}
	scheduled, err := program.StartJobs(opts.Logger)
	if err != nil {
		svc.Stop()
		return err
	}
	defer scheduled.Stop()
	serveControl(ctx, *dir, db, svc, program, opts.Logger)
	if hubWorkload != nil {
		go hubWorkload(ctx, db, opts.Logger)
	}
	opts.Logger.Info("hub running", "device", svc.ID()[:12], "listen", svc.Addr())
	<-ctx.Done()
	svc.Stop()
	opts.Logger.Info("hub stopped")
	return nil
}

// newService loads the device identity of dir and builds its sync service
// with the program's merge hooks (cfg.AfterApply when set, which must run
// them).
func newService(db *store.DB, dir string, program *wiring.Program, cfg sync.Config) (*sync.Service, error) {
	id, err := sync.LoadIdentity(dir)
	if err != nil {
		return nil, err
	}
	if cfg.AfterApply == nil {
		cfg.AfterApply = program.AfterApply
	}
	cfg.DB, cfg.Identity, cfg.Desk = db, id, program.Desk
	return sync.New(cfg), nil
}

// digest prints the digest of the replicated data, asking the hub when one
// runs on the folder.
func digest(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("digest")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(*dir, opts)
	if busy(err) {
		d, err := askHub(*dir, "digest")
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, d)
		return nil
	}
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.Digest(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, d)
	return nil
}

// pairOpen opens a pairing window on this machine and prints the code and
// the address to join at. When a hub runs on the folder, the hub opens the
// window (and pairs) and this returns at once; otherwise this command
// listens itself and waits until a device has joined and copied the
// practice, or the window closes.
func pairOpen(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("pair open")
	listen := fs.String("listen", fmt.Sprintf(":%d", sync.DefaultPort), "address to accept the new device on (without a hub)")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(*dir, opts)
	if busy(err) {
		got, err := askHub(*dir, "pair-open")
		if err != nil {
			return err
		}
		f := strings.Fields(got)
		if len(f) != 3 {
			return fmt.Errorf("cli: the hub answered %q", got)
		}
		fmt.Fprintf(stdout, "code: %s\naddress: %s\nexpires: %s\n", f[0], f[1], f[2])
		return nil
	}
	if err != nil {
		return err
	}
	defer db.Close()
	joined := make(chan string, 1)
	svc, err := newService(db, *dir, wiring.New(wiring.Config{DB: db}), sync.Config{Listen: *listen, Logger: opts.Logger,
		OnJoined: func(id string) { joined <- id }})
	if err != nil {
		return err
	}
	if err := svc.Start(ctx); err != nil {
		return err
	}
	defer svc.Stop()
	p, err := svc.OpenPairing(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "code: %s\naddress: %s\nexpires: %s\n", p.Code, svc.Addr(), p.Expires.UTC().Format(time.RFC3339))
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case id := <-joined:
			fmt.Fprintf(stdout, "joined: %s\n", id)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			if st, err := svc.Status(ctx); err == nil && !st.PairingOpen {
				select {
				case id := <-joined:
					fmt.Fprintf(stdout, "joined: %s\n", id)
					return nil
				case <-time.After(time.Minute):
					return practice.Errorf(practice.EWrongPassword, "The pairing window closed without a device joining.")
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}
}

// join pairs this (empty) data folder with a practice through one of its
// machines and copies the practice here.
func join(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("join")
	address := fs.String("address", "", "host:port of a machine with an open pairing window")
	codeFile := fs.String("code-file", "", "file holding the pairing code (or $"+CodeEnv+")")
	name := fs.String("name", "", "this machine's label (default: host name)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *address == "" {
		return usageError("--address is required")
	}
	code := os.Getenv(CodeEnv)
	if *codeFile != "" {
		b, err := os.ReadFile(*codeFile)
		if err != nil {
			return practice.Errorf(practice.EInvalid, "Cannot read the code file: %v", errors.Unwrap(err))
		}
		code = string(b)
	}
	if code == "" {
		return usageError("give the pairing code with --code-file F or $" + CodeEnv)
	}
	db, err := store.Open(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := sync.LoadIdentity(*dir)
	if err != nil {
		return err
	}
	var copied, caughtUp int64
	err = sync.Join(ctx, sync.JoinOptions{DB: db, Identity: id, Name: *name, Address: *address, Code: code, Logger: opts.Logger,
		Progress: func(phase string, done, _ int64) {
			if phase == sync.PhaseCopy {
				copied = done
			} else {
				caughtUp = done
			}
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "joined: %d bytes copied, %d changes caught up\n", copied, caughtUp)
	return nil
}

// backup writes a consistent copy of the database to a new file, through
// the hub when one runs on the folder (an always-on machine is backed up
// without stopping it).
func backup(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("backup")
	to := fs.String("to", "", "file to write (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return usageError("--to is required")
	}
	path, err := filepath.Abs(*to) // the hub runs in another directory
	if err != nil || strings.ContainsAny(path, "\r\n") {
		return usageError("--to must be a file name on one line")
	}
	db, err := openExisting(*dir, opts)
	if busy(err) {
		if _, err := askHub(*dir, "backup "+path); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written by the running hub: %s\n", path)
		return nil
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if err := writeBackup(ctx, db, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written: %s\n", path)
	return nil
}

// writeBackup writes a backup to path, which must not exist.
func writeBackup(ctx context.Context, db *store.DB, path string) error {
	if _, err := os.Stat(path); err == nil {
		return practice.Errorf(practice.EConflict, "%s exists; choose a new file name.", path)
	}
	return db.Backup(ctx, path)
}

// restore replaces the database with a backup; see store.DB.Restore for
// why the restored database gets a new epoch and keeps unsent changes.
func restore(ctx context.Context, args []string, opts store.Options, stdout io.Writer) error {
	fs, dir := newFlags("restore")
	from := fs.String("from", "", "backup file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError("--from is required")
	}
	// A database that cannot be read is no reason to refuse: restoring a
	// backup is what its message advises.
	db, err := store.OpenForRestore(*dir, opts)
	if err != nil {
		return err
	}
	defer db.Close()
	tellRecovered(db)
	damaged, fresh := db.Damaged(), !db.Exists()
	// The unsent changes merged back run the merge hooks like any merge.
	if err := db.Restore(ctx, *from, wiring.New(wiring.Config{DB: db}).AfterApply); err != nil {
		return err
	}
	switch {
	case damaged:
		fmt.Fprintln(stdout, "restored; the damaged database was kept aside as practice.db.before-restore-…, and peers send the changes made since the backup")
	case fresh:
		fmt.Fprintln(stdout, "restored into an empty folder; peers send the changes made since the backup")
	default:
		fmt.Fprintln(stdout, "restored; changes the backup lacked were kept, and peers send the rest")
	}
	return nil
}
