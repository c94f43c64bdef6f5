package assign

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allStrategies = []string{StrategyRoundRobin, StrategyWeighted, StrategyLeastLoaded, StrategyBestConversion, StrategyExclusive}

// permutations returns every ordering of ps (fine for the small sets used here).
func permutations(ps []Partner) [][]Partner {
	if len(ps) <= 1 {
		return [][]Partner{slices.Clone(ps)}
	}
	var out [][]Partner
	for i := range ps {
		rest := slices.Concat(ps[:i:i], ps[i+1:])
		for _, perm := range permutations(rest) {
			out = append(out, append([]Partner{ps[i]}, perm...))
		}
	}
	return out
}

func TestPickStrategies(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	lead := Lead{ID: "L1"}
	tests := []struct {
		name       string
		strategy   string
		candidates []Partner
		want       string
	}{
		{
			name:     "round robin picks least recently offered",
			strategy: StrategyRoundRobin,
			candidates: []Partner{
				{ID: "a", LastOfferedAt: t0.Add(3 * time.Hour)},
				{ID: "b", LastOfferedAt: t0.Add(1 * time.Hour)},
				{ID: "c", LastOfferedAt: t0.Add(2 * time.Hour)},
			},
			want: "b",
		},
		{
			name:     "round robin prefers never offered",
			strategy: StrategyRoundRobin,
			candidates: []Partner{
				{ID: "a", LastOfferedAt: t0},
				{ID: "z"},
			},
			want: "z",
		},
		{
			name:     "round robin tie by ID",
			strategy: StrategyRoundRobin,
			candidates: []Partner{
				{ID: "c", LastOfferedAt: t0},
				{ID: "b", LastOfferedAt: t0},
				{ID: "a", LastOfferedAt: t0.Add(time.Hour)},
			},
			want: "b",
		},
		{
			name:     "round robin compares instants, not locations",
			strategy: StrategyRoundRobin,
			candidates: []Partner{
				{ID: "a", LastOfferedAt: t0.Add(time.Hour)},
				{ID: "b", LastOfferedAt: t0.In(time.FixedZone("CET", 3600))}, // same instant as t0
			},
			want: "b",
		},
		{
			name:     "least loaded by ratio, not count",
			strategy: StrategyLeastLoaded,
			candidates: []Partner{
				{ID: "a", OpenLeads: 2, Capacity: 4},   // 0.5
				{ID: "b", OpenLeads: 6, Capacity: 20},  // 0.3
				{ID: "c", OpenLeads: 1, Capacity: 2},   // 0.5
				{ID: "d", OpenLeads: 9, Capacity: 10},  // 0.9
				{ID: "e", OpenLeads: 40, Capacity: 50}, // 0.8
			},
			want: "b",
		},
		{
			name:     "least loaded unlimited counts as capacity 1000",
			strategy: StrategyLeastLoaded,
			candidates: []Partner{
				{ID: "a", OpenLeads: 1, Capacity: 100},  // 0.01
				{ID: "b", OpenLeads: 20, Capacity: 0},   // 0.02
				{ID: "c", OpenLeads: 5, Capacity: -3},   // 0.005
				{ID: "d", OpenLeads: 3, Capacity: 200},  // 0.015
				{ID: "e", OpenLeads: 9, Capacity: 1000}, // 0.009
			},
			want: "c",
		},
		{
			name:     "least loaded idle partner beats unlimited busy one",
			strategy: StrategyLeastLoaded,
			candidates: []Partner{
				{ID: "a", OpenLeads: 1},
				{ID: "b", OpenLeads: 0, Capacity: 5},
			},
			want: "b",
		},
		{
			name:     "least loaded tie by ID",
			strategy: StrategyLeastLoaded,
			candidates: []Partner{
				{ID: "y", OpenLeads: 1, Capacity: 2},
				{ID: "x", OpenLeads: 5, Capacity: 10},
			},
			want: "x",
		},
		{
			name:     "best conversion smoothing: 40/50 beats 1/1",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "lucky", Offered: 1, Won: 1},
				{ID: "proven", Offered: 50, Won: 40},
			},
			want: "proven",
		},
		{
			name:     "best conversion newcomer beats a proven poor converter",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "poor", Offered: 40, Won: 1},
				{ID: "new"},
			},
			want: "new",
		},
		{
			name:     "best conversion ignores impossible wins above offers",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "bogus", Offered: 0, Won: 50}, // counts as 0/0 → 0.2
				{ID: "good", Offered: 10, Won: 5},  // 7/20 = 0.35
			},
			want: "good",
		},
		{
			name:     "best conversion tie broken by load",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "a", Offered: 10, Won: 4, OpenLeads: 5, Capacity: 10},
				{ID: "b", Offered: 10, Won: 4, OpenLeads: 1, Capacity: 10},
			},
			want: "b",
		},
		{
			name:     "best conversion tie on rate and load broken by ID",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "b", Offered: 20, Won: 8, OpenLeads: 1, Capacity: 10},
				{ID: "a", Offered: 20, Won: 8, OpenLeads: 2, Capacity: 20},
				{ID: "c", Offered: 20, Won: 7},
			},
			want: "a",
		},
		{
			name:     "best conversion equal smoothed rate from different histories ties on load then ID",
			strategy: StrategyBestConversion,
			candidates: []Partner{
				{ID: "b", Offered: 0, Won: 0},  // 2/10 = 0.2
				{ID: "a", Offered: 10, Won: 2}, // 4/20 = 0.2
			},
			want: "a",
		},
		{
			name:       "exclusive single candidate",
			strategy:   StrategyExclusive,
			candidates: []Partner{{ID: "only"}},
			want:       "only",
		},
		{
			name:       "weighted single candidate",
			strategy:   StrategyWeighted,
			candidates: []Partner{{ID: "only", Weight: 0.001}},
			want:       "only",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, perm := range permutations(tt.candidates) {
				got, err := Pick(tt.strategy, perm, lead, "seed")
				require.NoError(t, err)
				assert.Equal(t, tt.want, got.ID, "order %v", ids(perm))
			}
		})
	}
}

func ids(ps []Partner) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func TestPickErrors(t *testing.T) {
	two := []Partner{{ID: "a"}, {ID: "b"}}
	for _, s := range allStrategies {
		t.Run("no candidates "+s, func(t *testing.T) {
			for _, empty := range [][]Partner{nil, {}} {
				_, err := Pick(s, empty, Lead{ID: "L"}, "")
				assert.ErrorIs(t, err, ErrNoCandidate)
				assert.NotErrorIs(t, err, ErrExclusiveConflict)
			}
		})
	}
	for _, s := range []string{"", "random", "Round_Robin", "round-robin"} {
		t.Run("unknown strategy "+s, func(t *testing.T) {
			_, err := Pick(s, two, Lead{ID: "L"}, "")
			assert.ErrorIs(t, err, ErrUnknownStrategy)
			assert.Contains(t, err.Error(), fmt.Sprintf("%q", s))
			_, err = Pick(s, nil, Lead{ID: "L"}, "")
			assert.ErrorIs(t, err, ErrUnknownStrategy, "unknown strategy is reported even without candidates")
		})
	}
	t.Run("exclusive with several candidates", func(t *testing.T) {
		got, err := Pick(StrategyExclusive, two, Lead{ID: "L"}, "")
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrExclusiveConflict)
		assert.ErrorIs(t, err, ErrNoCandidate, "a conflict means nobody gets the lead")
		assert.Equal(t, Partner{}, got)
	})
}

func TestPickDeterministic(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	candidates := []Partner{
		{ID: "p1", Weight: 1, OpenLeads: 3, Capacity: 10, Offered: 10, Won: 3, LastOfferedAt: t0},
		{ID: "p2", Weight: 2, OpenLeads: 1, Capacity: 5, Offered: 30, Won: 9, LastOfferedAt: t0.Add(time.Hour)},
		{ID: "p3", Weight: 3, OpenLeads: 0, Capacity: 0, Offered: 5, Won: 1},
		{ID: "p4", Weight: 4, OpenLeads: 7, Capacity: 8, Offered: 50, Won: 20, LastOfferedAt: t0.Add(-time.Hour)},
	}
	for _, s := range allStrategies[:4] {
		t.Run(s, func(t *testing.T) {
			for _, leadID := range []string{"L1", "L2", "L3", "lead-with-a-long-id-0001"} {
				lead := Lead{ID: leadID}
				first, err := Pick(s, candidates, lead, "R1")
				require.NoError(t, err)
				for i := range 100 {
					perm := slices.Clone(candidates)
					// Rotate the input so order independence is exercised too.
					slices.Reverse(perm[:i%len(perm)])
					got, err := Pick(s, perm, lead, "R1")
					require.NoError(t, err)
					require.Equal(t, first.ID, got.ID, "run %d", i)
				}
			}
		})
	}
}

// shares picks among candidates for n distinct lead IDs and returns each
// partner's share of the picks.
func shares(t *testing.T, candidates []Partner, n int, seed string) map[string]float64 {
	t.Helper()
	counts := map[string]int{}
	for i := range n {
		p, err := Pick(StrategyWeighted, candidates, Lead{ID: fmt.Sprintf("lead-%05d", i)}, seed)
		require.NoError(t, err)
		counts[p.ID]++
	}
	out := map[string]float64{}
	for id, c := range counts {
		out[id] = float64(c) / float64(n)
	}
	return out
}

func TestPickWeightedDistribution(t *testing.T) {
	tests := []struct {
		name       string
		candidates []Partner
		want       map[string]float64
	}{
		{
			name: "weights 1:2:3:4",
			candidates: []Partner{
				{ID: "a", Weight: 1}, {ID: "b", Weight: 2}, {ID: "c", Weight: 3}, {ID: "d", Weight: 4},
			},
			want: map[string]float64{"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4},
		},
		{
			name: "fractional weights",
			candidates: []Partner{
				{ID: "x", Weight: 0.5}, {ID: "y", Weight: 1.5},
			},
			want: map[string]float64{"x": 0.25, "y": 0.75},
		},
		{
			name: "non-positive and non-finite weights count as 1",
			candidates: []Partner{
				{ID: "zero", Weight: 0}, {ID: "neg", Weight: -4}, {ID: "nan", Weight: math.NaN()},
				{ID: "inf", Weight: math.Inf(1)}, {ID: "two", Weight: 2},
			},
			want: map[string]float64{"zero": 1.0 / 6, "neg": 1.0 / 6, "nan": 1.0 / 6, "inf": 1.0 / 6, "two": 2.0 / 6},
		},
		{
			name:       "dominant weight",
			candidates: []Partner{{ID: "big", Weight: 97}, {ID: "small", Weight: 3}},
			want:       map[string]float64{"big": 0.97, "small": 0.03},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, seed := range []string{"R1", "another-rule"} {
				got := shares(t, tt.candidates, 10000, seed)
				for id, want := range tt.want {
					assert.InDelta(t, want, got[id], 0.03, "seed %s partner %s", seed, id)
				}
				assert.Len(t, got, len(tt.want), "no pick outside the candidates")
			}
		})
	}
}

func TestPickWeightedSeedMatters(t *testing.T) {
	candidates := []Partner{{ID: "a", Weight: 1}, {ID: "b", Weight: 1}, {ID: "c", Weight: 1}}
	differ := 0
	for i := range 200 {
		l := Lead{ID: fmt.Sprintf("L%d", i)}
		p1, err := Pick(StrategyWeighted, candidates, l, "rule-1")
		require.NoError(t, err)
		p2, err := Pick(StrategyWeighted, candidates, l, "rule-2")
		require.NoError(t, err)
		if p1.ID != p2.ID {
			differ++
		}
	}
	// Independent uniform picks among 3 differ 2/3 of the time.
	assert.Greater(t, differ, 100)
}

func TestConversionRate(t *testing.T) {
	tests := []struct {
		offered, won int
		want         float64
	}{
		{0, 0, 0.2},
		{1, 1, 3.0 / 11},
		{50, 40, 42.0 / 60},
		{10, 0, 2.0 / 20},
		{-5, -1, 0.2},
		{3, 10, 5.0 / 13},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.won, tt.offered), func(t *testing.T) {
			assert.InDelta(t, tt.want, ConversionRate(Partner{Offered: tt.offered, Won: tt.won}), 1e-12)
		})
	}
	assert.Less(t, ConversionRate(Partner{Offered: 1, Won: 1}), ConversionRate(Partner{Offered: 50, Won: 40}))
}

func TestFNVMatchesStandardLibrary(t *testing.T) {
	for _, s := range []string{"", "a", "R1\x00lead-00001", "é→ü"} {
		h := fnv.New64a()
		_, err := h.Write([]byte(s))
		require.NoError(t, err)
		assert.Equal(t, h.Sum64(), fnv64a(fnvOffset64, s), "%q", s)
	}
}

func TestUnitIntervalRange(t *testing.T) {
	for i := range 1000 {
		u := unitInterval("s", fmt.Sprint(i))
		require.GreaterOrEqual(t, u, 0.0)
		require.Less(t, u, 1.0)
	}
	// Separator: ("ab","c") and ("a","bc") must not collide by construction.
	assert.NotEqual(t, unitInterval("ab", "c"), unitInterval("a", "bc"))
}

func TestPickDoesNotReorderInput(t *testing.T) {
	candidates := []Partner{{ID: "c", Weight: 1}, {ID: "a", Weight: 1}, {ID: "b", Weight: 1}}
	for _, s := range allStrategies[:4] {
		_, err := Pick(s, candidates, Lead{ID: "L"}, "seed")
		require.NoError(t, err)
		assert.Equal(t, []string{"c", "a", "b"}, ids(candidates), s)
	}
}
