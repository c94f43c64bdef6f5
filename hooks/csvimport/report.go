package csvimport

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// WriteReport writes errs as CSV with the columns line, column, reason, in
// the order given. Cells that a spreadsheet would run as a formula (starting
// with =, +, -, @, tab or carriage return) get a leading apostrophe, since
// column headers and reasons quote the imported file (SPEC §3.3.7).
func WriteReport(w io.Writer, errs []RowError) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"line", "column", "reason"}); err != nil {
		return err
	}
	for _, e := range errs {
		rec := []string{strconv.Itoa(e.Line), escapeFormula(e.Column), escapeFormula(e.Reason)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// escapeFormula neutralises a cell a spreadsheet would evaluate.
func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
