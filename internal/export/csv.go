package export

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSV writes rows for spreadsheets. A cell a spreadsheet would run as a
// formula (one starting with =, +, -, @, a tab or a carriage return: a
// patient named "=HYPERLINK(…)", a phone typed "+1 503…") gets a leading
// apostrophe, which spreadsheets show as text; every other cell is written
// as it is (OWASP's advice on CSV injection).
type CSV struct{ w *csv.Writer }

// NewCSV writes to w.
func NewCSV(w io.Writer) *CSV { return &CSV{w: csv.NewWriter(w)} }

// Write writes one row.
func (c *CSV) Write(row []string) error {
	safe := make([]string, len(row))
	for i, cell := range row {
		safe[i] = neutralize(cell)
	}
	return c.w.Write(safe)
}

// Flush writes what is buffered and reports any error of the whole write.
func (c *CSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

func neutralize(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
