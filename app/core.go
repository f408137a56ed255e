// Package app holds the facades the desktop window calls (bound by Wails):
// one struct per area. A facade method decodes input, checks the session's
// role in one place (Core.begin), calls the store or a service, and maps
// errors to messages a person can act on. No SQL and no business rules here,
// and no direct Wails runtime calls: dialogs and events go through small
// interfaces so every facade runs in plain Go tests.
package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"quietdesk/internal/alerts"
	"quietdesk/internal/calendar"
	"quietdesk/internal/intake"
	"quietdesk/internal/mail"
	"quietdesk/internal/notify"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
)

// Dialogs asks the user where to save an exported file. The desktop build
// implements it with the Wails runtime; tests with a fixed path.
type Dialogs interface {
	// SaveFile returns the chosen path, or "" when the user cancelled.
	SaveFile(title, defaultName, filterName, pattern string) (string, error)
	// OpenFile returns the chosen existing file, or "" when the user cancelled.
	OpenFile(title, filterName, pattern string) (string, error)
}

// Core is the state shared by the facades: the open data directory and the
// logged-in session.
type Core struct {
	db             *store.DB
	openForRestore func() (*store.DB, error)
	problem        error // the data folder could not be opened; db is nil
	after          store.AfterApply
	now            func() time.Time
	log            *slog.Logger
	dialogs        Dialogs
	guard          *loginGuard
	sync           *lansync.Service
	events         Emitter

	calendar *calendar.Service
	patients *patients.Service
	alerts   *alerts.Registry
	desk     *intake.Desk
	outbox   *notify.Outbox

	mu          sync.Mutex
	account     *practice.Account // nil: nobody logged in
	locked      bool
	lastActive  time.Time
	lockMinutes int
	syncProblem string // why sync did not start ("" when it runs or was not tried)
}

// Config wires a Core.
type Config struct {
	DB *store.DB
	// Problem is why DB could not be opened (DB is then nil): every call
	// reports it, so the window can explain instead of silently exiting.
	Problem error
	// OpenForRestore opens the data folder as store.OpenForRestore does,
	// for restoring a backup over a database that could not be opened.
	OpenForRestore func() (*store.DB, error)
	// AfterApply is the program's merge hooks (internal/wiring), run when a
	// restore merges back the changes only the replaced database held.
	AfterApply store.AfterApply
	Now        func() time.Time
	Logger     *slog.Logger
	Dialogs    Dialogs
	// Sync is this data folder's LAN sync service (Devices, Session.Join).
	Sync   *lansync.Service
	Events Emitter
	// Calendar is the calendar service with the booking checks the
	// program registered (internal/wiring); nil: one without any.
	Calendar *calendar.Service
	// Patients is the patients service, which owns the search index (the
	// program's merge listener keeps it current); nil: one of its own.
	Patients *patients.Service
	// Alerts is every area's alert source (internal/wiring); nil: none.
	Alerts *alerts.Registry
	// Desk is where patients sent to a check-in tablet wait (internal/wiring).
	Desk *intake.Desk
	// Outbox sends the practice's e-mail (internal/wiring); nil: one that
	// uses the system's certificate authorities.
	Outbox *notify.Outbox
	// Sleep waits between failed logins; tests replace it to record the delay.
	Sleep func(time.Duration)
}

// NewCore returns the shared state for one data directory.
func NewCore(cfg Config) *Core {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = time.Sleep
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.NewService()
	}
	if cfg.Alerts == nil {
		cfg.Alerts = &alerts.Registry{}
	}
	if cfg.Patients == nil {
		cfg.Patients = patients.NewService(cfg.DB)
	}
	if cfg.Desk == nil {
		cfg.Desk = intake.NewDesk(cfg.DB, cfg.Logger, cfg.Calendar)
	}
	if cfg.Outbox == nil {
		cfg.Outbox = notify.NewOutbox(cfg.DB, mail.Dialer{}, cfg.Logger)
	}
	return &Core{db: cfg.DB, openForRestore: cfg.OpenForRestore, after: cfg.AfterApply, problem: cfg.Problem, now: cfg.Now, log: cfg.Logger, dialogs: cfg.Dialogs, guard: newLoginGuard(cfg.Sleep),
		sync: cfg.Sync, events: cfg.Events, calendar: cfg.Calendar, patients: cfg.Patients, alerts: cfg.Alerts, outbox: cfg.Outbox, desk: cfg.Desk}
}

// session is what a facade method knows about its caller.
type session struct {
	account practice.Account
}

// begin is the one gate every facade method passes: the practice exists,
// someone is logged in, the screen is not locked (locking it now if the
// account was idle too long), and the account's role may call method.
// Passing the gate is not activity: the window polls and reloads on events
// through the same methods, so only Session.Active keeps a session open.
func (c *Core) begin(method string) (session, error) {
	if !allowed(method, "") {
		// public methods never call begin; reaching here is a wiring bug
		c.log.Error("method missing from the permission table", "method", method)
		return session{}, practice.Errorf(practice.EForbidden, "This action is not available.")
	}
	if c.problem != nil {
		return session{}, c.problem
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.account == nil {
		return session{}, practice.Errorf(practice.EUnauthorized, "Please log in.")
	}
	now := c.now()
	if c.lockIfIdle(now) {
		return session{}, practice.Errorf(practice.ELocked, "The screen locked after inactivity. Enter your password to continue.")
	}
	if !allowed(method, c.account.Role) {
		return session{}, practice.Errorf(practice.EForbidden, "Your role (%s) may not do this. Ask the practice owner.", c.account.Role)
	}
	return session{account: *c.account}, nil
}

// lockIfIdle locks the session when it has been idle longer than the
// practice's lock time, and reports whether it is locked; c.mu must be held.
func (c *Core) lockIfIdle(now time.Time) bool {
	if !c.locked && now.Sub(c.lastActive) > time.Duration(c.lockMinutes)*lockUnit {
		c.locked = true
	}
	return c.locked
}

// fail turns an error into one the frontend can show: *practice.Error
// passes through (its message is written for users); anything else is
// logged without PHI and replaced by a generic message.
func (c *Core) fail(method string, err error) error {
	if err == nil {
		return nil
	}
	if practice.ErrorCode(err) == practice.EInternal {
		c.log.Error("internal error", "method", method, "err", err)
	}
	return newUIError(err)
}

// ctx is the context for store calls; facades have no request context.
func (c *Core) ctx() context.Context { return context.Background() }

// update runs fn in a write transaction.
func (c *Core) update(fn func(tx *store.Tx) error) error { return c.db.Update(c.ctx(), fn) }

// view runs fn in a read transaction.
func (c *Core) view(fn func(tx *store.Tx) error) error { return c.db.View(c.ctx(), fn) }
