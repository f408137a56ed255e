package app

import (
	"context"
	"errors"
	"os"

	"quietdesk/internal/accounts"
	"quietdesk/internal/demo"
	"quietdesk/internal/practice"
	"quietdesk/internal/recoverykit"
	"quietdesk/internal/store"
	"quietdesk/internal/vault"
)

// Session is the facade for the first run, logging in and out, locking and
// passwords.
type Session struct{ c *Core }

// NewSession binds the session facade to core.
func NewSession(c *Core) *Session { return &Session{c: c} }

// Status tells the frontend which screen to show.
func (s *Session) Status() (SessionStatus, error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.statusLocked(), nil
}

// statusLocked builds the status; c.mu must be held.
func (c *Core) statusLocked() SessionStatus {
	if c.problem != nil {
		return SessionStatus{Problem: practice.ErrorMessage(c.problem), ProblemCode: practice.ErrorCode(c.problem)}
	}
	st := SessionStatus{PracticeExists: c.db.Exists(), LockMinutes: c.lockMinutes}
	if c.account == nil {
		return st
	}
	c.lockIfIdle(c.now())
	acct := *c.account
	st.LoggedIn, st.Locked, st.Account = true, c.locked, &acct
	if !c.locked {
		st.Permissions = permittedMethods(acct.Role)
		st.OwnCaseload = ownCaseloadOnly(acct.Role)
		if err := c.view(func(tx *store.Tx) error {
			set, err := tx.Settings()
			st.PracticeName = set.Name
			return err
		}); err != nil {
			c.log.Error("settings unreadable", "err", err)
		}
	}
	return st
}

// CheckPassword rates a new password as it is typed; personal holds the
// names it must not be built on.
func (s *Session) CheckPassword(password string, personal []string) (practice.PasswordStrength, error) {
	return practice.CheckPassword(password, personal...), nil
}

// CreatePractice makes a new practice in this data folder with its owner
// account, logs the owner in, and returns the recovery key to print.
func (s *Session) CreatePractice(np PracticeSetup) (CreatedPractice, error) {
	c := s.c
	if s.c.problem != nil {
		return CreatedPractice{}, s.c.fail("", s.c.problem)
	}
	setup := accounts.Setup{PracticeName: np.PracticeName, OwnerName: np.OwnerName, Username: np.Username, Password: np.Password}
	if err := setup.Validate(); err != nil {
		return CreatedPractice{}, c.fail("Session.CreatePractice", err)
	}
	key, err := vault.NewRecoveryKey()
	if err != nil {
		return CreatedPractice{}, c.fail("Session.CreatePractice", err)
	}
	var owner practice.Account
	err = c.db.Create(c.ctx(), func(tx *store.Tx) error {
		owner, err = accounts.CreatePractice(tx, setup, key)
		return err
	})
	if err != nil {
		return CreatedPractice{}, c.fail("Session.CreatePractice", err)
	}
	if err := c.startSession(owner); err != nil {
		return CreatedPractice{}, c.fail("Session.CreatePractice", err)
	}
	c.StartSync(context.Background())
	st, _ := s.Status()
	return CreatedPractice{RecoveryKey: string(key), Status: st}, nil
}

// OpenDemo creates the synthetic demo practice in an empty data folder and
// returns its login (the frontend then logs in with it).
func (s *Session) OpenDemo() (DemoLogin, error) {
	if s.c.problem != nil {
		return DemoLogin{}, s.c.fail("", s.c.problem)
	}
	if s.c.db.Exists() {
		return DemoLogin{}, s.c.fail("Session.OpenDemo", practice.Errorf(practice.EConflict,
			"This data folder already holds a practice; the demo needs an empty one."))
	}
	login, err := demo.Create(s.c.ctx(), s.c.db, demo.Small, 1)
	if err != nil {
		return DemoLogin{}, s.c.fail("Session.OpenDemo", err)
	}
	s.c.db.Lock() // the demo is opened by logging in, like any practice
	s.c.StartSync(context.Background())
	return DemoLogin{Username: login.Username, Password: login.Password}, nil
}

// Login checks a staff login and opens the session.
func (s *Session) Login(username, password string) (SessionStatus, error) {
	c := s.c
	if s.c.problem != nil {
		return SessionStatus{}, s.c.fail("", s.c.problem)
	}
	if username == "" || password == "" {
		return SessionStatus{}, c.fail("Session.Login", &practice.Error{Code: practice.EInvalid,
			Message: "Enter your username and password.", Fields: requiredFields(map[string]string{"username": username, "password": password})})
	}
	var acct practice.Account
	if err := c.guard.attempt(username, func() (err error) {
		acct, err = c.db.Unlock(c.ctx(), username, password)
		return err
	}); err != nil {
		return SessionStatus{}, c.fail("Session.Login", err)
	}
	if err := c.startSession(acct); err != nil {
		return SessionStatus{}, c.fail("Session.Login", err)
	}
	return s.Status()
}

func requiredFields(values map[string]string) map[string]string {
	out := map[string]string{}
	for f, v := range values {
		if v == "" {
			out[f] = "This field is required."
		}
	}
	return out
}

// startSession makes acct the logged-in account, builds the search index
// if this is the first login since the key was loaded, and audits it.
func (c *Core) startSession(acct practice.Account) error {
	if err := c.patients.Open(c.ctx()); err != nil {
		return err
	}
	var settings practice.Settings
	err := c.update(func(tx *store.Tx) error {
		var err error
		if settings, err = tx.Settings(); err != nil {
			return err
		}
		return tx.Audit(acct.ID, "login", "accounts", acct.ID)
	})
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.account, c.locked, c.lastActive, c.lockMinutes = &acct, false, c.now(), settings.LockMinutes
	return nil
}

// Logout ends the session and forgets the practice key and the index.
func (s *Session) Logout() error {
	c := s.c
	c.mu.Lock()
	acct := c.account
	c.mu.Unlock()
	if acct != nil && !s.isLocked() {
		if err := c.update(func(tx *store.Tx) error { return tx.Audit(acct.ID, "logout", "accounts", acct.ID) }); err != nil {
			c.log.Error("audit logout", "err", err)
		}
	}
	c.mu.Lock()
	c.account, c.locked = nil, false
	c.mu.Unlock()
	c.patients.Close()
	if c.db != nil {
		c.db.Lock()
	}
	return nil
}

func (s *Session) isLocked() bool {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.c.locked
}

// Lock shows the lock screen; the key stays loaded so scheduled work goes
// on, but nothing is readable until the password is entered again.
func (s *Session) Lock() (SessionStatus, error) {
	c := s.c
	c.mu.Lock()
	if c.account != nil {
		c.locked = true
	}
	c.mu.Unlock()
	return s.Status()
}

// Unlock re-opens a locked session with the logged-in account's password.
func (s *Session) Unlock(password string) (SessionStatus, error) {
	c := s.c
	c.mu.Lock()
	acct := c.account
	c.mu.Unlock()
	if acct == nil {
		return SessionStatus{}, c.fail("Session.Unlock", practice.Errorf(practice.EUnauthorized, "Please log in."))
	}
	if err := c.guard.attempt(acct.Username, func() error {
		_, err := c.db.Unlock(c.ctx(), acct.Username, password)
		return err
	}); err != nil {
		if practice.ErrorCode(err) == practice.EWrongPassword {
			err = practice.Errorf(practice.EWrongPassword, "That password is not right.")
		}
		return SessionStatus{}, c.fail("Session.Unlock", err)
	}
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(acct.ID, "unlock", "accounts", acct.ID) }); err != nil {
		return SessionStatus{}, c.fail("Session.Unlock", err)
	}
	c.mu.Lock()
	c.locked, c.lastActive = false, c.now()
	c.mu.Unlock()
	return s.Status()
}

// Recover sets a new password for an owner account with the Recovery Kit's
// key, for when every password is forgotten, and logs that owner in.
func (s *Session) Recover(recoveryKey, username, newPassword string) (SessionStatus, error) {
	c := s.c
	if s.c.problem != nil {
		return SessionStatus{}, s.c.fail("", s.c.problem)
	}
	if err := c.guard.attempt("recovery", func() error { return c.db.UnlockWithRecovery(c.ctx(), recoveryKey) }); err != nil {
		return SessionStatus{}, c.fail("Session.Recover", err)
	}
	var acct practice.Account
	err := c.update(func(tx *store.Tx) error {
		var err error
		acct, err = accounts.Recover(tx, username, newPassword)
		return err
	})
	if err != nil {
		if !s.loggedIn() {
			c.db.Lock()
		}
		return SessionStatus{}, c.fail("Session.Recover", err)
	}
	if err := c.startSession(acct); err != nil {
		return SessionStatus{}, c.fail("Session.Recover", err)
	}
	return s.Status()
}

func (s *Session) loggedIn() bool {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.c.account != nil
}

// ChangePassword re-wraps the practice key under the caller's new password;
// the current one must be given.
func (s *Session) ChangePassword(current, next string) error {
	const m = "Session.ChangePassword"
	c := s.c
	sess, err := c.begin(m)
	if err != nil {
		return c.fail(m, err)
	}
	if err := c.guard.attempt(sess.account.Username, func() error {
		_, err := c.db.Unlock(c.ctx(), sess.account.Username, current)
		return err
	}); err != nil {
		if practice.ErrorCode(err) == practice.EWrongPassword {
			err = &practice.Error{Code: practice.EInvalid, Message: "Your current password is not right.",
				Fields: map[string]string{"current": "This is not your current password."}}
		}
		return c.fail(m, err)
	}
	return c.fail(m, c.update(func(tx *store.Tx) error { return accounts.ChangePassword(tx, sess.account, next) }))
}

// MyMail returns the staff e-mail the logged-in person asked for.
func (s *Session) MyMail() (practice.StaffMail, error) {
	const m = "Session.MyMail"
	sess, err := s.c.begin(m)
	if err != nil {
		return practice.StaffMail{}, s.c.fail(m, err)
	}
	var out practice.StaffMail
	err = s.c.view(func(tx *store.Tx) (err error) {
		out, err = tx.AccountMail(sess.account.ID)
		return err
	})
	return out, s.c.fail(m, err)
}

// SaveMyMail saves where the logged-in person's staff e-mail goes and
// which they want.
func (s *Session) SaveMyMail(mine practice.StaffMail) error {
	const m = "Session.SaveMyMail"
	sess, err := s.c.begin(m)
	if err != nil {
		return s.c.fail(m, err)
	}
	return s.c.fail(m, s.c.update(func(tx *store.Tx) error { return accounts.SetMail(tx, sess.account, mine) }))
}

// SaveRecoveryKit writes the Recovery Kit PDF where the owner chooses. The
// key must be the practice's (it is checked), so a typo never gets printed.
func (s *Session) SaveRecoveryKit(recoveryKey string) (string, error) {
	const m = "Session.SaveRecoveryKit"
	c := s.c
	sess, err := c.begin(m)
	if err != nil {
		return "", c.fail(m, err)
	}
	if err := c.db.UnlockWithRecovery(c.ctx(), recoveryKey); err != nil {
		return "", c.fail(m, err)
	}
	var name string
	if err := c.view(func(tx *store.Tx) error {
		set, err := tx.Settings()
		name = set.Name
		return err
	}); err != nil {
		return "", c.fail(m, err)
	}
	pdf, err := recoverykit.Render(name, sess.account.Username, vault.RecoveryKey(recoveryKey), c.now())
	if err != nil {
		return "", c.fail(m, err)
	}
	return c.saveExport(m, sess, "Save the Recovery Kit", "Quietdesk Recovery Kit.pdf", "PDF", "*.pdf", pdf, "recoverykit.export")
}

// NewRecoveryKey replaces the practice's recovery key (when the printed
// kit is lost or may have been seen): the old key stops working at once.
// The new key is returned once, for a new Recovery Kit.
func (s *Session) NewRecoveryKey() (string, error) {
	const m = "Session.NewRecoveryKey"
	c := s.c
	sess, err := c.begin(m)
	if err != nil {
		return "", c.fail(m, err)
	}
	key, err := vault.NewRecoveryKey()
	if err != nil {
		return "", c.fail(m, err)
	}
	err = c.update(func(tx *store.Tx) error { return accounts.ReplaceRecoveryKey(tx, sess.actor(), key) })
	if err != nil {
		return "", c.fail(m, err)
	}
	return string(key), nil
}

// saveExport asks where to save data and writes it there, audited. The
// suggested file name never contains PHI.
func (c *Core) saveExport(m string, sess session, title, name, filter, pattern string, data []byte, action string) (string, error) {
	if c.dialogs == nil {
		return "", c.fail(m, errors.New("no dialog provider"))
	}
	path, err := c.dialogs.SaveFile(title, name, filter, pattern)
	if err != nil || path == "" {
		return "", c.fail(m, err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", c.fail(m, practice.Errorf(practice.EInvalid, "Could not write the file there: %v", errors.Unwrap(err)))
	}
	if err := c.update(func(tx *store.Tx) error { return tx.Audit(sess.account.ID, action, "", "") }); err != nil {
		return "", c.fail(m, err)
	}
	return path, nil
}
