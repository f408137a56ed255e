//go:build cgo

package store

import (
	"errors"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// sqliteFull and sqliteCannotWrite read SQLite's own error codes. They live
// apart because go-sqlite3 without cgo has no Error type, and the store must
// still type-check for macOS with cgo off (make vet-cross).
func sqliteFull(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrFull || se.SystemErrno == syscall.ENOSPC || se.SystemErrno == syscall.EDQUOT)
}

func sqliteCannotWrite(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrPerm ||
		se.SystemErrno == syscall.EROFS || se.SystemErrno == syscall.EACCES || se.SystemErrno == syscall.EPERM)
}

// sqliteConstraint reports whether err is a constraint the statement broke
// (UNIQUE, CHECK, NOT NULL, a foreign key).
func sqliteConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

// sqliteMessage is SQLite's own message for err, without our wrapping.
func sqliteMessage(err error) string {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}
