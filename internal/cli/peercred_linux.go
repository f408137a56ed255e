package cli

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// peerIsOwner reports whether the process at the other end of a unix
// socket runs as this process's user (SO_PEERCRED): the folder's
// permissions keep others out, and this refuses whoever gets past them.
func peerIsOwner(conn net.Conn) (bool, error) {
	uc, ok := conn.(*net.UnixConn)
	if !ok {
		return false, fmt.Errorf("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return false, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return false, err
	}
	if credErr != nil {
		return false, credErr
	}
	return int(cred.Uid) == os.Getuid(), nil
}
