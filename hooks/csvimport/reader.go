package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/relais/relais/hooks/money"
)

// Row is one data line of the file, with empty cells left out.
type Row struct {
	Line    int               // line number in the file (the header is line 1)
	Lead    map[string]string // leads field → value (trimmed, normalised)
	Contact map[string]string // lead_contacts field → value (trimmed)
}

// RowError is a problem with one line, reported in the error report.
type RowError struct {
	Line   int    // line number in the file
	Column string // header of the faulty column as in the file; "" for the whole line
	Reason string // what is wrong, in English
}

// Error implements error.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Reason)
}

// Reader reads and validates the rows of an import file.
type Reader struct {
	csv      *csv.Reader
	dec      *lineDecoder
	mapping  Mapping
	warnings []string
	delim    rune
	named    int // header cells up to the last named one: the fields a line needs
}

// NewReader reads the header line of r: it strips a UTF-8 byte-order mark,
// detects the delimiter (`,`, `;` or tab: the one found most often outside
// quotes, `;` then tab winning ties) and maps the columns with [MapHeader].
// Lines that are not valid UTF-8 are read as Windows-1252. It fails on an
// empty input, a UTF-16 file, or a header MapHeader refuses.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(2); err == nil && (string(bom) == "\xff\xfe" || string(bom) == "\xfe\xff") {
		return nil, errors.New("the file is UTF-16: save it as CSV UTF-8 (or CSV with semicolons)")
	}
	dec := &lineDecoder{br: br}
	first, err := dec.readLine()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read header: %w", err)
	}
	header := strings.TrimPrefix(string(first), "\ufeff")
	if strings.TrimSpace(header) == "" {
		return nil, errors.New("the file is empty or its first line is blank: the first line must name the columns")
	}
	delim := detectDelimiter(header)

	// The header goes back in front of the rest so that the csv package
	// counts lines exactly as in the file.
	cr := csv.NewReader(io.MultiReader(strings.NewReader(header), dec))
	cr.Comma = delim
	cr.FieldsPerRecord = -1

	cells, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	mapping, warnings, err := MapHeader(cells)
	if err != nil {
		return nil, err
	}
	named := len(cells)
	for named > 0 && strings.TrimSpace(cells[named-1]) == "" {
		named--
	}
	return &Reader{csv: cr, dec: dec, mapping: mapping, warnings: warnings, delim: delim, named: named}, nil
}

// detectDelimiter returns the delimiter found most often outside double
// quotes in line: ';', then tab, then ',' on a tie; ',' when there is none.
func detectDelimiter(line string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			counts[r]++
		}
	}
	best := ';'
	for _, d := range []rune{'\t', ','} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	if counts[best] == 0 {
		return ','
	}
	return best
}

// Mapping returns the column mapping read from the header.
func (r *Reader) Mapping() Mapping {
	return r.mapping
}

// Delimiter returns the detected delimiter.
func (r *Reader) Delimiter() rune {
	return r.delim
}

// Warnings returns the header warnings (unknown or unnamed columns) and,
// once a line needed it, a note that the file was read as Windows-1252. It
// is complete after [Reader.Next] has returned io.EOF.
func (r *Reader) Warnings() []string {
	out := append([]string(nil), r.warnings...)
	if r.dec.converted {
		out = append(out, "the file is not UTF-8: lines were read as Windows-1252")
	}
	return out
}

// Next returns the next non-blank row and its validation errors; a row with
// errors must not be imported. Blank lines and lines of empty cells are
// skipped. A line the csv package cannot parse (a stray quote) or whose
// field count differs from the header is a RowError, not a failure; cells
// under unnamed trailing header cells may be missing, and extra trailing
// cells may be present when empty (spreadsheet exports do both). The
// error is io.EOF at the end of the input, or a read error.
func (r *Reader) Next() (Row, []RowError, error) {
	for {
		rec, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			row := Row{Line: pe.StartLine, Lead: map[string]string{}, Contact: map[string]string{}}
			return row, []RowError{{Line: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()}}, nil
		}
		if err != nil {
			return Row{}, nil, err
		}
		if blank(rec) {
			continue
		}
		line, _ := r.csv.FieldPos(0)
		row, errs := r.validate(line, rec)
		return row, errs, nil
	}
}

// blank reports whether every cell is empty or spaces.
func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// validate maps rec to a Row and checks its values.
func (r *Reader) validate(line int, rec []string) (Row, []RowError) {
	row := Row{Line: line, Lead: map[string]string{}, Contact: map[string]string{}}
	if n := r.named; len(rec) < n {
		return row, []RowError{{Line: line, Reason: fmt.Sprintf("the line has %d fields, the header has %d", len(rec), n)}}
	}
	if n := r.mapping.Width; len(rec) > n && !blank(rec[n:]) {
		return row, []RowError{{Line: line, Reason: fmt.Sprintf("the line has %d fields, the header has %d", len(rec), n)}}
	}

	headers := map[string]string{}
	for _, c := range r.mapping.Columns {
		headers[c.Field] = c.Header
		v := strings.TrimSpace(rec[c.Index])
		if v == "" {
			continue
		}
		if c.Contact {
			row.Contact[c.Field] = v
		} else {
			row.Lead[c.Field] = v
		}
	}

	var errs []RowError
	fail := func(field, reason string) {
		col, ok := headers[field]
		if !ok {
			col = field // no such column: name the missing field
		}
		errs = append(errs, RowError{Line: line, Column: col, Reason: reason})
	}
	for _, check := range rowChecks {
		check(&row, fail)
	}
	return row, errs
}

// rowChecks check and normalise the values of a row, in the order their
// errors are listed.
var rowChecks = []func(row *Row, fail func(field, reason string)){
	checkCompany, checkScore, checkAmount, checkSIRET, checkEmail, checkPostalCode,
}

// checkCompany requires a company, except on a private customer's row
// (residential), which names the person in the contact columns instead.
func checkCompany(row *Row, fail func(field, reason string)) {
	if row.Lead["company"] == "" && row.Lead["segment"] != "residential" {
		fail("company", "company is required")
	}
}

// checkScore requires a whole number from 0 to 100.
func checkScore(row *Row, fail func(field, reason string)) {
	v, ok := row.Lead["score"]
	if !ok {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 100 {
		fail("score", fmt.Sprintf("score %s must be a whole number from 0 to 100", quoteValue(v)))
		return
	}
	row.Lead["score"] = strconv.Itoa(n)
}

// checkAmount requires an amount (money.Parse: not negative, not over
// money.Max).
func checkAmount(row *Row, fail func(field, reason string)) {
	v, ok := row.Lead["estimated_value"]
	if !ok {
		return
	}
	n, err := money.Parse(v)
	switch {
	case errors.Is(err, money.ErrNegative):
		fail("estimated_value", fmt.Sprintf("estimated value %s must not be negative", quoteValue(v)))
	case errors.Is(err, money.ErrTooLarge):
		fail("estimated_value", fmt.Sprintf("estimated value %s is over %d €", quoteValue(v), money.Max))
	case err != nil:
		fail("estimated_value", fmt.Sprintf("estimated value %s is not a number", quoteValue(v)))
	default:
		row.Lead["estimated_value"] = strconv.FormatFloat(n, 'f', -1, 64)
	}
}

// checkSIRET requires 14 or 9 digits, separators dropped.
func checkSIRET(row *Row, fail func(field, reason string)) {
	v, ok := row.Lead["siret"]
	if !ok {
		return
	}
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '.' || r == '-' {
			return -1
		}
		return r
	}, v)
	if !allDigits(digits) || (len(digits) != 9 && len(digits) != 14) {
		fail("siret", fmt.Sprintf("SIRET/SIREN %s must have 14 or 9 digits", quoteValue(v)))
		return
	}
	row.Lead["siret"] = digits
}

// checkEmail requires a valid address.
func checkEmail(row *Row, fail func(field, reason string)) {
	if v, ok := row.Contact["email"]; ok && !ValidEmail(v) {
		fail("email", fmt.Sprintf("e-mail %s is not a valid address", quoteValue(v)))
	}
}

// checkPostalCode requires a postal code of 5 digits for France.
func checkPostalCode(row *Row, fail func(field, reason string)) {
	if !IsFrance(row.Lead["country"]) {
		return
	}
	v := row.Lead["postal_code"]
	switch code, ok := NormalizePostalCode(v); {
	case v == "":
		fail("postal_code", "postal code is required for France")
	case !ok:
		fail("postal_code", fmt.Sprintf("postal code %s must have 5 digits for France", quoteValue(v)))
	default:
		row.Lead["postal_code"] = code
	}
}
