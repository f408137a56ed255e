// Package wiring is the one place where each area says what runs beside its
// service: the hooks that run inside the transaction merging another
// machine's changes, its scheduled jobs, and who hears that data changed.
// The desktop window (main.go) and `quietdesk hub` (internal/cli) both
// build their program from it, so the two cannot drift apart: a job or a
// merge hook added here runs on every machine that should run it.
package wiring

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/authorizations"
	"quietdesk/internal/backups"
	"quietdesk/internal/calendar"
	"quietdesk/internal/credentialing"
	"quietdesk/internal/intake"
	"quietdesk/internal/jobs"
	"quietdesk/internal/mail"
	"quietdesk/internal/notify"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
)

// Job is one area's scheduled work.
type Job struct {
	Name string
	Spec string // a cron spec or a descriptor such as "@every 30m"
	// NeedsKey: the job reads or writes sealed data, so it runs only where
	// the practice key is loaded (a window someone logged into, behind a
	// locked screen too) and is skipped elsewhere, such as on a hub.
	NeedsKey bool
	Run      func(ctx context.Context, db *store.DB) error
}

// Config is what differs between the window and the hub.
type Config struct {
	DB  *store.DB
	Log *slog.Logger // nil: slog.Default()
	// Patients is the window's patients service: its search index hears
	// every merged patient. The hub has none (it keeps no index).
	Patients *patients.Service
	// Listeners hear which rows a merged batch from another machine
	// changed, after it committed and after the areas' own listeners (the
	// search index is current before the window is told to reload).
	Listeners []func(changed []store.RowRef)
	// IntegrityEvery is how often the database file is checked page by
	// page; 0 means every four hours.
	IntegrityEvery time.Duration
	// Machine is this machine's label and Hub whether it is a headless
	// hub: it reports itself under them as a possible e-mail sender.
	Machine string
	Hub     bool
	// Device is this machine's sync device id ("" when it does not sync):
	// it names every other computer of the practice that has gone quiet.
	Device string
	// Mail reaches the practice's relay (the zero value: system roots).
	Mail mail.Dialer
}

// Program is the wired set of services, hooks and jobs of one process.
type Program struct {
	// Calendar is the calendar service with the booking checks of the
	// areas above it registered.
	Calendar *calendar.Service
	// Alerts gathers what needs someone's action from every area that
	// raises alerts (authorizations, credentialing).
	Alerts *alerts.Registry
	// Desk serves check-in tablets: sync hands it their deliveries.
	Desk *intake.Desk
	// Outbox sends the practice's e-mail from the designated sender.
	Outbox *notify.Outbox

	db         *store.DB
	machine    string
	hub        bool
	log        *slog.Logger
	mergeHooks []func(tx *store.Tx, changed []store.RowRef) error
	listeners  []func(changed []store.RowRef)
	jobs       []Job
}

// New registers every area's hooks and jobs.
func New(cfg Config) *Program {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	p := &Program{db: cfg.DB, machine: cfg.Machine, hub: cfg.Hub, log: log,
		// Areas that guard bookings (authorizations, credentialing) add
		// their calendar.BookingCheck here.
		// Credentialing guards bookings and answers the waitlist's and
		// matching's network question.
		Calendar: calendar.NewService(credentialing.BookingCheck).WithNetwork(credentialing.NetworkRule),
		// Areas that raise alerts add their alerts.Source here.
		Alerts: &alerts.Registry{},
	}
	// Authorizations: a booking past an authorization's count or end, or
	// without one where the payer requires it, is flagged for the whole
	// series at once; what needs action reaches billers, the manager and
	// the patient's clinicians.
	auths := authorizations.NewService()
	p.Calendar.AddSessionsCheck(auths.Check)
	p.Alerts.Add(auths.Alerts)

	// Credentialing's deadlines reach whoever must act.
	p.Alerts.Add(credentialing.Alerts)
	// Intake: a PHQ-9 safety answer reaches the clinician, the owner and
	// the front desk until it is acknowledged.
	p.Alerts.Add(intake.SafetyAlerts)
	// Tablets' deliveries arrive sealed to the intake key; a machine with
	// the practice key files them (at once when someone is logged in).
	p.Desk = intake.NewDesk(cfg.DB, log, p.Calendar)
	p.jobs = append(p.jobs, Job{Name: "file tablet deliveries", Spec: "@every 1m", NeedsKey: true,
		Run: func(ctx context.Context, db *store.DB) error { return intake.FileInbox(ctx, db, log, p.Calendar) }})
	every := cfg.IntegrityEvery
	if every <= 0 {
		every = 4 * time.Hour
	}

	// The store: a page-by-page check of the file reads no sealed data,
	// so a hub with nobody logged in runs it too.
	p.jobs = append(p.jobs, Job{Name: "database integrity check", Spec: "@every " + every.String(), Run: CheckDatabase})

	// The calendar: merged appointments are checked for double-bookings
	// in the merge's own transaction, so every machine records the same
	// conflicts (plain columns only: a hub merges without the key).
	// Series occurrences are sealed rows, so keeping them a year ahead
	// needs the key.
	p.mergeHooks = append(p.mergeHooks, calendar.CheckMergedSlots)
	p.jobs = append(p.jobs, Job{Name: "extend recurring series", Spec: "@every 30m", NeedsKey: true, Run: extendSeries})

	// Automation: every machine reports itself as a possible sender (no
	// key needed); the designated one, holding the key, sends what is due.
	// Staff who asked for e-mail get each alert addressed to them and a
	// weekly digest; an alert dealt with before its e-mail goes is
	// withdrawn. Messages that failed are themselves an alert.
	p.Outbox = notify.NewOutbox(cfg.DB, cfg.Mail, log)
	p.Outbox.Current[notify.PurposeAlert] = notify.AlertCurrent(p.Alerts)
	p.Alerts.Add(notify.Alerts)
	p.jobs = append(p.jobs,
		Job{Name: "report as e-mail sender", Spec: "@every " + notify.ReportEvery.String(), Run: func(ctx context.Context, _ *store.DB) error {
			return p.ReportSender(ctx)
		}},
		Job{Name: "queue reminders", Spec: "@every 10m", NeedsKey: true, Run: func(ctx context.Context, db *store.DB) error {
			_, err := notify.RunReminders(ctx, db)
			return err
		}},
		Job{Name: "queue staff e-mail", Spec: "@every 10m", NeedsKey: true, Run: func(ctx context.Context, db *store.DB) error {
			_, err := notify.RunStaffMail(ctx, db, p.Alerts)
			return err
		}},
		Job{Name: "send e-mail", Spec: "@every 1m", NeedsKey: true, Run: func(ctx context.Context, _ *store.DB) error {
			return p.deliver(ctx)
		}})

	// Backups: the machine holding the chosen folder backs up each night
	// (no key needed: the copy is as sealed as the database); every
	// machine shows the owner a failed or overdue backup.
	p.Alerts.Add(backups.Alerts)
	p.jobs = append(p.jobs, Job{Name: "nightly backup", Spec: "@every 15m", Run: func(ctx context.Context, db *store.DB) error {
		return backups.Nightly(ctx, db, time.Now())
	}})

	// Sync: a computer of the practice not seen for a day of the
	// practice's working time reaches the owner, as a failed backup does.
	p.Alerts.Add(lansync.UnseenAlerts(cfg.Device))

	// Patients: the search index takes in merged patients.
	if cfg.Patients != nil {
		p.listeners = append(p.listeners, func(changed []store.RowRef) {
			if err := cfg.Patients.Merged(context.Background(), changed); err != nil {
				log.Error("search index: merged patients", "err", err)
			}
		})
	}

	// Last, whoever shows the data (the window) reloads what changed.
	p.listeners = append(p.listeners, cfg.Listeners...)
	return p
}

// AfterApply runs every area's merge hook inside the transaction that
// applies a batch from another machine (sync's AfterApply, and restore's
// merge of unsent changes).
func (p *Program) AfterApply(tx *store.Tx, changed []store.RowRef) error {
	for _, hook := range p.mergeHooks {
		if err := hook(tx, changed); err != nil {
			return err
		}
	}
	return nil
}

// Merged tells the listeners which rows a committed merge changed (sync's
// OnMerged).
func (p *Program) Merged(changed []store.RowRef) {
	for _, l := range p.listeners {
		l(changed)
	}
}

// Jobs lists the scheduled work, each bound to the database; a job that
// needs the key does nothing while it is not loaded.
func (p *Program) Jobs() []jobs.Job {
	out := make([]jobs.Job, 0, len(p.jobs))
	for _, j := range p.jobs {
		out = append(out, jobs.Job{Name: j.Name, Spec: j.Spec, Run: func(ctx context.Context) error {
			if p.db == nil || !p.db.Exists() || (j.NeedsKey && !p.db.Unlocked()) {
				return jobs.ErrSkipped
			}
			return j.Run(ctx, p.db)
		}})
	}
	return out
}

// ReportSender reports this machine as a possible e-mail sender now: as
// it starts, and when it was unlocked or locked, rather than at the next
// scheduled report.
func (p *Program) ReportSender(ctx context.Context) error {
	return notify.Report(ctx, p.db, p.machine, p.hub)
}

// SendNow sends what is due at once (a hub just unlocked), logging the
// outcome as the scheduled run would.
func (p *Program) SendNow(ctx context.Context) {
	if err := p.deliver(ctx); err != nil && !errors.Is(err, jobs.ErrSkipped) {
		p.log.Error("sending e-mail failed", "err", err)
	}
}

func (p *Program) deliver(ctx context.Context) error {
	_, err := p.Outbox.Deliver(ctx)
	if errors.Is(err, notify.ErrNotSender) || errors.Is(err, notify.ErrNoRelay) {
		return jobs.ErrSkipped
	}
	return err
}

// StartJobs schedules the jobs until the runner is stopped.
// This machine also reports itself as a possible e-mail sender at once,
// so the E-mail settings list it without waiting for the first report.
func (p *Program) StartJobs(log *slog.Logger) (*jobs.Runner, error) {
	if p.db != nil && p.db.Exists() {
		if err := p.ReportSender(context.Background()); err != nil {
			log.Warn("could not report as e-mail sender", "err", err)
		}
	}
	return jobs.Start(log, p.Jobs())
}

// CheckDatabase checks every page of the database file (opening checks
// only what login reads). A damaged file is reported, never repaired or
// rewritten.
func CheckDatabase(ctx context.Context, db *store.DB) error {
	res, err := db.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	if res != "ok" {
		return practice.Errorf(practice.EDamaged, "The database failed its integrity check; restore a backup.")
	}
	return nil
}

// extendSeries keeps recurring series materialized a year ahead.
func extendSeries(ctx context.Context, db *store.DB) error {
	return db.Update(ctx, func(tx *store.Tx) error {
		_, err := calendar.Materialize(tx)
		return err
	})
}
