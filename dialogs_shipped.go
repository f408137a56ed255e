//go:build !e2e

package main

import "quietdesk/app"

// e2eDialogs is the identity in shipped builds: the native dialogs only
// (dialogs_e2e.go is the browser tests' stand-in).
func e2eDialogs(d app.Dialogs) app.Dialogs { return d }
