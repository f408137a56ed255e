package cli

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// peerIsOwner reports whether the process at the other end of a unix
// socket runs as this process's user. macOS has no SO_PEERCRED; its
// LOCAL_PEERCRED (level SOL_LOCAL) gives the peer's credentials as an
// xucred, whose cr_uid is the effective user id at connect time. As on
// Linux, the folder's permissions keep others out and this refuses
// whoever gets past them (a folder opened up by a mistaken chmod).
func peerIsOwner(conn net.Conn) (bool, error) {
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return false, fmt.Errorf("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return false, err
	}
	var cred *unix.Xucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return false, err
	}
	if credErr != nil {
		return false, credErr
	}
	return int(cred.Uid) == os.Geteuid(), nil
}
