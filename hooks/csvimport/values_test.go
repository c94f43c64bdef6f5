package csvimport

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidEmail(t *testing.T) {
	good := []string{"jean@acme.fr", "jean.dupont+prm@sub.acme.co.uk", "J@ACME.FR"}
	bad := []string{"", "jean", "jean@", "@acme.fr", "jean@acme", "jean@@acme.fr", "jean @acme.fr",
		"Jean <jean@acme.fr>", "jean@acme..fr", "jean@.acme.fr", "jean@acme.fr.", "jean@-acme.fr", "a@b.fr,c@d.fr", "a@b.fr;c@d.fr"}
	for _, s := range good {
		assert.True(t, ValidEmail(s), s)
	}
	for _, s := range bad {
		assert.False(t, ValidEmail(s), s)
	}
}

func TestIsFrance(t *testing.T) {
	for _, s := range []string{"", "FR", "fr", "FRA", "France", " FRANCE "} {
		assert.True(t, IsFrance(s), s)
	}
	for _, s := range []string{"BE", "Belgique", "Monaco", "DE", "franc"} {
		assert.False(t, IsFrance(s), s)
	}
}

func TestNormalizePostalCode(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"69003", "69003", true},
		{"75 008", "75008", true},
		{"1000", "01000", true},
		{"97411", "97411", true},
		{"123", "123", false},
		{"750080", "750080", false},
		{"2A000", "2A000", false},
		{"", "", false},
	}
	for _, tc := range cases {
		got, ok := NormalizePostalCode(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
	}
}

func TestWriteReport(t *testing.T) {
	var buf bytes.Buffer
	err := WriteReport(&buf, []RowError{
		{Line: 3, Column: "Score", Reason: `score "150" must be a whole number from 0 to 100`},
		{Line: 4, Reason: "the line has 3 fields, the header has 7"},
		{Line: 5, Column: "=HYPERLINK(\"x\")", Reason: "-bad"},
	})
	require.NoError(t, err)
	assert.Equal(t, "line,column,reason\n"+
		"3,Score,\"score \"\"150\"\" must be a whole number from 0 to 100\"\n"+
		"4,,\"the line has 3 fields, the header has 7\"\n"+
		"5,\"'=HYPERLINK(\"\"x\"\")\",'-bad\n", buf.String())

	buf.Reset()
	require.NoError(t, WriteReport(&buf, nil))
	assert.Equal(t, "line,column,reason\n", buf.String())

	boom := errors.New("full")
	assert.ErrorIs(t, WriteReport(failWriter{boom}, []RowError{{Line: 1}}), boom)
}

func TestRowErrorError(t *testing.T) {
	assert.Equal(t, `line 3, column "Score": bad`, RowError{Line: 3, Column: "Score", Reason: "bad"}.Error())
	assert.Equal(t, "line 4: short", RowError{Line: 4, Reason: "short"}.Error())
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }
