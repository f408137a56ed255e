// Command quietdesk is the Quietdesk desktop app and its admin subcommands.
// This file only wires dependencies: it opens the data directory, builds
// the facades and hands them to Wails, or runs a subcommand.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"quietdesk/app"
	"quietdesk/internal/cli"
	"quietdesk/internal/kiosk"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
	"quietdesk/internal/wailslog"
	"quietdesk/internal/wiring"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if cli.IsSubcommand(os.Args[1:]) {
		cli.UseParentConsole()
		// SIGTERM or Ctrl-C ends a long-running subcommand (the hub) cleanly.
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		code := cli.Run(ctx, os.Args[1:], version, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("quietdesk", flag.ExitOnError)
	dataDir := fs.String("data-dir", cli.DefaultDataDir(), "data directory")
	syncListen := fs.String("sync-listen", fmt.Sprintf(":%d", lansync.DefaultPort), "address to accept office computers on")
	beacon := fs.Int("beacon", lansync.DefaultBeaconPort, "UDP port of the discovery beacon (0: off)")
	tablet := fs.Bool("tablet", false, "run as a check-in tablet (its own folder inside the data directory)")
	fs.Parse(os.Args[1:])
	run := func() error { return runDesktop(*dataDir, *syncListen, *beacon) }
	if *tablet {
		run = func() error { return runTablet(filepath.Join(*dataDir, kiosk.FolderName), *beacon) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quietdesk:", practice.ErrorMessage(err))
		os.Exit(1)
	}
}

// wailsDialogs implements app.Dialogs with the native file dialogs.
type wailsDialogs struct{ ctx context.Context }

func (d *wailsDialogs) SaveFile(title, name, filterName, pattern string) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{
		Title: title, DefaultFilename: name,
		Filters: []runtime.FileFilter{{DisplayName: filterName, Pattern: pattern}},
	})
}

func (d *wailsDialogs) OpenFile(title, filterName, pattern string) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{
		Title: title, Filters: []runtime.FileFilter{{DisplayName: filterName, Pattern: pattern}},
	})
}

// wailsEvents implements app.Emitter with the Wails runtime.
type wailsEvents struct{ ctx context.Context }

func (e *wailsEvents) Emit(event string, data any) { runtime.EventsEmit(e.ctx, event, data) }

// newSyncService builds the data folder's LAN sync service with the
// program's merge hooks; the window starts it once a practice exists.
// Without a readable identity (id.ID "") the app still opens, and the
// Devices screen says sync is off.
func newSyncService(db *store.DB, id lansync.Identity, log *slog.Logger, program *wiring.Program, cfg lansync.Config) *lansync.Service {
	if id.ID == "" {
		return nil
	}
	cfg.DB, cfg.Identity, cfg.Logger = db, id, log
	cfg.AfterApply, cfg.OnMerged = program.AfterApply, program.Merged
	cfg.Desk = program.Desk
	return lansync.New(cfg)
}

func runDesktop(dataDir, syncListen string, beacon int) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// A folder another Quietdesk holds, or a damaged database, still opens
	// the window: it explains the problem instead of vanishing.
	db, problem := store.Open(dataDir, store.Options{AppVersion: version, Logger: log})
	if problem == nil {
		defer db.Close()
	} else {
		log.Warn("data folder unavailable", "code", practice.ErrorCode(problem))
	}
	dialogs := &wailsDialogs{}
	events := &wailsEvents{}
	var syncService *lansync.Service
	var core *app.Core
	// Merged batches and status changes reach the core built just below.
	patientsService := patients.NewService(db)
	machine, _ := os.Hostname()
	var identity lansync.Identity
	if problem == nil {
		var err error
		if identity, err = lansync.LoadIdentity(dataDir); err != nil {
			log.Error("sync identity unreadable", "err", err)
		}
	}
	program := wiring.New(wiring.Config{DB: db, Log: log, Patients: patientsService, Machine: machine, Device: identity.ID,
		Listeners: []func([]store.RowRef){func(rows []store.RowRef) { core.Merged(rows) }}})
	if problem == nil {
		syncService = newSyncService(db, identity, log, program, lansync.Config{
			Listen: syncListen, Beacon: beacon,
			OnStatus: func() { core.SyncStatusChanged() },
		})
	}
	openForRestore := func() (*store.DB, error) {
		return store.OpenForRestore(dataDir, store.Options{AppVersion: version, Logger: log})
	}
	core = app.NewCore(app.Config{DB: db, OpenForRestore: openForRestore, AfterApply: program.AfterApply, Problem: problem, Logger: log, Dialogs: e2eDialogs(dialogs), Sync: syncService, Events: events,
		Calendar: program.Calendar, Patients: patientsService, Alerts: program.Alerts, Outbox: program.Outbox, Desk: program.Desk})
	scheduled, err := program.StartJobs(log)
	if err != nil {
		return err
	}
	defer scheduled.Stop()
	return wails.Run(window(log, "Quietdesk", append(app.Facades(core), app.NewTablet(nil, log, nil, nil)), func(ctx context.Context) {
		dialogs.ctx, events.ctx = ctx, ctx
		// Sync runs whoever is logged in, behind the lock screen too.
		core.StartSync(ctx)
		// The session locks on the backend's clock; the window follows.
		go core.WatchIdle(ctx, time.Second)
	}, func() {
		if syncService != nil {
			syncService.Stop()
		}
	}))
}

// runTablet runs the window of a check-in tablet on its own data folder:
// full screen, closed only after a staff login, with nothing of the
// practice but the pairing. The office facades are bound too, so both
// windows share one set of bindings, on a core that says it has no
// practice; the frontend asks Tablet.Status first and never calls them.
func runTablet(dir string, beacon int) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	k, err := kiosk.Open(dir)
	if err != nil {
		return err
	}
	var quit func()
	var heard atomic.Pointer[lansync.Discovery]
	tablet := app.NewTablet(k, log, func() { quit() }, func() []lansync.Found {
		if d := heard.Load(); d != nil {
			return d.Found()
		}
		return nil
	})
	core := app.NewCore(app.Config{Logger: log, Problem: practice.Errorf(practice.EUnavailable, "This window is a check-in tablet.")})
	opts := window(log, "Quietdesk check-in", append(app.Facades(core), tablet), func(ctx context.Context) {
		quit = func() { runtime.Quit(ctx) }
		go k.DeliverEvery(ctx, 30*time.Second, log)
		// The pairing screen lists the office computers heard; without
		// the beacon (off, or its port taken) the address is typed.
		if beacon > 0 {
			if d, err := lansync.Discover(ctx, beacon, log); err == nil {
				heard.Store(d)
			}
		}
	}, nil)
	opts.Fullscreen = true
	// The patient cannot close it; staff leave through Tablet.Leave.
	opts.OnBeforeClose = func(context.Context) bool { return !tablet.MayClose() && !systemQuit.Load() }
	return wails.Run(opts)
}

// systemQuit is set when the operating system asked the program to end
// (SIGTERM, Ctrl-C): a tablet's window, which a patient cannot close,
// closes then (a shutdown is not a patient leaving).
var systemQuit atomic.Bool

// window is the options both windows share; started runs once the window
// exists, stopped as it closes.
func window(log *slog.Logger, title string, bind []any, started func(ctx context.Context), stopped func()) *options.App {
	return &options.App{
		// Wails' own lines go to our log, never what a bound call was given.
		Logger:    wailslog.Logger{Log: log},
		Title:     title,
		Width:     1280,
		Height:    820,
		MinWidth:  960,
		MinHeight: 640,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 1},
		Linux:            &linux.Options{Icon: icon, ProgramName: "quietdesk"},
		OnStartup: func(ctx context.Context) {
			started(ctx)
			// SIGTERM or Ctrl-C closes the window like the close button, so
			// the database is closed cleanly (session managers, CI).
			stop, cancel := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
			go func() {
				<-stop.Done()
				cancel()
				if ctx.Err() == nil {
					systemQuit.Store(true)
					runtime.Quit(ctx)
				}
			}()
		},
		OnShutdown: func(context.Context) {
			if stopped != nil {
				stopped()
			}
		},
		Bind: bind,
	}
}
