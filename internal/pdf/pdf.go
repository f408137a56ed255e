// Package pdf starts every Quietdesk document: A4/Letter page setup and the
// embedded DejaVu fonts, which cover the accented and non-Latin letters in
// real names (the PDF core fonts are Latin-1 only).
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"github.com/jung-kurt/gofpdf"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	sans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	sansBold []byte
	//go:embed fonts/DejaVuSansMono.ttf
	mono []byte
)

// Font families registered on every document.
const (
	Sans = "DejaVuSans"
	Mono = "DejaVuSansMono"
)

// Doc is a document whose text always prints. The fonts cover the Basic
// Multilingual Plane, and gofpdf refuses any character beyond it by failing
// the whole document: one emoji in a patient's name, a payer's address or
// a form the owner wrote would leave a superbill, a schedule or an intake
// packet unprintable. Doc's text methods print such a character as U+FFFD,
// visibly replaced; every other gofpdf method is the embedded one.
type Doc struct {
	*gofpdf.Fpdf
}

// CellFormat is gofpdf's, with the text made printable.
func (d *Doc) CellFormat(w, h float64, text, border string, ln int, align string, fill bool, link int, linkURL string) {
	d.Fpdf.CellFormat(w, h, Printable(text), border, ln, align, fill, link, linkURL)
}

// MultiCell is gofpdf's, with the text made printable.
func (d *Doc) MultiCell(w, h float64, text, border, align string, fill bool) {
	d.Fpdf.MultiCell(w, h, Printable(text), border, align, fill)
}

// GetStringWidth is the width of the text as Doc prints it.
func (d *Doc) GetStringWidth(text string) float64 {
	return d.Fpdf.GetStringWidth(Printable(text))
}

// Printable is text as the fonts can print it: a character beyond the
// Basic Multilingual Plane becomes U+FFFD.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}

// New returns a US Letter portrait document with the fonts registered.
// Documents carry no creation metadata that could name a person.
func New() *Doc {
	f := gofpdf.New("P", "mm", "Letter", "")
	f.AddUTF8FontFromBytes(Sans, "", sans)
	f.AddUTF8FontFromBytes(Sans, "B", sansBold)
	f.AddUTF8FontFromBytes(Mono, "", mono)
	f.SetCreator("Quietdesk", true)
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(true, 20)
	return &Doc{f}
}

// Bytes finishes the document.
func Bytes(f *Doc) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}
