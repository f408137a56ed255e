//go:build !cgo

package store

// Without cgo there is no SQLite (see ioerr_cgo.go): these only let the
// package type-check.
func sqliteFull(error) bool          { return false }
func sqliteCannotWrite(error) bool   { return false }
func sqliteConstraint(error) bool    { return false }
func sqliteMessage(err error) string { return err.Error() }
