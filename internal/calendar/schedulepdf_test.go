package calendar_test

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"quietdesk/internal/calendar"
	"quietdesk/internal/practice"
)

func sampleDay(t testing.TB) calendar.DaySheet {
	ny := zone(t, "America/New_York")
	row := func(start, end, patient, typ, place string, s practice.Status) calendar.ScheduleRow {
		return calendar.ScheduleRow{Start: at(t, ny, "2026-03-03 "+start), End: at(t, ny, "2026-03-03 "+end), Patient: patient, Type: typ, Place: place, Status: s}
	}
	return calendar.DaySheet{
		Practice: "Søndergård & Nguyễn Counseling", Day: at(t, ny, "2026-03-03 00:00"), Zone: ny,
		Sections: []calendar.DaySection{{Clinician: "Ana Ruiz, LCSW", Rows: []calendar.ScheduleRow{
			row("11:00", "11:53", "Zoë Ó.", "Individual therapy 53 min", "Telehealth", practice.Confirmed),
			row("09:00", "09:50", "Maria G.", "Intake", "Main St — Room 2", practice.Completed),
			row("10:00", "10:50", "Nguyễn T.", "Individual therapy 45 min", "Main St — Room 1", practice.Cancelled),
			row("13:00", "14:00", "Łukasz W.", "Family session", "Main St — Room 3", practice.CheckedIn),
			row("14:00", "14:50", "Jamal B.", "Individual therapy 45 min", "Main St — Room 1", practice.NoShow),
			row("15:00", "15:50", "Søren K.", "Couples therapy with interactive complexity", "Main St — Room 2", practice.Scheduled),
		}}},
	}
}

func TestWriteDaySchedule(t *testing.T) {
	// The practice's clock writes the times; 12-hour is the default.
	for _, tc := range []struct {
		clock practice.Clock
		times []string
	}{
		{"", []string{"9:00 AM – 9:50 AM", "10:00 AM – 10:50 AM", "11:00 AM – 11:53 AM", "1:00 PM – 2:00 PM", "2:00 PM – 2:50 PM", "3:00 PM – 3:50 PM"}},
		{practice.Clock24, []string{"09:00 – 09:50", "10:00 – 10:50", "11:00 – 11:53", "13:00 – 14:00", "14:00 – 14:50", "15:00 – 15:50"}},
	} {
		s := sampleDay(t)
		s.Clock = tc.clock
		lines, pages := renderSchedule(t, s)
		want := []string{
			"Søndergård & Nguyễn Counseling",
			"Ana Ruiz, LCSW",
			"Tuesday, March 3, 2026 · 6 appointments",
			"Time | Patient | Type | Place | Status",
			tc.times[0] + " | Maria G. | Intake | Main St — Room 2 | Completed",
			tc.times[1] + " | Nguyễn T. | Individual therapy 45 min | Main St — Room 1 | Cancelled",
			tc.times[2] + " | Zoë Ó. | Individual therapy 53 min | Telehealth | Confirmed",
			tc.times[3] + " | Łukasz W. | Family session | Main St — Room 3 | Checked in",
			tc.times[4] + " | Jamal B. | Individual therapy 45 min | Main St — Room 1 | No-show",
			tc.times[5] + " | Søren K. | Couples therapy with int… | Main St — Room 2 | Scheduled",
			"Confidential — contains patient information | Page 1 of 1",
		}
		// Exactly these lines: nothing about a patient beyond what the rows say.
		if !slices.Equal(lines, want) {
			t.Errorf("clock %q: schedule text:\n%s\nwant:\n%s", tc.clock, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		if pages != 1 {
			t.Errorf("%d pages, want 1", pages)
		}
	}
}

// The whole practice's day: a section per clinician, each from a new page,
// and a second page of a long section says whose day it continues.
func TestWriteDayScheduleWholePractice(t *testing.T) {
	s := sampleDay(t)
	ben := calendar.DaySection{Clinician: "Ben Okafor, PsyD"}
	start := at(t, s.Zone, "2026-03-03 07:00")
	for i := range 30 {
		ben.Rows = append(ben.Rows, calendar.ScheduleRow{Start: start.Add(time.Duration(i) * 20 * time.Minute), End: start.Add(time.Duration(i+1) * 20 * time.Minute),
			Patient: fmt.Sprintf("Patient%02d P.", i), Type: "Check-in call", Place: "Telehealth", Status: practice.Scheduled})
	}
	s.Sections = append(s.Sections, ben, calendar.DaySection{Clinician: "Cleo Diaz, LMFT", Rows: s.Sections[0].Rows[:1]})
	lines, pages := renderSchedule(t, s)
	if pages != 4 {
		t.Fatalf("%d pages, want 4 (Ana 1, Ben 2, Cleo 1)", pages)
	}
	text := strings.Join(lines, "\n")
	for _, heading := range []string{"Ana Ruiz, LCSW", "Ben Okafor, PsyD", "Cleo Diaz, LMFT"} {
		if !slices.Contains(lines, heading) {
			t.Errorf("no section for %s", heading)
		}
	}
	for _, count := range []string{"Tuesday, March 3, 2026 · 6 appointments", "Tuesday, March 3, 2026 · 30 appointments", "Tuesday, March 3, 2026 · 1 appointment"} {
		if !slices.Contains(lines, count) {
			t.Errorf("no line %q", count)
		}
	}
	if n := strings.Count(text, "(continued)"); n != 1 || !strings.Contains(text, "Ben Okafor, PsyD — Tuesday, March 3, 2026 (continued)") {
		t.Errorf("%d continued lines; want one, Ben's:\n%s", n, text)
	}
	for p := 1; p <= 4; p++ {
		if !strings.Contains(text, fmt.Sprintf("Confidential — contains patient information | Page %d of 4", p)) {
			t.Errorf("page %d lacks the footer", p)
		}
	}
}

func TestWriteDayScheduleOverSeveralPages(t *testing.T) {
	s := sampleDay(t)
	s.Sections[0].Rows = nil
	start := at(t, s.Zone, "2026-03-03 07:00")
	for i := range 40 {
		s.Sections[0].Rows = append(s.Sections[0].Rows, calendar.ScheduleRow{Start: start.Add(time.Duration(i) * 15 * time.Minute), End: start.Add(time.Duration(i+1) * 15 * time.Minute),
			Patient: fmt.Sprintf("Patient%02d P.", i), Type: "Check-in call", Place: "Telehealth", Status: practice.Scheduled})
	}
	lines, pages := renderSchedule(t, s)
	if pages < 2 {
		t.Fatalf("%d pages for 40 rows", pages)
	}
	text := strings.Join(lines, "\n")
	for p := 1; p <= pages; p++ {
		if !strings.Contains(text, fmt.Sprintf("Confidential — contains patient information | Page %d of %d", p, pages)) {
			t.Errorf("page %d lacks the footer", p)
		}
	}
	if n := strings.Count(text, "Time | Patient | Type | Place | Status"); n != pages {
		t.Errorf("table header on %d of %d pages", n, pages)
	}
	if !strings.Contains(text, "Ana Ruiz, LCSW — Tuesday, March 3, 2026 (continued)") {
		t.Error("later pages do not say whose day they continue")
	}
	for _, r := range s.Sections[0].Rows {
		if strings.Count(text, r.Patient) != 1 {
			t.Errorf("%s appears %d times", r.Patient, strings.Count(text, r.Patient))
		}
	}
}

func TestWriteDayScheduleEmptyDay(t *testing.T) {
	s := sampleDay(t)
	s.Sections[0].Rows = nil
	lines, _ := renderSchedule(t, s)
	if !slices.Contains(lines, "No appointments.") || !slices.Contains(lines, "Tuesday, March 3, 2026 · 0 appointments") {
		t.Errorf("empty day:\n%s", strings.Join(lines, "\n"))
	}
}

// renderSchedule writes the PDF and reads it back with poppler's
// pdftotext (installed by scripts/install-deps.sh), returning its lines of
// text, table cells joined by " | ", and the page count. With
// QUIETDESK_KEEP_PDF=dir it keeps the PDF there to look at.
func renderSchedule(t *testing.T, s calendar.DaySheet) ([]string, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := calendar.WriteDaySchedule(&buf, s.Sections[0].Clinician, s); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if keep := os.Getenv("QUIETDESK_KEEP_PDF"); keep != "" {
		dir = keep
	}
	path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-tsv", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (run scripts/install-deps.sh)", err)
	}
	return wordsToLines(t, string(out))
}

// wordsToLines rebuilds lines from pdftotext's word boxes: words on the
// same baseline form a line, read left to right, and a gap wider than two
// spaces between words is a column boundary.
func wordsToLines(t *testing.T, tsv string) ([]string, int) {
	const columnGap = 7.0 // points; a space at 10 pt is about 3
	type word struct {
		page             int
		left, top, right float64
		text             string
	}
	var words []word
	pages := 0
	for _, row := range strings.Split(strings.TrimSpace(tsv), "\n")[1:] {
		f := strings.Split(row, "\t")
		if len(f) != 12 {
			t.Fatalf("unexpected pdftotext -tsv row %q", row)
		}
		if f[11] == "###PAGE###" {
			pages++
		}
		if f[0] != "5" { // level 5 is a word
			continue
		}
		w := word{page: pages, text: f[11]}
		var width float64
		fmt.Sscan(f[6]+" "+f[7]+" "+f[8], &w.left, &w.top, &width)
		w.top, w.right = math.Round(w.top), w.left+width
		words = append(words, w)
	}
	slices.SortStableFunc(words, func(a, b word) int {
		return cmp.Or(cmp.Compare(a.page, b.page), cmp.Compare(a.top, b.top), cmp.Compare(a.left, b.left))
	})
	var lines []string
	for i, w := range words {
		switch {
		case i == 0 || w.page != words[i-1].page || w.top != words[i-1].top:
			lines = append(lines, w.text)
		case w.left-words[i-1].right > columnGap:
			lines[len(lines)-1] += " | " + w.text
		default:
			lines[len(lines)-1] += " " + w.text
		}
	}
	return lines, pages
}
