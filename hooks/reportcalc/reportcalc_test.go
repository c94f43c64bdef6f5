package reportcalc

import (
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
