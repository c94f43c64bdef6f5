package assign

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// network is a small partner network in territory T-ARA with one partner per
// skip reason plus three eligible installers.
func network() []Partner {
	base := func(id string) Partner {
		p := okPartner()
		p.ID = id
		return p
	}
	with := func(id string, f func(*Partner)) Partner {
		p := base(id)
		f(&p)
		return p
	}
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	return []Partner{
		with("ok-1", func(p *Partner) { p.LastOfferedAt = t0.Add(2 * time.Hour); p.OpenLeads = 5; p.Offered, p.Won = 50, 40 }),
		with("ok-2", func(p *Partner) { p.LastOfferedAt = t0; p.OpenLeads = 1; p.Offered, p.Won = 1, 1 }),
		with("ok-3", func(p *Partner) { p.LastOfferedAt = t0.Add(time.Hour); p.OpenLeads = 8; p.Tier = "strategic" }),
		with("susp", func(p *Partner) { p.Status = StatusSuspended }),
		with("ended", func(p *Partner) { p.Status = StatusEnded }),
		with("expired", func(p *Partner) { p.ContractEnd = testNow.AddDate(0, 0, -1) }),
		with("full", func(p *Partner) { p.OpenLeads = p.Capacity }),
		with("nobody", func(p *Partner) { p.ActiveUsers = 0 }),
		with("declined", func(*Partner) {}),
		with("elsewhere", func(p *Partner) { p.Territories = []string{"T-IDF"} }),
		with("distrib", func(p *Partner) { p.Kind = "distributor" }),
		with("pilot", func(p *Partner) { p.Tier = "pilot" }),
		with("industry", func(p *Partner) { p.Segments = []string{"industrial"} }),
	}
}

var networkSkipped = map[string]string{
	"susp":      ReasonSuspended,
	"ended":     ReasonEnded,
	"expired":   ReasonContractEnded,
	"full":      ReasonAtCapacity,
	"nobody":    ReasonNoActiveUser,
	"declined":  ReasonAlreadyDeclined,
	"elsewhere": ReasonTerritory,
	"distrib":   ReasonKind,
	"pilot":     ReasonTier,
	"industry":  ReasonSegment,
}

func ruleWith(strategy string) Rule {
	r := okRule()
	r.Strategy = strategy
	return r
}

func TestSelectStrategies(t *testing.T) {
	excluded := map[string]bool{"declined": true}
	tests := []struct {
		strategy string
		want     string
	}{
		{StrategyRoundRobin, "ok-2"},     // oldest LastOfferedAt
		{StrategyLeastLoaded, "ok-2"},    // 1/10
		{StrategyBestConversion, "ok-1"}, // 42/60 beats 3/11 and 2/10
	}
	for _, tt := range tests {
		t.Run(tt.strategy, func(t *testing.T) {
			d, err := Select([]Rule{ruleWith(tt.strategy)}, okLead(), network(), excluded, testNow)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Partner.ID)
			assert.Equal(t, "R1", d.Rule.ID)
			assert.Equal(t, networkSkipped, d.Skipped)
		})
	}
	t.Run(StrategyWeighted, func(t *testing.T) {
		d, err := Select([]Rule{ruleWith(StrategyWeighted)}, okLead(), network(), excluded, testNow)
		require.NoError(t, err)
		assert.Contains(t, []string{"ok-1", "ok-2", "ok-3"}, d.Partner.ID)
		assert.Equal(t, networkSkipped, d.Skipped)
		want, err := Pick(StrategyWeighted, network()[:3], okLead(), "R1")
		require.NoError(t, err)
		assert.Equal(t, want.ID, d.Partner.ID, "weighted is seeded with the rule ID")
	})
}

func TestSelectNoRule(t *testing.T) {
	rules := []Rule{
		{ID: "off", Active: false, Strategy: StrategyRoundRobin},
		{ID: "hot", Active: true, MinScore: 90, Strategy: StrategyRoundRobin},
	}
	d, err := Select(rules, okLead(), network(), nil, testNow)
	assert.ErrorIs(t, err, ErrNoRule)
	assert.Equal(t, Decision{}, d)
}

func TestSelectNoCandidateKeepsReasons(t *testing.T) {
	r := ruleWith(StrategyRoundRobin)
	r.Tiers = []string{"pilot"}
	partners := network()
	d, err := Select([]Rule{r}, okLead(), partners, map[string]bool{"declined": true}, testNow)
	// Only the pilot-tier partner passes the tier filter.
	require.NoError(t, err)
	assert.Equal(t, "pilot", d.Partner.ID)

	d, err = Select([]Rule{r}, okLead(), partners, map[string]bool{"declined": true, "pilot": true}, testNow)
	require.ErrorIs(t, err, ErrNoCandidate)
	assert.Equal(t, "R1", d.Rule.ID, "rule is reported for the channel manager alert")
	assert.Equal(t, Partner{}, d.Partner)
	assert.Len(t, d.Skipped, len(partners))
	assert.Equal(t, ReasonTier, d.Skipped["ok-1"])
	assert.Equal(t, ReasonAlreadyDeclined, d.Skipped["pilot"])

	d, err = Select([]Rule{r}, okLead(), nil, nil, testNow)
	require.ErrorIs(t, err, ErrNoCandidate)
	assert.NotNil(t, d.Skipped)
	assert.Empty(t, d.Skipped)
}

func TestSelectRulePriority(t *testing.T) {
	rules := []Rule{
		{ID: "fallback", Priority: 100, Active: true, Strategy: StrategyLeastLoaded},
		{ID: "vip", Priority: 1, Active: true, MinScore: 80, Strategy: StrategyBestConversion},
		{ID: "pinned", Priority: 10, Active: true, Partners: []string{"ok-3"}, Strategy: StrategyRoundRobin},
	}
	tests := []struct {
		name               string
		score              int
		wantRule, wantPart string
	}{
		{"hot lead goes through vip rule", 85, "vip", "ok-1"},
		{"warm lead falls to pinned rule", 60, "pinned", "ok-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := okLead()
			l.Score = tt.score
			d, err := Select(rules, l, network(), nil, testNow)
			require.NoError(t, err)
			assert.Equal(t, tt.wantRule, d.Rule.ID)
			assert.Equal(t, tt.wantPart, d.Partner.ID)
		})
	}
	t.Run("matched rule with nobody left does not fall through", func(t *testing.T) {
		l := okLead()
		l.Score = 60
		_, err := Select(rules, l, network(), map[string]bool{"ok-3": true}, testNow)
		assert.ErrorIs(t, err, ErrNoCandidate)
	})
}

func TestSelectExclusive(t *testing.T) {
	eligible := func(id string) Partner {
		p := okPartner()
		p.ID = id
		return p
	}
	suspended := eligible("A")
	suspended.Status = StatusSuspended
	tests := []struct {
		name     string
		listed   []string
		partners []Partner
		excluded map[string]bool
		want     string
		wantErr  error
	}{
		{
			name:   "listed: first listed eligible wins regardless of ID order",
			listed: []string{"C", "A", "B"}, partners: []Partner{eligible("A"), eligible("B"), eligible("C")},
			want: "C",
		},
		{
			name:   "listed: first listed declined, next listed gets it",
			listed: []string{"C", "A"}, partners: []Partner{eligible("A"), eligible("C")},
			excluded: map[string]bool{"C": true}, want: "A",
		},
		{
			name:   "listed: first listed suspended, next listed gets it",
			listed: []string{"A", "B"}, partners: []Partner{suspended, eligible("B")},
			want: "B",
		},
		{
			name:   "listed: unlisted eligible partner never gets it",
			listed: []string{"A"}, partners: []Partner{suspended, eligible("Z")},
			wantErr: ErrNoCandidate,
		},
		{
			name:   "listed: listed partner missing from input",
			listed: []string{"ghost", "B"}, partners: []Partner{eligible("B")},
			want: "B",
		},
		{
			name:     "unlisted: sole territory partner",
			partners: []Partner{eligible("A"), suspended},
			want:     "A",
		},
		{
			name:     "unlisted: two eligible partners is a conflict",
			partners: []Partner{eligible("A"), eligible("B")},
			wantErr:  ErrExclusiveConflict,
		},
		{
			name:     "unlisted: exclusive partner declined, nobody else",
			partners: []Partner{eligible("A")}, excluded: map[string]bool{"A": true},
			wantErr: ErrNoCandidate,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ruleWith(StrategyExclusive)
			r.Partners = tt.listed
			for _, perm := range permutations(tt.partners) {
				d, err := Select([]Rule{r}, okLead(), perm, tt.excluded, testNow)
				if tt.wantErr != nil {
					require.ErrorIs(t, err, tt.wantErr)
					assert.ErrorIs(t, err, ErrNoCandidate)
					assert.Equal(t, Partner{}, d.Partner)
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, tt.want, d.Partner.ID, "order %v", ids(perm))
			}
		})
	}
}

func TestSelectUnknownStrategy(t *testing.T) {
	d, err := Select([]Rule{ruleWith("lottery")}, okLead(), network(), nil, testNow)
	assert.ErrorIs(t, err, ErrUnknownStrategy)
	assert.NotErrorIs(t, err, ErrNoCandidate)
	assert.Equal(t, "R1", d.Rule.ID)
}

func TestSelectDeterministic(t *testing.T) {
	rules := []Rule{ruleWith(StrategyWeighted)}
	for _, strategy := range []string{StrategyRoundRobin, StrategyWeighted, StrategyLeastLoaded, StrategyBestConversion} {
		t.Run(strategy, func(t *testing.T) {
			rules[0].Strategy = strategy
			for i := range 20 {
				l := okLead()
				l.ID = fmt.Sprintf("L%d", i)
				first, err := Select(rules, l, network(), map[string]bool{"declined": true}, testNow)
				require.NoError(t, err)
				for run := range 100 {
					partners := network()
					slices.Reverse(partners[:run%len(partners)])
					got, err := Select(rules, l, partners, map[string]bool{"declined": true}, testNow)
					require.NoError(t, err)
					require.Equal(t, first, got, "lead %s run %d", l.ID, run)
				}
			}
		})
	}
}

func TestSelectReofferAfterDecline(t *testing.T) {
	// Walk a lead through successive declines: each partner is offered once,
	// in the strategy's order, then the pool is empty.
	partners := network()[:3]
	excluded := map[string]bool{}
	var order []string
	for {
		d, err := Select([]Rule{ruleWith(StrategyRoundRobin)}, okLead(), partners, excluded, testNow)
		if err != nil {
			require.ErrorIs(t, err, ErrNoCandidate)
			break
		}
		order = append(order, d.Partner.ID)
		excluded[d.Partner.ID] = true
		require.LessOrEqual(t, len(order), len(partners), "must terminate")
	}
	assert.Equal(t, []string{"ok-2", "ok-3", "ok-1"}, order)
}
