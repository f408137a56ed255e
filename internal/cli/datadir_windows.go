//go:build windows

package cli

import "os"

// userDataBase is %LOCALAPPDATA%, not the %APPDATA% Go would pick: a
// roaming profile copies %APPDATA% to the domain's server at every log-off,
// which would put the practice's database on a machine Quietdesk does not
// protect and replace it with a stale copy at the next log-on.
func userDataBase() string {
	if d := os.Getenv("LOCALAPPDATA"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "."
	}
	return base
}
