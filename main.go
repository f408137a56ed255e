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
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"quietdesk/app"
	"quietdesk/internal/cli"
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
	fs.Parse(os.Args[1:])
	if err := runDesktop(*dataDir, *syncListen, *beacon); err != nil {
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
	return wails.Run(&options.App{
		// Wails' own lines go to our log, never what a bound call was given.
		Logger:    wailslog.Logger{Log: log},
		Title:     "Quietdesk",
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
			dialogs.ctx, events.ctx = ctx, ctx
			// Sync runs whoever is logged in, behind the lock screen too.
			core.StartSync(ctx)
			// The session locks on the backend's clock; the window follows.
			go core.WatchIdle(ctx, time.Second)
			// SIGTERM or Ctrl-C closes the window like the close button, so
			// the database is closed cleanly (session managers, CI).
			stop, cancel := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
			go func() {
				<-stop.Done()
				cancel()
				if ctx.Err() == nil {
					runtime.Quit(ctx)
				}
			}()
		},
		OnShutdown: func(context.Context) {
			if syncService != nil {
				syncService.Stop()
			}
		},
		Bind: app.Facades(core),
	})
}
