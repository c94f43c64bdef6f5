package assign

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatchRule(t *testing.T) {
	lead := Lead{ID: "L1", Territory: "T-ARA", Segment: "residential", Score: 60}
	tests := []struct {
		name   string
		rules  []Rule
		lead   Lead
		wantID string // "" = no match
	}{
		{name: "no rules", rules: nil, lead: lead},
		{
			name: "lowest priority number wins",
			rules: []Rule{
				{ID: "b", Priority: 20, Active: true},
				{ID: "a", Priority: 10, Active: true},
				{ID: "c", Priority: 30, Active: true},
			},
			lead: lead, wantID: "a",
		},
		{
			name: "priority tie broken by ID",
			rules: []Rule{
				{ID: "r2", Priority: 5, Active: true},
				{ID: "r1", Priority: 5, Active: true},
			},
			lead: lead, wantID: "r1",
		},
		{
			name: "negative priority comes first",
			rules: []Rule{
				{ID: "a", Priority: 0, Active: true},
				{ID: "z", Priority: -1, Active: true},
			},
			lead: lead, wantID: "z",
		},
		{
			name: "inactive rule skipped",
			rules: []Rule{
				{ID: "a", Priority: 1, Active: false},
				{ID: "b", Priority: 2, Active: true},
			},
			lead: lead, wantID: "b",
		},
		{
			name:  "only inactive rules",
			rules: []Rule{{ID: "a", Priority: 1}},
			lead:  lead,
		},
		{
			name: "territory must match",
			rules: []Rule{
				{ID: "a", Priority: 1, Active: true, Territory: "T-BRE"},
				{ID: "b", Priority: 2, Active: true, Territory: "T-ARA"},
			},
			lead: lead, wantID: "b",
		},
		{
			name:  "rule territory does not match a lead without territory",
			rules: []Rule{{ID: "a", Priority: 1, Active: true, Territory: "T-ARA"}},
			lead:  Lead{ID: "L2", Score: 60},
		},
		{
			name:  "empty rule territory matches a lead without territory",
			rules: []Rule{{ID: "a", Priority: 1, Active: true}},
			lead:  Lead{ID: "L2", Score: 60}, wantID: "a",
		},
		{
			name: "segment must be listed",
			rules: []Rule{
				{ID: "a", Priority: 1, Active: true, Segments: []string{"industrial", "agricultural"}},
				{ID: "b", Priority: 2, Active: true, Segments: []string{"residential"}},
			},
			lead: lead, wantID: "b",
		},
		{
			name:  "segment filter rejects a lead without segment",
			rules: []Rule{{ID: "a", Priority: 1, Active: true, Segments: []string{"residential"}}},
			lead:  Lead{ID: "L3", Territory: "T-ARA", Score: 60},
		},
		{
			name:  "min score equal to score matches",
			rules: []Rule{{ID: "a", Priority: 1, Active: true, MinScore: 60}},
			lead:  lead, wantID: "a",
		},
		{
			name: "min score above score skips",
			rules: []Rule{
				{ID: "a", Priority: 1, Active: true, MinScore: 61},
				{ID: "b", Priority: 2, Active: true, MinScore: 0},
			},
			lead: lead, wantID: "b",
		},
		{
			name: "all filters together",
			rules: []Rule{
				{ID: "hot", Priority: 1, Active: true, Territory: "T-ARA", Segments: []string{"residential"}, MinScore: 80},
				{ID: "warm", Priority: 2, Active: true, Territory: "T-ARA", Segments: []string{"residential"}, MinScore: 50},
				{ID: "any", Priority: 3, Active: true},
			},
			lead: lead, wantID: "warm",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MatchRule(tt.rules, tt.lead)
			if tt.wantID == "" {
				assert.False(t, ok)
				assert.Equal(t, Rule{}, got)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.wantID, got.ID)
		})
	}
}

func TestMatchRuleDoesNotReorderInput(t *testing.T) {
	rules := []Rule{{ID: "b", Priority: 2, Active: true}, {ID: "a", Priority: 1, Active: true}}
	got, ok := MatchRule(rules, Lead{ID: "L"})
	require.True(t, ok)
	assert.Equal(t, "a", got.ID)
	assert.Equal(t, "b", rules[0].ID, "caller's slice must not be sorted in place")
}

func TestAcceptBy(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		ruleHours   int
		defaultHrs  int
		wantElapsed time.Duration
	}{
		{"rule hours", 24, 48, 24 * time.Hour},
		{"default when rule unset", 0, 48, 48 * time.Hour},
		{"default when rule negative", -5, 72, 72 * time.Hour},
		{"both unset expires at once", 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AcceptBy(Rule{AcceptHours: tt.ruleHours}, at, tt.defaultHrs)
			assert.Equal(t, tt.wantElapsed, got.Sub(at))
		})
	}
}

func TestOffersExhausted(t *testing.T) {
	tests := []struct {
		name       string
		ruleMax    int
		defaultMax int
		made       int
		want       bool
	}{
		{"below rule limit", 3, 5, 2, false},
		{"at rule limit", 3, 5, 3, true},
		{"rule overrides default", 3, 1, 2, false},
		{"default when rule unset", 0, 2, 2, true},
		{"default not reached", 0, 2, 1, false},
		{"no limit at all", 0, 0, 1000, false},
		{"first offer", 1, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, OffersExhausted(Rule{MaxOffers: tt.ruleMax}, tt.made, tt.defaultMax))
		})
	}
}
