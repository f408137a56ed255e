package app

import (
	"encoding/json"

	"quietdesk/internal/practice"
)

// uiError is what a bound method returns on failure. Wails rejects the
// frontend's promise with Error(), so Error() is the JSON of
// {code, message, fields}; frontend/src/lib/api parses it back.
type uiError struct {
	e practice.Error
}

func newUIError(err error) *uiError {
	ue := &uiError{e: practice.Error{Code: practice.ErrorCode(err), Message: practice.ErrorMessage(err)}}
	if pe, ok := err.(*practice.Error); ok {
		ue.e.Fields = pe.Fields
	}
	return ue
}

func (u *uiError) Error() string {
	b, err := json.Marshal(u.e)
	if err != nil {
		return `{"code":"internal","message":"Something went wrong."}`
	}
	return string(b)
}

// Unwrap lets errors.As find the practice.Error (tests check codes this way).
func (u *uiError) Unwrap() error { return &u.e }
