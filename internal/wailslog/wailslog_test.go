package wailslog_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/wailslog"
)

// The exact error Wails logs for a date it cannot parse, made the way Wails
// makes it (json.Unmarshal into the bound type), quotes the value typed;
// the log must not.
func TestArgumentsThatCannotBeParsedAreNotLogged(t *testing.T) {
	const typed = "03/14/1985 Jane Doe"
	var into struct {
		DOB time.Time `json:"dob"`
	}
	err := json.Unmarshal([]byte(`{"dob":"`+typed+`"}`), &into)
	if err == nil || !strings.Contains(err.Error(), "1985") {
		t.Fatalf("the decoder's error no longer quotes the value (%v): this test must find another way to prove the scrub", err)
	}
	var buf bytes.Buffer
	l := wailslog.Logger{Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	l.Error("error parsing arguments: " + err.Error())
	l.Trace(`json call result data: {"result":{"dob":"` + typed + `"}}`)
	if strings.Contains(buf.String(), "1985") || strings.Contains(buf.String(), "Jane") {
		t.Fatalf("the log holds the typed value:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "arguments could not be read") {
		t.Fatalf("the refusal was not logged at all:\n%s", buf.String())
	}
	buf.Reset()
	l.Info("Wails starting the window")
	if !strings.Contains(buf.String(), "Wails starting the window") {
		t.Fatalf("an ordinary line was lost: %s", buf.String())
	}
}
