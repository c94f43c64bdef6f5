package demo

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo documents are valid PDFs: every cross-reference offset points
// at its object, startxref at the table, the text is there.
func TestOnePagePDFIsValid(t *testing.T) {
	for _, d := range teamDocuments {
		pdf := onePagePDF(d.lines)
		require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")), d.title)
		require.True(t, bytes.HasSuffix(pdf, []byte("%%EOF\n")), d.title)
		m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
		require.NotNil(t, m, d.title)
		xref, err := strconv.Atoi(string(m[1]))
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(pdf[xref:], []byte("xref\n0 6\n")), d.title)
		offs := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
		require.Len(t, offs, 5, d.title)
		for i, o := range offs {
			n, err := strconv.Atoi(string(o[1]))
			require.NoError(t, err)
			assert.True(t, bytes.HasPrefix(pdf[n:], []byte(strconv.Itoa(i+1)+" 0 obj\n")), "%s: object %d at %d", d.title, i+1, n)
		}
		l := regexp.MustCompile(`/Length (\d+) >>\nstream\n`).FindSubmatchIndex(pdf)
		require.NotNil(t, l)
		length, err := strconv.Atoi(string(pdf[l[2]:l[3]]))
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(pdf[l[1]+length:], []byte("endstream")), "%s: the stream length is exact", d.title)
		assert.Contains(t, string(pdf), "("+d.lines[0]+") Tj")
	}
}
