package pdf_test

import (
	"fmt"
	"strings"
	"testing"

	"quietdesk/internal/pdf"
)

// gofpdf fails a whole document for one character beyond the fonts' range
// (MultiCell with an error; CellFormat by panicking as the document is
// finished, which would take the whole program down); a Doc prints it as
// U+FFFD instead, in every text method it offers.
func TestDocPrintsWhatTheFontsCannotAsReplaced(t *testing.T) {
	const name = "Dana 😀 Lee"
	rawFails := func(write func(d *pdf.Doc)) (failure string) {
		defer func() {
			if p := recover(); p != nil {
				failure = fmt.Sprint("panic: ", p)
			}
		}()
		raw := pdf.New()
		raw.AddPage()
		raw.SetFont(pdf.Sans, "", 10)
		write(raw)
		if _, err := pdf.Bytes(raw); err != nil {
			return err.Error()
		}
		return ""
	}
	if f := rawFails(func(d *pdf.Doc) { d.Fpdf.CellFormat(0, 5, name, "", 1, "L", false, 0, "") }); !strings.Contains(f, "panic") {
		t.Errorf("gofpdf's CellFormat with an emoji: %q", f)
	}
	if f := rawFails(func(d *pdf.Doc) { d.Fpdf.MultiCell(0, 5, name, "", "L", false) }); !strings.Contains(f, "outside the supported range") {
		t.Errorf("gofpdf's MultiCell with an emoji: %q", f)
	}

	d := pdf.New()
	d.AddPage()
	d.SetFont(pdf.Sans, "", 10)
	d.CellFormat(0, 5, name, "", 1, "L", false, 0, "")
	d.MultiCell(0, 5, "Note: "+name, "", "L", false)
	if got, want := d.GetStringWidth(name), d.GetStringWidth("Dana \uFFFD Lee"); got != want {
		t.Errorf("the width of the text is %.2f, of what is printed %.2f", got, want)
	}
	data, err := pdf.Bytes(d)
	if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("the document was not made: %v", err)
	}
	if got := pdf.Printable("a😀b\u00e9\u4e2d"); got != "a\uFFFDb\u00e9\u4e2d" {
		t.Errorf("Printable: %q", got)
	}
}
