package app_test

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"quietdesk/app"
	"quietdesk/internal/practice"
)

// publicMethods run without a login (they are how one logs in). Every
// other bound method must be in app/permissions.go's table; adding a
// public method is a deliberate change to this list.
var publicMethods = []string{
	"Session.Status", "Session.CheckPassword", "Session.CreatePractice", "Session.OpenDemo",
	"Session.Login", "Session.Logout", "Session.Lock", "Session.Unlock", "Session.Recover",
	"Session.Discovered", "Session.Join", "Session.Active", "Session.RestoreDamaged",
}

// statefulPublic are public methods the matrix does not call with zero
// arguments because they end or lock the session it runs in; they are
// exercised by TestLocking.
var statefulPublic = []string{"Session.Logout", "Session.Lock"}

// ownerOnly are design invariants (DESIGN.md "Roles and audit"): staff
// accounts, the audit trail and the Recovery Kit are the owner/manager's.
var ownerOnly = append([]string{"Staff.", "Audit.", "Backups.", "Devices.OpenPairing", "Devices.ClosePairing",
	"Devices.ConnectAddress", "Devices.Remove"}, keyPairingDevice...)

// facadeMethod is one bound method, by its "Facade.Method" name.
type facadeMethod struct {
	name string
	fn   reflect.Value
}

// facades returns every exported method of every facade bound to Wails,
// from the list main.go binds (app.Facades).
func (e *env) facades() []facadeMethod {
	var out []facadeMethod
	for _, f := range app.Facades(e.Core) {
		v := reflect.ValueOf(f)
		facade := v.Type().Elem().Name()
		for i := range v.NumMethod() {
			out = append(out, facadeMethod{name: facade + "." + v.Type().Method(i).Name, fn: v.Method(i)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

var errorType = reflect.TypeFor[error]()

// callZero calls m with the zero value of every parameter and returns its
// error result; a panic is reported as an error naming the method.
func callZero(m facadeMethod) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC in %s with zero arguments: %v", m.name, r)
		}
	}()
	typ := m.fn.Type()
	args := make([]reflect.Value, typ.NumIn())
	for i := range args {
		args[i] = reflect.Zero(typ.In(i))
	}
	out := m.fn.Call(args)
	last := out[len(out)-1]
	if last.IsNil() {
		return nil
	}
	return last.Interface().(error)
}

func isPublic(name string) bool { return slices.Contains(publicMethods, name) }

// TestEveryMethodReturnsError: Wails rejects the frontend's promise only
// through a final error result, which is where the role gate reports.
func TestEveryMethodReturnsError(t *testing.T) {
	e := openEnv(t, envOptions{})
	for _, m := range e.facades() {
		typ := m.fn.Type()
		if typ.IsVariadic() {
			t.Errorf("%s is variadic; bound methods take fixed parameters", m.name)
		}
		if typ.NumOut() == 0 || typ.Out(typ.NumOut()-1) != errorType {
			t.Errorf("%s does not return an error as its last result", m.name)
		}
	}
}

// TestRoleMatrix calls every bound method as every role and checks the
// gate: forbidden exactly when the permission table does not grant it.
func TestRoleMatrix(t *testing.T) {
	e := newEnv(t)
	methods := e.facades()
	names := map[string]bool{}
	for _, m := range methods {
		names[m.name] = true
	}
	for _, p := range publicMethods {
		if !names[p] {
			t.Errorf("public method %s does not exist on any facade", p)
		}
	}

	// One account per role; the owner exists already.
	users := map[practice.Role]string{practice.RoleOwner: ownerUser}
	passwords := map[practice.Role]string{practice.RoleOwner: ownerPassword}
	for _, role := range practice.Roles {
		if role == practice.RoleOwner {
			continue
		}
		u := "matrix." + string(role)
		pw := "matrix " + string(role) + " lantern quiet meadow"
		if _, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: u, DisplayName: "Matrix " + string(role), Role: role},
			Password: pw}); err != nil {
			t.Fatalf("Staff.Create %s: %v", role, err)
		}
		users[role], passwords[role] = u, pw
	}

	granted := map[practice.Role][]string{}
	union := map[string]bool{}
	for _, role := range practice.Roles {
		if err := e.Session.Logout(); err != nil {
			t.Fatal(err)
		}
		st := e.login(t, users[role], passwords[role])
		if st.Account.Role != role {
			t.Fatalf("logged in as %s, status says role %s", role, st.Account.Role)
		}
		granted[role] = st.Permissions
		for _, p := range st.Permissions {
			union[p] = true
			if !names[p] {
				t.Errorf("role %s is granted %s, which no facade has (stale permission entry)", role, p)
			}
			if isPublic(p) {
				t.Errorf("%s is both public and in the permission table", p)
			}
		}

		t.Run(string(role), func(t *testing.T) {
			for _, m := range methods {
				if isPublic(m.name) {
					if slices.Contains(statefulPublic, m.name) {
						continue
					}
					err := callZero(m)
					if c := codeOf(t, err); c == practice.EForbidden || strings.HasPrefix(fmt.Sprint(err), "PANIC") {
						t.Errorf("public %s as %s: %v", m.name, role, err)
					}
					continue
				}
				allowed := slices.Contains(st.Permissions, m.name)
				if want, listed := specAllows(m.name, role); listed && want != allowed {
					t.Errorf("%s as %s: the permission table says %v, the minimum-necessary spec (permissions_spec_test.go) says %v", m.name, role, allowed, want)
				}
				err := callZero(m)
				if err != nil && strings.HasPrefix(err.Error(), "PANIC") {
					t.Errorf("%s as %s: %v", m.name, role, err)
					continue
				}
				c := codeOf(t, err)
				switch {
				case allowed && c == practice.EForbidden:
					t.Errorf("%s as %s: forbidden, but the permission table grants it (%v)", m.name, role, err)
				case !allowed && c != practice.EForbidden:
					t.Errorf("%s as %s: code %q, want forbidden (not granted)", m.name, role, c)
				case c == practice.EUnauthorized || c == practice.ELocked || c == practice.EInternal:
					t.Errorf("%s as %s: unexpected code %q (%v)", m.name, role, c, err)
				}
			}
		})
		// The zero-argument calls must not have ended or locked the session.
		if st, _ := e.Session.Status(); !st.LoggedIn || st.Locked || st.Account.Role != role {
			t.Fatalf("after the matrix for %s the session is %+v", role, st)
		}
	}

	// Every bound method is public or in the permission table. A gated
	// method missing from the table is granted to nobody, and begin logs
	// it as a wiring bug.
	for _, m := range methods {
		if !isPublic(m.name) && !union[m.name] {
			t.Errorf("%s is neither public nor granted to any role: add it to app/permissions.go", m.name)
		}
	}
	if strings.Contains(e.Log.String(), "missing from the permission table") {
		t.Errorf("a facade called begin with a method missing from the permission table:\n%s", e.Log.String())
	}

	// Design invariants.
	for _, m := range methods {
		if isPublic(m.name) {
			continue
		}
		if !slices.Contains(granted[practice.RoleOwner], m.name) {
			t.Errorf("the owner/manager may do everything, but not %s", m.name)
		}
		for _, prefix := range ownerOnly {
			if !strings.HasPrefix(m.name, prefix) {
				continue
			}
			for _, role := range practice.Roles {
				if role != practice.RoleOwner && slices.Contains(granted[role], m.name) {
					t.Errorf("%s is granted to %s; it must stay owner-only", m.name, role)
				}
			}
		}
	}
}

// TestGatedMethodsNeedLogin: with nobody logged in every gated method says
// unauthorized, whatever its arguments.
func TestGatedMethodsNeedLogin(t *testing.T) {
	e := newEnv(t)
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if e.DB.Unlocked() {
		t.Fatal("Logout left the practice key loaded")
	}
	for _, m := range e.facades() {
		if isPublic(m.name) {
			continue
		}
		if c := codeOf(t, callZero(m)); c != practice.EUnauthorized {
			t.Errorf("%s logged out: code %q, want unauthorized", m.name, c)
		}
	}
	st, err := e.Session.Status()
	if err != nil || st.LoggedIn || st.Account != nil || st.PracticeName != "" || len(st.Permissions) != 0 {
		t.Fatalf("logged-out status %+v, %v reveals too much", st, err)
	}
}

func TestLocking(t *testing.T) {
	e := newEnv(t)
	clinicianPW := "clinic lantern quiet meadow"
	if _, err := e.Staff.Create(app.NewAccount{Account: practice.Account{Username: "cl", DisplayName: "Cleo Clinician",
		Role: practice.RoleClinician}, Password: clinicianPW}); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Session.Status()
	if st.LockMinutes != 10 {
		t.Fatalf("LockMinutes = %d, want the default 10", st.LockMinutes)
	}
	lockAfter := time.Duration(st.LockMinutes) * time.Minute
	gated := func() error { _, err := e.Practice.Settings(); return err }

	// A person's input (Session.Active) keeps the session open.
	e.Clock.Advance(lockAfter - time.Second)
	if err := e.Session.Active(); err != nil {
		t.Fatalf("activity before the lock time: %v", err)
	}
	e.Clock.Advance(lockAfter - time.Second)
	if err := gated(); err != nil {
		t.Fatalf("activity did not reset the idle timer: %v", err)
	}
	if err := e.Session.Active(); err != nil {
		t.Fatal(err)
	}

	// Polling is not activity: the sync indicator's Devices.Status every
	// 3 s and reloads (Practice.Settings) go through, then the backend's
	// own clock locks the session and tells the window.
	polls := 0
	for elapsed := time.Duration(0); elapsed <= lockAfter; elapsed += 3 * time.Second {
		if _, err := e.Devices.Status(); err != nil {
			t.Fatalf("poll %d (%v after the last activity): %v", polls, elapsed, err)
		}
		if err := gated(); err != nil {
			t.Fatalf("reload %v after the last activity: %v", elapsed, err)
		}
		if e.Core.LockIfIdle() {
			t.Fatalf("locked after %v idle, want only after %v", elapsed, lockAfter)
		}
		polls++
		e.Clock.Advance(3 * time.Second)
	}
	if polls != 201 { // 0 s, 3 s, … 600 s: hand-counted for the default 10 minutes
		t.Fatalf("%d polls, want 201", polls)
	}
	if !e.Core.LockIfIdle() {
		t.Fatalf("not locked %v after the last activity with polling every 3 s", 603*time.Second)
	}
	if !e.Events.Has(app.EventSessionLocked) {
		t.Errorf("the backend locked without telling the window (%s)", app.EventSessionLocked)
	}
	if e.Core.LockIfIdle() {
		t.Error("LockIfIdle reported locking an already locked session again")
	}
	if c := codeOf(t, e.Session.Active()); c != practice.ELocked {
		t.Fatalf("activity after the lock: code %q, want locked (input cannot reopen a locked session)", c)
	}
	if c := codeOf(t, gated()); c != practice.ELocked {
		t.Fatalf("a call after the backend's lock: code %q, want locked", c)
	}
	if _, err := e.Session.Unlock(ownerPassword); err != nil {
		t.Fatal(err)
	}

	// Idle beyond LockMinutes: every gated method is locked.
	e.Clock.Advance(lockAfter + time.Second)
	for _, m := range e.facades() {
		if isPublic(m.name) {
			continue
		}
		if c := codeOf(t, callZero(m)); c != practice.ELocked {
			t.Errorf("%s after %v idle: code %q, want locked", m.name, lockAfter+time.Second, c)
		}
	}
	st, _ = e.Session.Status()
	if !st.Locked || !st.LoggedIn {
		t.Fatalf("status after idle: %+v, want locked", st)
	}
	if st.PracticeName != "" || len(st.Permissions) != 0 {
		t.Errorf("the lock screen's status reveals the practice name %q or permissions %v", st.PracticeName, st.Permissions)
	}

	// A wrong password (or another account's) does not unlock.
	for _, pw := range []string{"not the password at all", clinicianPW, ""} {
		_, err := e.Session.Unlock(pw)
		if c := codeOf(t, err); c != practice.EWrongPassword {
			t.Fatalf("Unlock(%q): code %q, want wrong_password", pw, c)
		}
		if c := codeOf(t, gated()); c != practice.ELocked {
			t.Fatalf("after a wrong Unlock a gated call gives %q, want locked", c)
		}
	}
	if len(e.sleeps) == 0 || e.sleeps[0] != 500*time.Millisecond {
		t.Errorf("failed unlocks waited %v, want 500ms before the second attempt", e.sleeps)
	}

	st, err := e.Session.Unlock(ownerPassword)
	if err != nil {
		t.Fatalf("Unlock with the right password: %v", err)
	}
	if st.Locked || !st.LoggedIn || st.Account.Username != ownerUser || len(st.Permissions) == 0 {
		t.Fatalf("status after Unlock: %+v", st)
	}
	if err := gated(); err != nil {
		t.Fatalf("after Unlock: %v", err)
	}

	// Lock (the button) locks at once; a new lock time applies at once.
	if st, _ := e.Session.Lock(); !st.Locked {
		t.Fatalf("Lock: status %+v", st)
	}
	if c := codeOf(t, gated()); c != practice.ELocked {
		t.Fatalf("after Lock: code %q, want locked", c)
	}
	if _, err := e.Session.Unlock(ownerPassword); err != nil {
		t.Fatal(err)
	}
	set, err := e.Practice.Settings()
	if err != nil {
		t.Fatal(err)
	}
	set.LockMinutes = 1
	if _, err := e.Practice.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(61 * time.Second)
	if c := codeOf(t, gated()); c != practice.ELocked {
		t.Fatalf("with LockMinutes=1 after 61s idle: code %q, want locked", c)
	}

	// Logging out from the lock screen forgets the key; the next login
	// starts unlocked.
	if err := e.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if e.DB.Unlocked() {
		t.Fatal("Logout left the practice key loaded")
	}
	if c := codeOf(t, gated()); c != practice.EUnauthorized {
		t.Fatalf("after Logout: code %q, want unauthorized", c)
	}
	e.login(t, "cl", clinicianPW)
	if err := gated(); err != nil {
		t.Fatalf("after a new login: %v", err)
	}
}
