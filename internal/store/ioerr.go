package store

import (
	"errors"
	"io/fs"
	"syscall"

	"quietdesk/internal/practice"
)

// DiskFull reports whether err is the disk (or the folder's quota) being
// full, for callers that explain a failure (joining a practice).
func DiskFull(err error) bool { return err != nil && diskFull(err) }

// diskFull reports whether err is the disk (or the folder's quota) being full.
func diskFull(err error) bool {
	if sqliteFull(err) {
		return true
	}
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// cannotWrite reports whether err is the folder or file refusing writes:
// a read-only file system or missing permission.
func cannotWrite(err error) bool {
	if sqliteCannotWrite(err) {
		return true
	}
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

// refused is the error of an operation that was undone completely: it
// says what failed, why in words a person can act on, and that nothing
// changed; the cause is logged. Only operations whose tests prove the undo
// may return it.
func (db *DB) refused(what string, err error) error {
	db.log.Error(what, "err", err)
	switch {
	case diskFull(err):
		return practice.Errorf(practice.EInternal, "%s: the disk is full. Nothing was changed; free some space and try again.", what)
	case cannotWrite(err):
		return practice.Errorf(practice.EInternal,
			"%s: Quietdesk may not write there (a read-only disk, or no permission). Nothing was changed.", what)
	}
	return practice.Errorf(practice.EInternal, "%s (an input/output error; the details are in the log). Nothing was changed.", what)
}

// cannotUseFolder explains a data folder that cannot be made, locked or
// written; nothing was read or written there.
func cannotUseFolder(dir string, err error) error {
	var pe *practice.Error
	if errors.As(err, &pe) {
		return err // already explained (another process holds the folder)
	}
	if cannotWrite(err) {
		return practice.Errorf(practice.EInvalid,
			"Quietdesk may not write in the data folder %s (a read-only disk, or no permission). Nothing was changed; give your account write access to it, or copy it to a folder you can write.", dir)
	}
	if diskFull(err) {
		return practice.Errorf(practice.EInvalid, "The disk holding the data folder %s is full. Nothing was changed; free some space and try again.", dir)
	}
	cause := errors.Unwrap(err)
	if cause == nil {
		cause = err
	}
	return practice.Errorf(practice.EInvalid, "Quietdesk cannot use the data folder %s (%v). Nothing was changed.", dir, cause)
}
