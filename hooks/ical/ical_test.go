package ical

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unfold and unescape read a calendar back (RFC 5545 §3.1, §3.3.11), the
// way a calendar application does.
func parse(t *testing.T, ics string) map[string]string {
	t.Helper()
	require.True(t, strings.HasSuffix(ics, "\r\n"))
	for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		assert.LessOrEqual(t, len(l), 75, "line %q", l)
		assert.True(t, utf8.ValidString(l), "line %q cuts a character", l)
		assert.NotContains(t, l, "\n")
	}
	unfolded := strings.ReplaceAll(ics, "\r\n ", "")
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(unfolded, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(l, ":")
		require.True(t, ok, l)
		if name == "BEGIN" || name == "END" {
			out[name+":"+value] = "1"
			continue
		}
		out[name] = unescape(t, value)
	}
	return out
}

func unescape(t *testing.T, v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' {
			// an unescaped separator would split the value
			assert.NotContains(t, ";,", string(c), "unescaped %q in %q", c, v)
			b.WriteByte(c)
			continue
		}
		i++
		require.Less(t, i, len(v), "dangling backslash in %q", v)
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(v[i])
		default:
			t.Fatalf("bad escape \\%c in %q", v[i], v)
		}
	}
	return b.String()
}

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a,b;c\\d", `a\,b\;c\\d`},
		{"line1\nline2\r\nline3", `line1\nline2\nline3`},
		{"bell\x07 del\x7f tab\t", "bell del tab\t"},
		{"Zoé à Saint-Malo", "Zoé à Saint-Malo"},
	} {
		assert.Equal(t, c.want, Escape(c.in), c.in)
	}
}

func TestFoldKeepsCharactersWhole(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("a", 75), strings.Repeat("a", 76), strings.Repeat("é", 80), "DESCRIPTION:" + strings.Repeat("ü€", 60),
	} {
		folded := Fold(s)
		for _, l := range strings.Split(folded, "\r\n") {
			assert.LessOrEqual(t, len(l), 75)
			assert.True(t, utf8.ValidString(l))
		}
		assert.Equal(t, s, strings.ReplaceAll(folded, "\r\n ", ""))
	}
	assert.Equal(t, strings.Repeat("a", 75), Fold(strings.Repeat("a", 75)), "a line of 75 octets stays whole")
}

func TestCalendarParsesBack(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	start := time.Date(2026, 12, 10, 14, 30, 0, 0, paris)
	e := Event{
		UID: "lead-abc@relais", Start: start, End: start.Add(time.Hour), Stamp: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Sequence: 2,
		Summary:     "Rendez-vous; Ferme, du Canari",
		Location:    "12, rue des Lilas; bâtiment B\n35000 Rennes",
		Description: "Avec : Mme Canari\\Dupont\n" + strings.Repeat("Une longue description à plier. ", 8),
	}
	got := parse(t, string(Calendar("-//Relais//Agenda//FR", e)))
	assert.Equal(t, "1", got["BEGIN:VCALENDAR"])
	assert.Equal(t, "1", got["BEGIN:VEVENT"])
	assert.Equal(t, "2.0", got["VERSION"])
	assert.Equal(t, "lead-abc@relais", got["UID"])
	assert.Equal(t, "20261210T133000Z", got["DTSTART"], "UTC: 14:30 in Paris in winter")
	assert.Equal(t, "20261210T143000Z", got["DTEND"])
	assert.Equal(t, "20261201T090000Z", got["DTSTAMP"])
	assert.Equal(t, "2", got["SEQUENCE"])
	assert.Equal(t, e.Summary, got["SUMMARY"])
	assert.Equal(t, e.Location, got["LOCATION"])
	assert.Equal(t, e.Description, got["DESCRIPTION"])
	_, hasLoc := parse(t, string(Calendar("x", Event{UID: "u", Summary: "s"})))["LOCATION"]
	assert.False(t, hasLoc, "no empty LOCATION")
}
