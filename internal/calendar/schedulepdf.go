package calendar

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/jung-kurt/gofpdf"

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

// DaySheet is one clinician's printed day.
type DaySheet struct {
	Practice, Clinician string
	Day                 time.Time // any time on the day, read in Zone
	Zone                *time.Location
	Rows                []ScheduleRow
}

// The table, in millimetres, across the 175.9 mm between Letter margins.
var scheduleColumns = []struct {
	title string
	width float64
}{{"Time", 26}, {"Patient", 34}, {"Type", 50}, {"Place", 44}, {"Status", 21.9}}

const (
	rowHeight      = 8
	footerText     = "Confidential — contains patient information"
	pageCountAlias = "{nb}"
)

var statusWords = map[practice.Status]string{
	practice.Scheduled: "Scheduled", practice.Confirmed: "Confirmed", practice.CheckedIn: "Checked in",
	practice.Completed: "Completed", practice.Cancelled: "Cancelled", practice.NoShow: "No-show",
}

// WriteDaySchedule writes the day's appointments, in order of start, as a
// printable PDF: a title with the clinician and date, one table row per
// appointment (cancelled and no-show rows greyed and struck through, so
// the gap they leave is visible), the table header repeated on every page,
// and a confidentiality footer on every page.
func WriteDaySchedule(w io.Writer, s DaySheet) error {
	f := pdf.New()
	day := s.Day.In(s.Zone).Format("Monday, January 2, 2006")
	f.SetTitle("Day schedule — "+s.Clinician+" — "+day, true)
	f.AliasNbPages(pageCountAlias)
	f.SetHeaderFunc(func() {
		if f.PageNo() > 1 {
			f.SetFont(pdf.Sans, "", 9)
			f.SetTextColor(90, 90, 90)
			f.CellFormat(0, 6, s.Clinician+" — "+day+" (continued)", "", 1, "L", false, 0, "")
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
	f.AddPage()

	f.SetFont(pdf.Sans, "", 10)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 6, s.Practice, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "B", 18)
	f.SetTextColor(0, 0, 0)
	f.CellFormat(0, 10, s.Clinician, "", 1, "L", false, 0, "")
	f.SetFont(pdf.Sans, "", 12)
	f.CellFormat(0, 7, day+" · "+countWord(len(s.Rows), "appointment"), "", 1, "L", false, 0, "")
	f.Ln(4)
	tableHeader(f)

	rows := slices.Clone(s.Rows)
	slices.SortStableFunc(rows, func(a, b ScheduleRow) int { return cmp.Compare(a.Start.UnixNano(), b.Start.UnixNano()) })
	_, pageHeight := f.GetPageSize()
	_, _, _, bottom := f.GetMargins()
	for i, r := range rows {
		if f.GetY()+rowHeight > pageHeight-bottom {
			f.AddPage()
		}
		scheduleRow(f, s.Zone, r, i%2 == 1)
	}
	if len(rows) == 0 {
		f.SetFont(pdf.Sans, "", 11)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 12, "No appointments.", "", 1, "L", false, 0, "")
	}
	out, err := pdf.Bytes(f)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func tableHeader(f *gofpdf.Fpdf) {
	f.SetFont(pdf.Sans, "B", 10)
	f.SetTextColor(0, 0, 0)
	f.SetFillColor(226, 232, 240)
	for _, c := range scheduleColumns {
		f.CellFormat(c.width, rowHeight, c.title, "", 0, "L", true, 0, "")
	}
	f.Ln(-1)
}

func scheduleRow(f *gofpdf.Fpdf, zone *time.Location, r ScheduleRow, shaded bool) {
	open := r.Status.Open()
	f.SetFont(pdf.Sans, "", 10)
	f.SetFillColor(246, 248, 250)
	f.SetTextColor(0, 0, 0)
	if !open {
		f.SetTextColor(150, 150, 150)
	}
	x, y := f.GetX(), f.GetY()
	cells := []string{
		r.Start.In(zone).Format("15:04") + "–" + r.End.In(zone).Format("15:04"),
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
func fitText(f *gofpdf.Fpdf, text string, width float64) string {
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
