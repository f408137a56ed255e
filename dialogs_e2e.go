//go:build e2e

package main

import (
	"os"
	"path/filepath"

	"quietdesk/app"
)

// e2eDialogs answers the save dialog without a window when
// QUIETDESK_E2E_SAVE_DIR names a folder: the file goes there under the
// suggested name, so a browser test can read what the app wrote (the
// native GTK dialog would wait on the Xvfb display for a click no test can
// make). Only the browser tests build with -tags e2e; shipped builds never
// contain this file. Open dialogs still go to the native one.
func e2eDialogs(d app.Dialogs) app.Dialogs {
	dir := os.Getenv("QUIETDESK_E2E_SAVE_DIR")
	if dir == "" {
		return d
	}
	return savingTo{Dialogs: d, dir: dir}
}

type savingTo struct {
	app.Dialogs
	dir string
}

func (s savingTo) SaveFile(_, name, _, _ string) (string, error) {
	return filepath.Join(s.dir, filepath.Base(name)), nil
}
