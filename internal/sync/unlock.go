package sync

import (
	"context"
	"time"

	"quietdesk/internal/practice"
)

// Unlocking a hub from an office computer's window. A hub that sends the
// practice's e-mail needs the practice key, which it holds in memory only,
// so after every start an owner unlocks it: through its admin socket on
// the hub itself, or from Settings → Devices on any office computer. Then
// the owner's user name and password travel inside the replication session
// with the hub, which only the practice's paired machines can open (mutual
// TLS, pinned certificates), and the hub unlocks with them exactly as
// through its admin socket (Config.Unlock: the back-off failures earn, the
// owner's role, the audit). The hub tells every connected machine when it
// holds the key, so each Devices screen shows it locked or not.

// hubUnlock asks the peer to load the practice key with an owner's login.
type hubUnlock struct {
	Username, Password string
}

// hubUnlocked answers a hubUnlock: the practice error's code and message,
// both "" when the hub holds the key now.
type hubUnlocked struct {
	Code, Message string
}

// keyState tells the peer that this machine now holds the practice key
// (or no longer does).
type keyState struct {
	Loaded bool
}

// unlockWait bounds the wait for a hub's answer: its Argon2id derivation
// and the longest back-off failed logins earn (practice.LoginDelay: 30 s).
const unlockWait = 45 * time.Second

// errHubNotConnected: the Devices screen offers the unlock only for a hub
// that is connected, but it may have left since.
var errHubNotConnected = practice.Errorf(practice.EUnavailable,
	"That computer is not connected now. Check that it is on and on the office network, then try again.")

// UnlockPeer asks the connected peer deviceID, a hub, to load the practice
// key with username and password. Errors: EUnavailable (not connected, or
// no answer), and the hub's own: EWrongPassword, EForbidden (not an
// owner), EInvalid (not a hub).
func (s *Service) UnlockPeer(ctx context.Context, deviceID, username, password string) error {
	s.mu.Lock()
	x := s.sessions[deviceID]
	s.mu.Unlock()
	if x == nil {
		return errHubNotConnected
	}
	reply := make(chan hubUnlocked, 1)
	x.mu.Lock()
	if x.unlockReply != nil {
		x.mu.Unlock()
		return practice.Errorf(practice.EConflict, "That computer is being unlocked already; wait for its answer.")
	}
	x.unlockReply = reply
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		x.unlockReply = nil
		x.mu.Unlock()
	}()
	if err := x.w.send(frame{HubUnlock: &hubUnlock{Username: username, Password: password}}); err != nil {
		return errHubNotConnected
	}
	t := time.NewTimer(unlockWait)
	defer t.Stop()
	select {
	case r := <-reply:
		if r.Code == "" {
			s.setKeyLoaded(deviceID, true)
			return nil
		}
		return practice.Errorf(r.Code, "%s", r.Message)
	case <-x.closed:
		return errHubNotConnected
	case <-t.C:
		return practice.Errorf(practice.EUnavailable, "That computer did not answer. Try again in a minute.")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// answerUnlock is the hub's side of a hubUnlock, run apart from the
// session's receive loop (the derivation takes a while).
func (x *session) answerUnlock(ctx context.Context, req hubUnlock) {
	s := x.s
	var r hubUnlocked
	var err error
	if s.cfg.Unlock == nil {
		err = practice.Errorf(practice.EInvalid, "Only a hub is unlocked from another computer; this one is an office computer.")
	} else {
		err = s.cfg.Unlock(ctx, req.Username, req.Password)
	}
	if err != nil {
		r.Code, r.Message = practice.ErrorCode(err), practice.ErrorMessage(err)
		if r.Code == practice.EInternal {
			r.Message = "The hub could not load the key; its log says why."
			s.log.Error("hub unlock from another computer failed", "device", short(x.peer), "err", err)
		}
	}
	x.w.send(frame{HubUnlocked: &r})
}

// KeyChanged tells every connected machine whether this one holds the
// practice key now (a hub just unlocked through its admin socket or from
// another computer).
func (s *Service) KeyChanged() {
	loaded := s.db.Unlocked()
	s.mu.Lock()
	list := make([]*session, 0, len(s.sessions))
	for _, x := range s.sessions {
		list = append(list, x)
	}
	s.mu.Unlock()
	for _, x := range list {
		x.w.send(frame{KeyState: &keyState{Loaded: loaded}})
	}
}

// setKeyLoaded records what a peer said of its key.
func (s *Service) setKeyLoaded(deviceID string, loaded bool) {
	s.mu.Lock()
	s.peer(deviceID).keyLoaded = loaded
	s.mu.Unlock()
	s.statusChanged()
}
