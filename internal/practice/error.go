// Package practice holds Quietdesk's shared domain types, their validation
// rules and the error codes every layer speaks. It has no dependencies on
// storage or UI so every other package can import it.
package practice

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. They are stable strings: the frontend switches on them.
const (
	EInvalid       = "invalid"        // input failed validation; Fields says where
	ENotFound      = "not_found"      // the record does not exist (or was deleted)
	EConflict      = "conflict"       // the write clashes with existing data
	EUnauthorized  = "unauthorized"   // no one is logged in, or the login failed
	EForbidden     = "forbidden"      // logged in, but the role may not do this
	ELocked        = "locked"         // the session locked after inactivity
	EWrongPassword = "wrong_password" // the password (or recovery key) did not unlock
	EBusy          = "busy"           // another process holds the data directory
	EDamaged       = "damaged"        // the database cannot be read or decrypted
	EInternal      = "internal"       // a bug or an I/O failure; details are logged, not shown
	EUnavailable   = "unavailable"    // another machine could not be reached, or did not answer as it should
)

// Error is an error a person can act on. Message never contains PHI of a
// record other than what the user typed on the same form.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EInternal when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// GenericMessage is shown for an error that is not an *Error.
const GenericMessage = "Something went wrong; the details are in the log. Please try again, and contact support if it happens again."

// ErrorMessage returns the user-facing message of err. Errors that are not
// *Error are internal and get a generic message so no detail (which might
// include a SQL fragment or a path) reaches the screen.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if err == nil {
		return ""
	}
	// Whether anything changed is unknown here, so the message does not
	// say (it used to claim "nothing was changed", also after a demo that
	// had made a practice).
	return GenericMessage
}

// Problems collects per-field validation messages. The zero value is ready.
type Problems map[string]string

// Add records msg for field unless the field already has a problem (the
// first problem found is the most useful one to show).
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

// FieldProblem is the EInvalid error of a form with one bad field.
func FieldProblem(field, msg string) error { return Problems{field: msg}.Err() }

// Err returns nil when there are no problems, else an EInvalid *Error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Please correct the highlighted fields.", Fields: map[string]string(p)}
}
