package app

import (
	"context"
	"time"

	"quietdesk/internal/practice"
)

// EventSessionLocked tells the window the backend locked the session after
// inactivity; the window then shows the lock screen. It carries nothing.
const EventSessionLocked = "session:locked"

// Active is the window reporting a person's input (a key, a click, the
// pointer or a touch). It is the only call that keeps a session open:
// background polling, reloads on events and scheduled jobs go through the
// other methods and never count, so an unattended window locks on the
// backend's clock. Errors: unauthorized (nobody logged in), locked (the
// idle time had already passed; activity cannot reopen a locked session).
func (s *Session) Active() error {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.account == nil {
		return c.fail("Session.Active", practice.Errorf(practice.EUnauthorized, "Please log in."))
	}
	now := c.now()
	if c.lockIfIdle(now) {
		return c.fail("Session.Active", practice.Errorf(practice.ELocked, "The screen locked after inactivity. Enter your password to continue."))
	}
	c.lastActive = now
	return nil
}

// LockIfIdle locks the session when nobody has used the window for the
// practice's lock time, and reports whether it locked it just now; it then
// tells the window (EventSessionLocked).
func (c *Core) LockIfIdle() bool {
	c.mu.Lock()
	justLocked := c.account != nil && !c.locked && c.lockIfIdle(c.now())
	c.mu.Unlock()
	if justLocked {
		c.log.Info("session locked after inactivity")
		if c.events != nil {
			c.events.Emit(EventSessionLocked, nil)
		}
	}
	return justLocked
}

// WatchIdle runs LockIfIdle every interval until ctx ends, so the backend
// locks on its own clock whether or not the window calls anything.
func (c *Core) WatchIdle(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.LockIfIdle()
		}
	}
}
