package distribution

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
)

// codeOf is the code of a domain error ("" for nil).
func codeOf(t *testing.T, err error) string {
	t.Helper()
	var de *domain.Error
	if err == nil {
		return ""
	}
	if !errors.As(err, &de) {
		t.Fatalf("not a domain error: %v", err)
	}
	return de.Code
}

func TestDistributes(t *testing.T) {
	for _, l := range policy.Levels() {
		want := "not_allowed"
		if l == policy.Territory || l == policy.All {
			want = ""
		}
		assert.Equal(t, want, codeOf(t, distributes(l)), l)
	}
}

func TestAssignStep(t *testing.T) {
	for _, tc := range []struct {
		status, partner, target string
		withdraw                bool
		code                    string
	}{
		{lifecycle.StatusOffered, "P1", "P2", true, ""},
		{lifecycle.StatusOffered, "P1", "P1", false, "already_offered"},
		{lifecycle.StatusNew, "", "P1", false, ""},
		{lifecycle.StatusQualifying, "", "P1", false, ""},
		{lifecycle.StatusReady, "", "P1", false, ""},
		{lifecycle.StatusRecycled, "", "P1", false, ""},
		{lifecycle.StatusAccepted, "P1", "P2", false, "not_assignable"},
		{lifecycle.StatusWon, "P1", "P2", false, "not_assignable"},
		{lifecycle.StatusLost, "", "P2", false, "not_assignable"},
	} {
		withdraw, err := assignStep(tc.status, tc.partner, tc.target)
		assert.Equal(t, tc.withdraw, withdraw, "%+v", tc)
		assert.Equal(t, tc.code, codeOf(t, err), "%+v", tc)
	}
}

func TestPartnerRefusal(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		status string
		end    time.Time
		code   string
	}{
		{"active", time.Time{}, ""},
		{"active", now.Add(time.Hour), ""},
		{"active", now, ""},
		{"active", now.Add(-time.Hour), "contract_ended"},
		{"suspended", time.Time{}, "partner_inactive"},
		{"ended", now.Add(-time.Hour), "partner_inactive"},
	} {
		assert.Equal(t, tc.code, codeOf(t, partnerRefusal(tc.status, tc.end, now)), "%+v", tc)
	}
}

func TestOffersExhausted(t *testing.T) {
	rule := &assign.Rule{MaxOffers: 2}
	unset := &assign.Rule{}
	for _, tc := range []struct {
		rule        *assign.Rule
		offers, max int
		want        bool
	}{
		{rule, 1, 3, false},
		{rule, 2, 3, true}, // the rule's own limit
		{unset, 2, 3, false},
		{unset, 3, 3, true}, // the settings' limit
		{nil, 2, 3, false},
		{nil, 3, 3, true}, // no rule: the settings' limit
		{nil, 0, 0, true}, // no rule and no limit: nothing is offered
		{unset, 5, 0, false},
	} {
		assert.Equal(t, tc.want, offersExhausted(tc.rule, tc.offers, tc.max), "%+v", tc)
	}
}
