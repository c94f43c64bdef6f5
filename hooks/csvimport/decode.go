package csvimport

import (
	"bufio"
	"unicode/utf8"
)

// lineDecoder yields the input as UTF-8, line by line: a line that is valid
// UTF-8 passes through, any other line is read as Windows-1252, the encoding
// of French Excel's "CSV (séparateur: point-virgule)" export.
type lineDecoder struct {
	br        *bufio.Reader
	pending   []byte
	err       error
	converted bool // at least one line was read as Windows-1252
}

// readLine returns the next line, newline included, decoded to UTF-8.
func (d *lineDecoder) readLine() ([]byte, error) {
	line, err := d.br.ReadBytes('\n')
	if len(line) > 0 && !utf8.Valid(line) {
		line = windows1252ToUTF8(line)
		d.converted = true
	}
	return line, err
}

// Read implements io.Reader.
func (d *lineDecoder) Read(p []byte) (int, error) {
	for len(d.pending) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		d.pending, d.err = d.readLine()
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// windows1252High is the Windows-1252 mapping of bytes 0x80–0x9F (U+FFFD
// for the five unassigned ones); bytes 0xA0–0xFF are Latin-1.
const windows1252High = "€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ"

// windows1252ToUTF8 decodes a Windows-1252 byte string.
func windows1252ToUTF8(b []byte) []byte {
	high := []rune(windows1252High)
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xa0:
			out = utf8.AppendRune(out, high[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
