package app

import (
	"strings"
	"sync"
	"time"

	"quietdesk/internal/practice"
)

// loginGuard slows down password guessing: after each failed attempt for a
// username the next attempt waits twice as long (0.5 s, 1 s, 2 s … capped
// at 30 s). A success clears the count. The count is per process: Argon2id
// already makes every guess cost about half a second of work.
type loginGuard struct {
	sleep func(time.Duration)

	mu       sync.Mutex
	failures map[string]int
}

func newLoginGuard(sleep func(time.Duration)) *loginGuard {
	return &loginGuard{sleep: sleep, failures: map[string]int{}}
}

// delay is how long the next attempt for key waits.
func (g *loginGuard) delay(key string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return practice.LoginDelay(g.failures[strings.ToLower(key)])
}

// attempt runs check, a password check for key, after the wait that key has
// earned: a wrong password lengthens the next wait, a right one clears it.
func (g *loginGuard) attempt(key string, check func() error) error {
	g.wait(key)
	err := check()
	switch {
	case err == nil:
		g.succeeded(key)
	case practice.ErrorCode(err) == practice.EWrongPassword:
		g.failed(key)
	}
	return err
}

// wait sleeps before an attempt for key.
func (g *loginGuard) wait(key string) {
	if d := g.delay(key); d > 0 {
		g.sleep(d)
	}
}

func (g *loginGuard) failed(key string) {
	g.mu.Lock()
	g.failures[strings.ToLower(key)]++
	g.mu.Unlock()
}

func (g *loginGuard) succeeded(key string) {
	g.mu.Lock()
	delete(g.failures, strings.ToLower(key))
	g.mu.Unlock()
}
