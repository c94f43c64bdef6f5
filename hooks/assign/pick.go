package assign

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// UnlimitedCapacity is the capacity least_loaded assumes for a partner with
// no limit (Capacity <= 0): its load is OpenLeads/1000, so it is preferred
// over a capped partner with the same number of open leads but still loses to
// an idle one.
const UnlimitedCapacity = 1000

// Bayesian prior of ConversionRate: every partner starts as if it had won
// PriorWins of PriorOffers offers (a 20% rate worth 10 offers of evidence).
const (
	// PriorWins is the number of pseudo-wins added to every partner.
	PriorWins = 2
	// PriorOffers is the number of pseudo-offers added to every partner.
	PriorOffers = 10
)

// ConversionRate is the smoothed conversion rate used by best_conversion:
//
//	(Won + PriorWins) / (Offered + PriorOffers)
//
// the posterior mean of a Beta(2, 8) prior. Offered counts every offer the
// partner received; negative values count as 0 and Won is capped at Offered.
// A partner with 1 win out of 1 offer scores 3/11 ≈ 0.27, well below 40 out
// of 50 at 42/60 = 0.70, and a newcomer scores the prior mean 0.20.
func ConversionRate(p Partner) float64 {
	won, offered := conversion(p)
	return float64(won) / float64(offered)
}

// conversion returns the smoothed numerator and denominator of ConversionRate.
func conversion(p Partner) (won, offered int64) {
	offered = max(int64(p.Offered), 0)
	won = min(max(int64(p.Won), 0), offered)
	return won + PriorWins, offered + PriorOffers
}

// Pick chooses one partner among candidates (all already eligible) with the
// named strategy. The result does not depend on the order of candidates,
// except that exclusive needs exactly one. seed only affects weighted.
//
//   - round_robin: least recent LastOfferedAt (never offered first), ties by ID.
//   - weighted: hashes seed and l.ID (FNV-64a, then a 64-bit mixer) to a point
//     in [0, sum of weights) over candidates sorted by ID; the same inputs give
//     the same pick and over many leads each partner's share follows its weight.
//   - least_loaded: lowest OpenLeads/Capacity (see UnlimitedCapacity), ties by ID.
//   - best_conversion: highest ConversionRate, ties by least loaded then ID.
//   - exclusive: the single candidate; ErrExclusiveConflict if there are several.
//
// It returns ErrUnknownStrategy for any other strategy and ErrNoCandidate when
// candidates is empty.
func Pick(strategy string, candidates []Partner, l Lead, seed string) (Partner, error) {
	var pick func([]Partner) Partner
	switch strategy {
	case StrategyRoundRobin:
		pick = func(c []Partner) Partner { return slices.MinFunc(c, byRoundRobin) }
	case StrategyWeighted:
		pick = func(c []Partner) Partner { return pickWeighted(c, l, seed) }
	case StrategyLeastLoaded:
		pick = func(c []Partner) Partner { return slices.MinFunc(c, byLoad) }
	case StrategyBestConversion:
		pick = func(c []Partner) Partner { return slices.MinFunc(c, byConversion) }
	case StrategyExclusive:
		if len(candidates) > 1 {
			return Partner{}, ErrExclusiveConflict
		}
		pick = func(c []Partner) Partner { return c[0] }
	default:
		return Partner{}, fmt.Errorf("%w %q", ErrUnknownStrategy, strategy)
	}
	if len(candidates) == 0 {
		return Partner{}, ErrNoCandidate
	}
	return pick(candidates), nil
}

// byRoundRobin orders partners by LastOfferedAt, oldest first, then ID.
func byRoundRobin(a, b Partner) int {
	return cmp.Or(a.LastOfferedAt.Compare(b.LastOfferedAt), cmp.Compare(a.ID, b.ID))
}

// byLoad orders partners by OpenLeads/Capacity, lowest first, then ID.
func byLoad(a, b Partner) int {
	return cmp.Or(compareLoad(a, b), cmp.Compare(a.ID, b.ID))
}

// byConversion orders partners by ConversionRate, highest first, then by load
// and ID.
func byConversion(a, b Partner) int {
	aw, ao := conversion(a)
	bw, bo := conversion(b)
	// a before b when aw/ao > bw/bo; exact integer comparison.
	return cmp.Or(cmp.Compare(bw*ao, aw*bo), compareLoad(a, b), cmp.Compare(a.ID, b.ID))
}

// compareLoad compares the load ratios of a and b exactly.
func compareLoad(a, b Partner) int {
	ao, ac := load(a)
	bo, bc := load(b)
	return cmp.Compare(ao*bc, bo*ac)
}

// load returns the numerator and denominator of a partner's load ratio.
func load(p Partner) (open, capacity int64) {
	capacity = int64(p.Capacity)
	if capacity <= 0 {
		capacity = UnlimitedCapacity
	}
	return max(int64(p.OpenLeads), 0), capacity
}

// weight returns p.Weight, or 1 when it is not a positive finite number.
func weight(p Partner) float64 {
	if !(p.Weight > 0) || math.IsInf(p.Weight, 0) {
		return 1
	}
	return p.Weight
}

// pickWeighted makes the deterministic weighted choice described on Pick.
// candidates must not be empty.
func pickWeighted(candidates []Partner, l Lead, seed string) Partner {
	sorted := slices.Clone(candidates)
	slices.SortFunc(sorted, func(a, b Partner) int { return cmp.Compare(a.ID, b.ID) })
	var total float64
	for _, p := range sorted {
		total += weight(p)
	}
	target := unitInterval(seed, l.ID) * total
	var cumulative float64
	for _, p := range sorted {
		cumulative += weight(p)
		if target < cumulative {
			return p
		}
	}
	return sorted[len(sorted)-1] // only reached through float rounding
}

// unitInterval hashes seed and id to a uniform float64 in [0, 1).
func unitInterval(seed, id string) float64 {
	h := fnv64a(fnvOffset64, seed)
	h = fnv64a(h, "\x00")
	h = fnv64a(h, id)
	return float64(mix64(h)>>11) / (1 << 53)
}

// FNV-64a parameters (hash/fnv, inlined to hash strings without a writer).
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnv64a continues an FNV-64a hash h over the bytes of s.
func fnv64a(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	return h
}

// mix64 is the splitmix64 finaliser: it spreads FNV's weak high bits so that
// IDs differing only in their last characters land far apart.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
