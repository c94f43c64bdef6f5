package reports

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The offers of several windows are counted in one statement only when no
// offer can fall in two of them and the windows share their filters.
func TestRawWindows(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	w := func(from, to string) Filter { return Filter{From: d(from), To: d(to)} }
	withPartner := w("2026-10-01", "2026-10-31")
	withPartner.Partner = "p1"
	for _, c := range []struct {
		name string
		fs   []Filter
		want bool
	}{
		{"the dashboard's two, adjacent", []Filter{w("2026-11-06", "2026-12-06"), w("2026-10-07", "2026-11-06")}, true},
		{"a gap between them", []Filter{w("2026-08-10", "2026-09-25"), w("2026-11-15", "2026-12-10")}, true},
		{"one window", []Filter{w("2026-11-06", "2026-12-06")}, false},
		{"none", nil, false},
		{"overlapping", []Filter{w("2026-09-25", "2026-11-07"), w("2026-10-01", "2026-11-01")}, false},
		{"overlapping by one day", []Filter{w("2026-10-01", "2026-10-16"), w("2026-10-15", "2026-10-31")}, false},
		{"an empty window", []Filter{w("2026-10-01", "2026-10-01"), w("2026-10-02", "2026-10-31")}, false},
		{"other partner filters", []Filter{w("2026-09-01", "2026-09-30"), withPartner}, false},
	} {
		assert.Equal(t, c.want, rawWindows(c.fs), c.name)
	}
}
