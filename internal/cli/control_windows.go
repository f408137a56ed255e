//go:build windows

package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// On Windows the hub's admin channel is a named pipe: Wine has no AF_UNIX
// sockets and Windows 10 before 1803 neither, while named pipes carry an
// access list of their own. The pipe admits the user who runs the hub and
// no one else (not Administrators, not SYSTEM), and its name is derived
// from the data folder so that two hubs on two folders never meet.

// pipeName is the same for every spelling of one folder (Windows paths
// ignore case) and reveals nothing of the path.
func pipeName(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(abs))))
	return `\\.\pipe\quietdesk-hub-` + hex.EncodeToString(sum[:12])
}

func listenControl(dir string) (net.Listener, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	// P: protected, no inherited entries; GA: full access, for this SID only.
	// go-winio creates the first instance exclusively, so a pipe another
	// user planted under the same name makes Listen fail rather than share.
	ln, err := winio.ListenPipe(pipeName(dir), &winio.PipeConfig{
		SecurityDescriptor: "D:P(A;;GA;;;" + tu.User.Sid.String() + ")",
	})
	if err != nil {
		return nil, err
	}
	go spendPlaceholder(dir)
	return ln, nil
}

// spendPlaceholder connects to the pipe once and hangs up. go-winio's first
// instance is a placeholder opened without read or write access, which
// Windows keeps closed to clients, so they reach the instances Accept
// makes. Wine does not: it hands the first client the placeholder, where
// nothing ever reads, so that client's command and the hub's reply never
// meet (the connect succeeds, the write blocks, i/o timeout). Spending the
// placeholder on this empty connection leaves every later client the real
// instances; on Windows the connection reaches Accept instead, and answer
// drops it at the end of its empty first line.
func spendPlaceholder(dir string) {
	if conn, err := dialControl(dir); err == nil {
		conn.Close()
	}
}

func dialControl(dir string) (net.Conn, error) {
	timeout := 5 * time.Second
	return winio.DialPipe(pipeName(dir), &timeout)
}
