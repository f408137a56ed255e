package app_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/patients"
	"quietdesk/internal/practice"
	"quietdesk/internal/store"
	lansync "quietdesk/internal/sync"
	"quietdesk/internal/testutil"
	"quietdesk/internal/wiring"
)

const (
	ownerUser     = "owner"
	ownerPassword = "correct horse battery staple"
)

// testTmp is the process-wide TMPDIR of this test binary. SQLite reads
// TMPDIR (and SQLITE_TMPDIR) once, when the library initialises, so it has
// to be set before any test opens a database; the canary test scans it.
var testTmp string

func TestMain(m *testing.M) {
	store.KDFTarget = 0 // Argon2id at the floor: fast enough for tests, still real
	dir, err := os.MkdirTemp("", "quietdesk-app-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testTmp = dir
	os.Setenv("TMPDIR", dir)
	os.Unsetenv("SQLITE_TMPDIR")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeDialogs answers every save dialog with a fresh path in dir and
// records what was asked.
type fakeDialogs struct {
	dir string

	mu    sync.Mutex
	n     int
	saved []string // paths handed out
	names []string // suggested file names
	open  string   // what the open dialog answers ("": cancelled)
}

func (d *fakeDialogs) SaveFile(title, defaultName, filterName, pattern string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n++
	p := filepath.Join(d.dir, fmt.Sprintf("%03d-%s", d.n, defaultName))
	d.saved = append(d.saved, p)
	d.names = append(d.names, defaultName)
	return p, nil
}

func (d *fakeDialogs) OpenFile(title, filterName, pattern string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.open, nil
}

// clock is a settable fake clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeEvents records the events facades emit.
type fakeEvents struct {
	mu     sync.Mutex
	events []string
	last   any
}

func (f *fakeEvents) Emit(event string, data any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, event)
	f.last = data
}

func (f *fakeEvents) Has(event string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.events, event)
}

func (f *fakeEvents) Last() (int, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.events), f.last
}

// env is one data directory with the facades over one Core.
type env struct {
	Dir     string // data directory
	Exports string // where the fake dialog saves files
	DB      *store.DB
	Core    *app.Core
	Clock   *clock
	Dialogs *fakeDialogs
	Log     *testutil.Buffer

	Session  *app.Session
	Patients *app.Patients
	Practice *app.Practice
	Staff    *app.Staff
	Audit    *app.Audit
	Calendar *app.Calendar
	Devices  *app.Devices
	Intake   *app.Intake
	Alerts   *app.Alerts
	Backups  *app.Backups

	Authorizations *app.Authorizations
	Credentialing  *app.Credentialing
	Billing        *app.Billing

	Sync   *lansync.Service
	Events *fakeEvents

	RecoveryKey string
	sleeps      []time.Duration
}

type envOptions struct {
	dir     string    // data directory; a fresh temp dir when empty
	exports string    // export directory; a fresh temp dir when empty
	logOut  io.Writer // extra log destination (the canary's log file)
}

// openEnv opens (without creating a practice) a data directory and wires
// the facades, with a fake clock, a fake dialog and no login delay.
func openEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	if o.exports == "" {
		o.exports = t.TempDir()
	}
	e := &env{Dir: o.dir, Exports: o.exports, Clock: newClock(), Dialogs: &fakeDialogs{dir: o.exports}, Log: &testutil.Buffer{}}
	var out io.Writer = e.Log
	if o.logOut != nil {
		out = io.MultiWriter(e.Log, o.logOut)
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db, err := store.Open(o.dir, store.Options{Now: e.Clock.Now, AppVersion: "test", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.DB = db
	id, err := lansync.LoadIdentity(o.dir)
	if err != nil {
		t.Fatal(err)
	}
	// Wired as main.go wires the window.
	patientsService := patients.NewService(db)
	program := wiring.New(wiring.Config{DB: db, Log: logger, Patients: patientsService,
		Listeners: []func([]store.RowRef){func(rows []store.RowRef) { e.Core.Merged(rows) }}})
	e.Sync = lansync.New(lansync.Config{DB: db, Identity: id, Name: "test machine", Listen: "127.0.0.1:0", Logger: logger,
		OnMerged: program.Merged, AfterApply: program.AfterApply, Desk: program.Desk, OnStatus: func() { e.Core.SyncStatusChanged() }})
	t.Cleanup(e.Sync.Stop)
	e.Events = &fakeEvents{}
	e.Core = app.NewCore(app.Config{DB: db, Now: e.Clock.Now, Logger: logger, Dialogs: e.Dialogs, Sync: e.Sync, Events: e.Events,
		Calendar: program.Calendar, Patients: patientsService, Alerts: program.Alerts, AfterApply: program.AfterApply, Desk: program.Desk,
		Sleep: func(d time.Duration) { e.sleeps = append(e.sleeps, d) }})
	e.Session = app.NewSession(e.Core)
	e.Patients = app.NewPatients(e.Core)
	e.Practice = app.NewPractice(e.Core)
	e.Staff = app.NewStaff(e.Core)
	e.Audit = app.NewAudit(e.Core)
	e.Calendar = app.NewCalendar(e.Core)
	e.Devices = app.NewDevices(e.Core)
	e.Authorizations = app.NewAuthorizations(e.Core)
	e.Credentialing = app.NewCredentialing(e.Core)
	e.Billing = app.NewBilling(e.Core)
	e.Intake = app.NewIntake(e.Core)
	e.Alerts = app.NewAlerts(e.Core)
	e.Backups = app.NewBackups(e.Core)
	return e
}

// newEnv returns a fresh practice whose owner is logged in.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := openEnv(t, envOptions{})
	e.createPractice(t, app.PracticeSetup{PracticeName: "Willow Counseling", OwnerName: "Olivia Owner",
		Username: ownerUser, Password: ownerPassword})
	return e
}

func (e *env) createPractice(t *testing.T, setup app.PracticeSetup) {
	t.Helper()
	created, err := e.Session.CreatePractice(setup)
	if err != nil {
		t.Fatalf("CreatePractice: %v", err)
	}
	if created.RecoveryKey == "" || !created.Status.LoggedIn || created.Status.Account == nil ||
		created.Status.Account.Role != practice.RoleOwner {
		t.Fatalf("CreatePractice returned %+v", created)
	}
	e.RecoveryKey = created.RecoveryKey
}

// close releases the database (and its directory lock).
func (e *env) close(t *testing.T) {
	t.Helper()
	e.Sync.Stop()
	if err := e.DB.Close(); err != nil {
		t.Fatal(err)
	}
}

// login logs in, failing the test on error.
// twoClinicians saves Cleo Park and Dev Shah, active clinicians.
func (e *env) twoClinicians(t *testing.T) (cleo, dev practice.Clinician) {
	t.Helper()
	var err error
	if cleo, err = e.Practice.SaveClinician(practice.Clinician{FirstName: "Cleo", LastName: "Park", Active: true}); err != nil {
		t.Fatal(err)
	}
	if dev, err = e.Practice.SaveClinician(practice.Clinician{FirstName: "Dev", LastName: "Shah", Active: true}); err != nil {
		t.Fatal(err)
	}
	return cleo, dev
}

// addClinicianLogin creates an account for clinicianID, as the signed-in
// owner, and returns its password.
func (e *env) addClinicianLogin(t *testing.T, user, clinicianID string) string {
	t.Helper()
	pw := user + " lantern quiet meadow"
	if _, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: user, DisplayName: user,
		Role: practice.RoleClinician, ClinicianID: clinicianID}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	return pw
}

// signInAs signs out whoever is signed in and signs user in.
func (e *env) signInAs(t *testing.T, user, password string) {
	t.Helper()
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	e.login(t, user, password)
}

// signInAsClinician creates an account for clinicianID and signs in with it.
func (e *env) signInAsClinician(t *testing.T, user, clinicianID string) {
	t.Helper()
	e.signInAs(t, user, e.addClinicianLogin(t, user, clinicianID))
}

func (e *env) login(t *testing.T, user, password string) app.SessionStatus {
	t.Helper()
	st, err := e.Session.Login(user, password)
	if err != nil {
		t.Fatalf("Login(%s): %v", user, err)
	}
	if !st.LoggedIn || st.Locked {
		t.Fatalf("Login(%s): status %+v", user, st)
	}
	return st
}

// uiError unwraps an error returned by a facade to the *practice.Error the
// frontend receives, checking that its text is the JSON the UI parses.
func uiError(t *testing.T, err error) *practice.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var pe *practice.Error
	if !errors.As(err, &pe) {
		t.Fatalf("facade error %T %q does not unwrap to *practice.Error", err, err)
	}
	return pe
}

// codeOf is the error code a facade error carries ("" for nil). It also
// checks that the error's text is the JSON {code, message, fields} the
// frontend parses, with the same code.
func codeOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	pe := uiError(t, err)
	var wire practice.Error
	if jerr := json.Unmarshal([]byte(err.Error()), &wire); jerr != nil || wire.Code != pe.Code || wire.Message == "" {
		t.Fatalf("facade error text %q is not the UI JSON for code %q", err.Error(), pe.Code)
	}
	return pe.Code
}

// expectAudited fails t unless the audit trail (narrowed by f) holds each
// of the actions.
func expectAudited(t *testing.T, e *env, f app.AuditFilter, actions ...string) {
	t.Helper()
	rows, err := e.Audit.Query(f)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, r := range rows {
		seen = append(seen, r.Action)
	}
	for _, want := range actions {
		if !slices.Contains(seen, want) {
			t.Errorf("no %s in the audit trail: %v", want, seen)
		}
	}
}
