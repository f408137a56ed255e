// Package wailslog carries the Wails runtime's log lines into the
// program's structured log, without what a bound call was given.
//
// When a bound call's arguments cannot be parsed, Wails logs the JSON
// decoder's error, and that error quotes the value it could not read (a
// date of birth typed into a date field, say). Quietdesk never logs what a
// person typed, so such a line is replaced by one naming the problem only.
package wailslog

import (
	"log/slog"
	"os"
	"strings"
)

// Logger implements the Wails runtime's logger.Logger.
type Logger struct{ Log *slog.Logger }

// argumentsRefused is what replaces Wails' own line for a call whose
// arguments could not be parsed.
const argumentsRefused = "a call from the window was refused: its arguments could not be read (their values are not logged)"

// scrub replaces a message that may quote a call's arguments.
func scrub(message string) string {
	if strings.Contains(message, "error parsing arguments") || strings.Contains(message, "json call") {
		return argumentsRefused
	}
	return message
}

func (l Logger) Print(message string)   { l.Log.Info(scrub(message)) }
func (l Logger) Trace(message string)   { l.Log.Debug(scrub(message)) }
func (l Logger) Debug(message string)   { l.Log.Debug(scrub(message)) }
func (l Logger) Info(message string)    { l.Log.Info(scrub(message)) }
func (l Logger) Warning(message string) { l.Log.Warn(scrub(message)) }
func (l Logger) Error(message string)   { l.Log.Error(scrub(message)) }

// Fatal logs and exits, as the Wails runtime expects of its logger.
func (l Logger) Fatal(message string) {
	l.Log.Error(scrub(message))
	os.Exit(1)
}
