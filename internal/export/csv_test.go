package export_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"quietdesk/internal/export"
)

func TestCSVNeutralizesFormulas(t *testing.T) {
	in := []string{"=HYPERLINK(\"http://x\",\"Click\")", "+1 503 555 0142", "-2+3", "@SUM(A1)", "\tcmd", "Zoë Nguyễn", "", "a=b", "O'Neil"}
	want := []string{"'=HYPERLINK(\"http://x\",\"Click\")", "'+1 503 555 0142", "'-2+3", "'@SUM(A1)", "'\tcmd", "Zoë Nguyễn", "", "a=b", "O'Neil"}
	var buf bytes.Buffer
	w := export.NewCSV(&buf)
	if err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cell %d: got %q, want %q", i, got[i], want[i])
		}
	}
}
