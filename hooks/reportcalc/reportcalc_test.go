package reportcalc

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPercentile(t *testing.T) {
	cases := []struct {
		in   []float64
		p    float64
		want float64
	}{
		{nil, 50, 0},
		{[]float64{7}, 50, 7},
		{[]float64{1, 2, 3, 4}, 50, 2.5},
		{[]float64{4, 1, 3, 2}, 50, 2.5},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9.1},
		{[]float64{1, 2, 3}, 0, 1},
		{[]float64{1, 2, 3}, 100, 3},
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, Percentile(c.in, c.p), 1e-9, "%v p%v", c.in, c.p)
	}
	in := []float64{3, 1, 2}
	Percentile(in, 50)
	assert.Equal(t, []float64{3, 1, 2}, in, "input untouched")
}

func TestRate(t *testing.T) {
	assert.Equal(t, 0.0, Rate(3, 0))
	assert.Equal(t, 33.3, Rate(1, 3))
	assert.Equal(t, 66.7, Rate(2, 3))
	assert.Equal(t, 100.0, Rate(5, 5))
}

// Conversion is won ÷ accepted: open leads count, lost ones too.
func TestConversion(t *testing.T) {
	for _, c := range []struct {
		won, accepted int
		want          float64
	}{
		{0, 0, 0}, {3, 0, 0}, {6, 10, 60}, {6, 15, 40}, {1, 3, 33.3}, {2, 3, 66.7}, {7, 7, 100},
	} {
		assert.Equal(t, c.want, Conversion(c.won, c.accepted), "%d/%d", c.won, c.accepted)
	}
}

func TestFunnel(t *testing.T) {
	leads := []FunnelLead{
		{Status: "new"},
		{Status: "qualifying"},
		{Status: "ready"},
		{Status: "offered", Offered: true},
		{Status: "accepted", Offered: true, Accepted: true},
		{Status: "contacted", Offered: true, Accepted: true},
		{Status: "meeting", Offered: true, Accepted: true},
		{Status: "won", Offered: true, Accepted: true},
		{Status: "lost", Offered: true, Accepted: true},
		{Status: "lost", Offered: true},
		{Status: "recycled", Offered: true},
		{Status: "lost"},
		{Status: "ready", Offered: true},
	}
	//                 new qual off acc meet won
	assert.Equal(t, []int{13, 11, 9, 5, 2, 1}, Funnel(leads))
	assert.Equal(t, []int{0, 0, 0, 0, 0, 0}, Funnel(nil))
	assert.Equal(t, []int{3, 3, 3, 3, 3, 3}, Funnel([]FunnelLead{{Status: "won", Offered: true, Accepted: true, N: 3}}))
}

func TestMonths(t *testing.T) {
	from := time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, []string{"2025-11", "2025-12", "2026-01", "2026-02"}, Months(from, to))
	assert.Equal(t, []string{"2026-02"}, Months(to, to))
	assert.Empty(t, Months(to, from))
}

func TestPeriods(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		from, to string
		want     []string
	}{
		{"2026-11-01", "2026-12-01", []string{"2026-11"}},
		{"2026-11-30", "2026-12-02", []string{"2026-11-30", "2026-12-01"}},
		{"2026-01-30", "2026-04-02", []string{"2026-01-30", "2026-01-31", "2026-02", "2026-03", "2026-04-01"}},
		{"2025-11-22", "2026-11-23", nil}, // checked by length below
		{"2024-02-28", "2024-03-01", []string{"2024-02-28", "2024-02-29"}},
		{"2026-12-01", "2027-01-01", []string{"2026-12"}},
	}
	for _, c := range cases {
		got, ok := Periods(d(c.from), d(c.to))
		assert.True(t, ok, c.from)
		if c.want != nil {
			assert.Equal(t, c.want, got, c.from+"→"+c.to)
		}
		// the periods tile the range exactly: days counted once
		days := 0
		for _, p := range got {
			if len(p) == 7 {
				m, err := time.Parse("2006-01", p)
				assert.NoError(t, err)
				days += int(m.AddDate(0, 1, 0).Sub(m).Hours() / 24)
			} else {
				days++
			}
		}
		assert.Equal(t, int(d(c.to).Sub(d(c.from)).Hours()/24), days, c.from+"→"+c.to)
	}
	year, _ := Periods(d("2025-11-22"), d("2026-11-23"))
	assert.Len(t, year, 9+11+22, "9 days of Nov 2025, Dec–Oct, 22 days of Nov 2026")

	for _, bad := range [][2]time.Time{
		{d("2026-11-02"), d("2026-11-01")},
		{d("2026-11-01"), d("2026-11-01")},
		{d("2026-11-01").Add(time.Hour), d("2026-11-03")},
		{d("2026-11-01"), d("2026-11-03").Add(time.Second)},
		{d("2000-01-01"), d("2030-01-01")},
	} {
		_, ok := Periods(bad[0], bad[1])
		assert.False(t, ok, "%v", bad)
	}
	assert.True(t, IsDay(d("2026-11-22")))
	assert.False(t, IsDay(d("2026-11-22").Add(time.Millisecond)))
	assert.Equal(t, d("2026-11-22"), DayStart(time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)))
	paris := time.FixedZone("CET", 3600)
	assert.Equal(t, d("2026-11-21"), DayStart(time.Date(2026, 11, 22, 0, 30, 0, 0, paris)), "UTC day")
}

func TestParseDelays(t *testing.T) {
	assert.Equal(t, []float64{1, 0.5, 2}, ParseDelays(nil, []byte("3600,1800,7200")))
	assert.Equal(t, []float64{9, 1}, ParseDelays([]float64{9}, []byte("3600")))
	assert.Equal(t, []float64{1, 2}, ParseDelays(nil, []byte("3600,x,,7200,36x0,3-6")), "malformed items skipped")
	assert.Equal(t, []float64{-1, 0}, ParseDelays(nil, []byte("-3600,0")), "a decision dated before its offer")
	assert.Empty(t, ParseDelays(nil, nil))
}

func TestPercentiles(t *testing.T) {
	v := []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}
	want := []float64{Percentile(v, 50), Percentile(v, 90), Percentile(v, 0), Percentile(v, 100)}
	assert.Equal(t, want, Percentiles(v, 50, 90, 0, 100))
	assert.Equal(t, []float64{5.5, 9.1, 1, 10}, want)
	assert.Equal(t, []float64{0, 0}, Percentiles(nil, 50, 90))
	// selection gives what sorting gives, on random data with duplicates
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 400; n += 7 {
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = float64(rng.IntN(50)) / 4
		}
		ps := []float64{50, 90, 0, 100, 25, 99.9}
		want := make([]float64, len(ps))
		for i, p := range ps {
			want[i] = Percentile(vals, p)
		}
		got := Percentiles(append([]float64(nil), vals...), ps...)
		for i := range ps {
			assert.InDelta(t, want[i], got[i], 1e-9, "n=%d p%v", n, ps[i])
		}
	}
}

func TestPeriodsWithEmptyEdges(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	var asked [][2]string
	// data up to 2026-11-22 only; every day before it holds something
	empty := func(first, last string) bool {
		asked = append(asked, [2]string{first, last})
		return first > "2026-11-22"
	}
	got, ok := PeriodsWith(d("2025-11-22"), d("2026-11-23"), empty)
	assert.True(t, ok)
	want := []string{"2025-11-22", "2025-11-23", "2025-11-24", "2025-11-25", "2025-11-26", "2025-11-27", "2025-11-28", "2025-11-29", "2025-11-30",
		"2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"}
	assert.Equal(t, want, got, "the current month whole: its days after today hold nothing")
	assert.Contains(t, asked, [2]string{"2025-11-01", "2025-11-21"})
	assert.Contains(t, asked, [2]string{"2026-11-23", "2026-11-30"})
	// a range inside one month needs both sides empty
	got, _ = PeriodsWith(d("2026-11-20"), d("2026-11-23"), empty)
	assert.Equal(t, []string{"2026-11-20", "2026-11-21", "2026-11-22"}, got)
	got, _ = PeriodsWith(d("2026-12-03"), d("2026-12-05"), func(string, string) bool { return true })
	assert.Equal(t, []string{"2026-12"}, got)
	got, _ = PeriodsWith(d("2026-12-03"), d("2026-12-05"), nil)
	assert.Equal(t, []string{"2026-12-03", "2026-12-04"}, got)
}

// A month cut by the range is asked about once per side, however many of
// its days the range holds (the dashboard's 30-day windows asked once per
// day: 60 probes of the rollups per page).
func TestPeriodsWithAsksOncePerMonth(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	for _, c := range []struct {
		from, to string
		maxAsks  int
	}{
		{"2026-11-06", "2026-12-06", 2}, // before of November, after of December
		{"2026-10-07", "2026-11-06", 2},
		{"2026-11-20", "2026-11-23", 2}, // both sides of one month
		{"2025-09-05", "2026-12-06", 2},
	} {
		asks := 0
		// every day holds data: no cut month is taken whole
		got, ok := PeriodsWith(d(c.from), d(c.to), func(string, string) bool { asks++; return false })
		assert.True(t, ok)
		assert.LessOrEqual(t, asks, c.maxAsks, "%s–%s", c.from, c.to)
		// the same keys as without the probe
		want, _ := Periods(d(c.from), d(c.to))
		assert.Equal(t, want, got, "%s–%s", c.from, c.to)
	}
}
