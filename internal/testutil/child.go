//go:build unix

package testutil

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// Fault tests kill a child process with SIGKILL at a chosen point and
// check what it left behind. The child is this test binary run again with
// only its helper test selected; these are the pieces every such test
// shares.

// Rerun returns a command that runs this test binary again with only the
// test named helper, and env added to the environment (the helper reads
// its instructions from there).
func Rerun(helper string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// DiedOfSIGKILL reports whether err, from the child's Wait, says it was
// killed with SIGKILL, and not that it exited or crashed some other way.
func DiedOfSIGKILL(err error) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return false
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// KillSelf is the child's side: it writes where it is to record, so the
// parent can prove the fault happened there, and SIGKILLs its own process
// (nothing after this point runs: no deferred call, no flush).
func KillSelf(record, where string) {
	os.WriteFile(record, []byte(where), 0o600)
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}
