//go:build !windows

package cli

import "os"

// userDataBase is ~/.config on Linux and ~/Library/Application Support on
// macOS.
func userDataBase() string {
	base, err := os.UserConfigDir()
	if err != nil {
		return "."
	}
	return base
}
