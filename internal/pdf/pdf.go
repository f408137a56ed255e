// Package pdf starts every Quietdesk document: A4/Letter page setup and the
// embedded DejaVu fonts, which cover the accented and non-Latin letters in
// real names (the PDF core fonts are Latin-1 only).
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"

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

// New returns a US Letter portrait document with the fonts registered.
// Documents carry no creation metadata that could name a person.
func New() *gofpdf.Fpdf {
	f := gofpdf.New("P", "mm", "Letter", "")
	f.AddUTF8FontFromBytes(Sans, "", sans)
	f.AddUTF8FontFromBytes(Sans, "B", sansBold)
	f.AddUTF8FontFromBytes(Mono, "", mono)
	f.SetCreator("Quietdesk", true)
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(true, 20)
	return f
}

// Bytes finishes the document.
func Bytes(f *gofpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}
