package calendar_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"quietdesk/internal/calendar"
)

func TestWriteFeed(t *testing.T) {
	ny := zone(t, "America/New_York")
	now := time.Date(2026, 3, 1, 17, 4, 5, 0, time.UTC)
	events := []calendar.FeedEvent{
		{ID: "0195f0e2-b", Start: at(t, ny, "2026-03-03 14:00"), End: at(t, ny, "2026-03-03 14:50"), Place: "Telehealth"},
		{ID: "0195f0e2-a", Start: at(t, ny, "2026-03-03 10:00"), End: at(t, ny, "2026-03-03 10:53"), Place: "Søndergård Clinic, Suite 2; Room \"B\""},
		{ID: "bad-end", Start: at(t, ny, "2026-03-04 10:00"), End: at(t, ny, "2026-03-04 10:00"), Place: "Main"},
		{ID: "", Start: at(t, ny, "2026-03-05 10:00"), End: at(t, ny, "2026-03-05 11:00"), Place: "Main"},
	}
	var buf bytes.Buffer
	if err := calendar.WriteFeed(&buf, "Ana Ruiz, LCSW — Quietdesk", events, now); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasSuffix(raw, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Errorf("lines must end in CRLF:\n%q", raw)
	}
	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, raw)
	}

	assertProps(t, "VCALENDAR", cal.Props, map[string]string{
		"VERSION":          "2.0",
		"PRODID":           "-//Quietdesk//Calendar feed//EN",
		"NAME":             "Ana Ruiz, LCSW — Quietdesk",
		"X-WR-CALNAME":     "Ana Ruiz, LCSW — Quietdesk",
		"REFRESH-INTERVAL": "PT1H",
		"X-PUBLISHED-TTL":  "PT1H",
	})
	if v := cal.Props.Get("REFRESH-INTERVAL").Params.Get("VALUE"); v != "DURATION" {
		t.Errorf("REFRESH-INTERVAL VALUE = %q, want DURATION (RFC 7986)", v)
	}
	if len(cal.Children) != 2 {
		t.Fatalf("want 2 components (bad events left out), got %d:\n%s", len(cal.Children), raw)
	}
	want := []struct{ uid, start, end, place string }{
		{"0195f0e2-a@quietdesk", "20260303T150000Z", "20260303T155300Z", "Søndergård Clinic, Suite 2; Room \"B\""},
		{"0195f0e2-b@quietdesk", "20260303T190000Z", "20260303T195000Z", "Telehealth"},
	}
	for i, ev := range cal.Events() {
		w := want[i]
		assertProps(t, "VEVENT "+w.uid, ev.Props, map[string]string{
			"UID":      w.uid,
			"DTSTAMP":  "20260301T170405Z",
			"DTSTART":  w.start,
			"DTEND":    w.end,
			"SUMMARY":  "Appointment",
			"LOCATION": w.place,
		})
		if len(ev.Children) != 0 {
			t.Errorf("%s has nested components", w.uid)
		}
		start, err := ev.DateTimeStart(nil)
		if err != nil || !start.Equal(events[1-i].Start) {
			t.Errorf("%s DTSTART = %v (%v), want %v", w.uid, start, err, events[1-i].Start)
		}
	}
}

// assertProps checks that props holds exactly the wanted properties, once
// each, with these text values: nothing else, so nothing about a patient,
// can be in the feed.
func assertProps(t *testing.T, what string, props ical.Props, want map[string]string) {
	t.Helper()
	if got, wantNames := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantNames) {
		t.Errorf("%s properties = %v, want exactly %v", what, got, wantNames)
	}
	for name, value := range want {
		list := props.Values(name)
		if len(list) != 1 {
			t.Errorf("%s has %d %s, want 1", what, len(list), name)
			continue
		}
		got := list[0].Value
		if text, err := list[0].Text(); err == nil { // unescaped, for text values
			got = text
		}
		if got != value {
			t.Errorf("%s %s = %q, want %q", what, name, got, value)
		}
	}
}

func TestWriteFeedWithNoEvents(t *testing.T) {
	var buf bytes.Buffer
	if err := calendar.WriteFeed(&buf, "Ben Ode", nil, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events in an empty feed", n)
	}
}
