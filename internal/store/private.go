package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"quietdesk/internal/practice"
)

// Everything Quietdesk keeps in a data folder is owner-only: the folder
// 0700, every file in it 0600 (practice.db and its -wal and -shm, which
// SQLite creates with the database file's mode, backups restored in place,
// the .before-restore copies, the device identity, the lock and the hub's
// socket). A folder someone else left readable is fixed when it is opened,
// or refused when it cannot be. On Windows, permission bits do not apply
// (ACLs would), so nothing is checked there.

// makePrivate makes dir 0700 and every file directly in it 0600.
func makePrivate(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("store: data directory: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return practice.Errorf(practice.EForbidden,
				"The data folder %s can be read by other users of this computer, and Quietdesk cannot make it private (%v). Run chmod 700 on it, or choose another folder.",
				dir, errorsUnwrap(err))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("store: data directory: %w", err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || info.IsDir() || info.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(filepath.Join(dir, e.Name()), 0o600); err != nil {
			return practice.Errorf(practice.EForbidden,
				"%s in the data folder can be read by other users of this computer, and Quietdesk cannot make it private. Run chmod 600 on it.", e.Name())
		}
	}
	return nil
}

// createPrivate creates an empty file, which must not exist, that only its
// owner can read, for SQLite to fill: it opens an existing file as it is
// (VACUUM INTO accepts an empty one) and gives -wal and -shm the database
// file's mode, so it never makes a readable one.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

func errorsUnwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
