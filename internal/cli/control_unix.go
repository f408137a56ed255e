//go:build !windows

package cli

import (
	"net"
	"os"
	"path/filepath"
	"time"
)

// controlSocket is the hub's admin socket in its data folder. Only the
// folder's owner can reach it (the folder is 0700, the socket 0600).
const controlSocket = "hub.sock"

func listenControl(dir string) (net.Listener, error) {
	path := filepath.Join(dir, controlSocket)
	os.Remove(path) // left by a hub that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	os.Chmod(path, 0o600)
	return ln, nil
}

func dialControl(dir string) (net.Conn, error) {
	return net.DialTimeout("unix", filepath.Join(dir, controlSocket), 5*time.Second)
}
