package app_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"quietdesk/app"
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

func TestTimeOffList(t *testing.T) {
	e := newEnv(t)
	c, err := e.Practice.SaveClinician(practice.Clinician{FirstName: "Ana", LastName: "Ruiz", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	off, err := e.Calendar.SaveTimeOff(practice.TimeOff{ClinicianID: c.ID, Kind: practice.TimeOffAway,
		Start: now.Add(48 * time.Hour), End: now.Add(72 * time.Hour), Reason: "conference"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.AddDate(0, 1, 0)})
		if err != nil || len(got) != 1 || got[0].ID != off.ID || got[0].Reason != "conference" {
			t.Fatalf("TimeOff = %+v, %v; want the one block", got, err)
		}
		none, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.Add(24 * time.Hour)})
		if err != nil || none == nil || len(none) != 0 {
			t.Fatalf("TimeOff before the block = %#v, %v; want an empty list", none, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, err := e.Calendar.TimeOff(app.CalendarSpan{From: now, To: now.AddDate(2, 0, 0)})
		if code := codeOf(t, err); code != practice.EInvalid {
			t.Fatalf("code %q, want %q", code, practice.EInvalid)
		}
	})
}
