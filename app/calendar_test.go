package app_test

import (
	"bytes"
	"os"
	"testing"

	"quietdesk/internal/practice"
)

func TestPrintDay(t *testing.T) {
	e := newEnv(t)
	c, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		path, err := e.Calendar.PrintDay(c.ID, "2026-03-10")
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("PrintDay saved %q (%v), not a PDF", path, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := e.Calendar.PrintDay(c.ID, "10/03/2026")
		if code := codeOf(t, err); code != practice.EInvalid {
			t.Fatalf("code %q, want %q", code, practice.EInvalid)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := e.Calendar.PrintDay("no-such-clinician", "2026-03-10")
		if code := codeOf(t, err); code != practice.ENotFound {
			t.Fatalf("code %q, want %q", code, practice.ENotFound)
		}
	})
}
