//go:build !windows

package cli

import (
	"net"
	"os"
	"path/filepath"
	"time"
)

// controlSocket is the hub's admin socket in its data folder. It is created
// inside the folder, which store.Open made 0700 before, so it is private from
// the moment it exists; and each connection's user is checked (SO_PEERCRED,
// peercred_linux.go), so even a folder opened up later does not let another
// user of the computer open a pairing window.
const controlSocket = "hub.sock"

func listenControl(dir string) (net.Listener, error) {
	path := filepath.Join(dir, controlSocket)
	os.Remove(path) // left by a hub that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

func dialControl(dir string) (net.Conn, error) {
	return net.DialTimeout("unix", filepath.Join(dir, controlSocket), 5*time.Second)
}
