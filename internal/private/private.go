// Package private keeps the practice's files readable by the user who runs
// Quietdesk and no one else: the data folder, the database, the device
// identity and backups. Unix does it with file modes (0700 folders, 0600
// files); Windows ignores those, so there it sets an access control list
// that grants the current user alone and ignores what the parent folder
// would pass down.
package private

import (
	"fmt"
	"os"
)

// Dir creates dir if it is missing and makes it the user's alone. An
// existing folder that others could read is fixed. On Windows the folder's
// list is inherited, so files created in it later are the user's alone too.
func Dir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("private: create %s: %w", dir, err)
	}
	if err := restrict(dir, true); err != nil {
		return fmt.Errorf("private: restrict %s: %w", dir, err)
	}
	return nil
}

// File makes an existing file the user's alone (a backup written outside
// the data folder does not inherit the folder's protection).
func File(path string) error {
	if err := restrict(path, false); err != nil {
		return fmt.Errorf("private: restrict %s: %w", path, err)
	}
	return nil
}

// Check returns an error naming who else can reach path, or nil when only
// the current user can.
func Check(path string) error {
	return ownerOnly(path)
}
