package calendar

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"time"

	"quietdesk/internal/pdf"
	"quietdesk/internal/practice"
)

// ScheduleRow is one appointment on a printed day schedule. Patient is
// already the short name ("Maria G."): a printout left on a desk shows no
// more than that.
type ScheduleRow struct {
	Start, End  time.Time
	Patient     string
	Type, Place string
	Status      practice.Status
}

// DaySheet is a printed day: one clinician's, or the whole practice's
// with a section per clinician.
type DaySheet struct {
	Practice string
	Day      time.Time // any time on the day, read in Zone
	Zone     *time.Location
	Clock    practice.Clock
	Sections []DaySection
}

// DaySection is one clinician's appointments on a printed day; each starts
// on a new page, so the sheet can be handed out clinician by clinician.
type DaySection struct {
	Clinician string
	Rows      []ScheduleRow
}

// The table, in millimetres, across the 175.9 mm between Letter margins.
var scheduleColumns = []struct {
	title string
	width float64
}{{"Time", 40}, {"Patient", 28}, {"Type", 50}, {"Place", 36}, {"Status", 21.9}}

const (
	rowHeight      = 8
	footerText     = "Confidential — contains patient information"
	pageCountAlias = "{nb}"
)

var statusWords = map[practice.Status]string{
	practice.Scheduled: "Scheduled", practice.Confirmed: "Confirmed", practice.CheckedIn: "Checked in",
	practice.Completed: "Completed", practice.Cancelled: "Cancelled", practice.NoShow: "No-show",
}

// WriteDaySchedule writes the day's appointments as a printable PDF, each
// section from a new page: a title with the clinician and date, one table
// row per appointment in order of start (cancelled and no-show rows greyed
// and struck through, so the gap they leave is visible), the table header
// repeated on every page, and a confidentiality footer on every page.
// Title names the document (the clinician, or the practice for a whole day).
func WriteDaySchedule(w io.Writer, title string, s DaySheet) error {
	f := pdf.New()
	day := s.Day.In(s.Zone).Format("Monday, January 2, 2006")
	f.SetTitle("Day schedule — "+title+" — "+day, true)
	f.AliasNbPages(pageCountAlias)
	var current string    // the clinician whose section is being written
	sectionStart := false // the page being added opens a section: no "continued" line
	f.SetHeaderFunc(func() {
		if !sectionStart {
			f.SetFont(pdf.Sans, "", 9)
			f.SetTextColor(90, 90, 90)
			f.CellFormat(0, 6, current+" — "+day+" (continued)", "", 1, "L", false, 0, "")
			tableHeader(f)
		}
	})
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetFont(pdf.Sans, "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(120, 5, footerText, "", 0, "L", false, 0, "")
		f.CellFormat(0, 5, "Page "+strconv.Itoa(f.PageNo())+" of "+pageCountAlias, "", 0, "R", false, 0, "")
	})
	sections := s.Sections
	if len(sections) == 0 {
		sections = []DaySection{{Clinician: title}} // a page that says so
	}
	for _, sec := range sections {
		current, sectionStart = sec.Clinician, true
		f.AddPage()
		sectionStart = false
		writeSection(f, s, sec, day)
	}
	out, err := pdf.Bytes(f)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func writeSection(f *pdf.Doc, s DaySheet, sec DaySection, day string) {
	f.SetFont(pdf.Sans, "", 10)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 6, s.Practice, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "B", 18)
	f.SetTextColor(0, 0, 0)
	f.CellFormat(0, 10, sec.Clinician, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 12)
	f.CellFormat(0, 7, day+" · "+countWord(len(sec.Rows), "appointment"), "", 1, "L", false, 0, "")
	f.Ln(4)
	tableHeader(f)

	rows := slices.Clone(sec.Rows)
	slices.SortStableFunc(rows, func(a, b ScheduleRow) int { return cmp.Compare(a.Start.UnixNano(), b.Start.UnixNano()) })
	_, pageHeight := f.GetPageSize()
	_, _, _, bottom := f.GetMargins()
	for i, r := range rows {
		if f.GetY()+rowHeight > pageHeight-bottom {
			f.AddPage()
		}
		scheduleRow(f, s, r, i%2 == 1)
	}
	if len(rows) == 0 {
		f.SetFont(pdf.Sans, "", 11)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 12, "No appointments.", "", 1, "L", false, 0, "")
	}
}

func tableHeader(f *pdf.Doc) {
	f.SetFont(pdf.Sans, "B", 10)
	f.SetTextColor(0, 0, 0)
	f.SetFillColor(226, 232, 240)
	for _, c := range scheduleColumns {
		f.CellFormat(c.width, rowHeight, c.title, "", 0, "L", true, 0, "")
	}
	f.Ln(-1)
}

func scheduleRow(f *pdf.Doc, s DaySheet, r ScheduleRow, shaded bool) {
	open := r.Status.Open()
	f.SetFont(pdf.Sans, "", 10)
	f.SetFillColor(246, 248, 250)
	f.SetTextColor(0, 0, 0)
	if !open {
		f.SetTextColor(150, 150, 150)
	}
	x, y := f.GetX(), f.GetY()
	cells := []string{
		s.Clock.Time(r.Start, s.Zone) + " – " + s.Clock.Time(r.End, s.Zone),
		r.Patient, r.Type, r.Place, cmp.Or(statusWords[r.Status], string(r.Status)),
	}
	for i, text := range cells {
		width := scheduleColumns[i].width
		f.CellFormat(width, rowHeight, fitText(f, text, width-2), "", 0, "L", shaded, 0, "")
	}
	f.Ln(-1)
	if !open {
		// Strike through everything but the status, which says why.
		struck := 0.0
		for _, c := range scheduleColumns[:len(scheduleColumns)-1] {
			struck += c.width
		}
		f.SetDrawColor(150, 150, 150)
		f.SetLineWidth(0.3)
		f.Line(x+1, y+rowHeight/2, x+struck-2, y+rowHeight/2)
	}
}

// fitText shortens text with an ellipsis until it fits width millimetres
// (cells clip nothing: long text would run into the next column).
func fitText(f *pdf.Doc, text string, width float64) string {
	if f.GetStringWidth(text) <= width {
		return text
	}
	runes := []rune(text)
	for len(runes) > 0 && f.GetStringWidth(string(runes)+"…") > width {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}

func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
