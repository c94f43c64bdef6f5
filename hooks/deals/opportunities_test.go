package deals

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// codeOf is the code of a domain error, "not_visible" for ErrNotVisible,
// "" for nil.
func codeOf(t *testing.T, err error) string {
	t.Helper()
	var de *domain.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, domain.ErrNotVisible):
		return "not_visible"
	case errors.As(err, &de):
		return de.Code
	}
	t.Fatalf("not a domain error: %v", err)
	return ""
}

func TestOpeningRefusal(t *testing.T) {
	for _, tc := range []struct {
		kind      roles.Kind
		canCreate bool
		want      string
	}{
		{roles.Internal, true, ""},
		{roles.Partner, true, ""},
		{roles.Internal, false, "not_allowed"},
		{roles.Partner, false, "not_allowed"},
		{roles.Integration, true, "not_allowed"},
		{"", true, "not_allowed"},
	} {
		assert.Equal(t, tc.want, codeOf(t, openingRefusal(tc.kind, tc.canCreate)), "%s create=%v", tc.kind, tc.canCreate)
	}
}

func TestLeadRefusal(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		kind                 roles.Kind
		status, leadP, userP string
		want                 string
	}{
		{"a partner's accepted lead", roles.Partner, lifecycle.StatusAccepted, "P1", "P1", ""},
		{"a partner's won lead", roles.Partner, lifecycle.StatusWon, "P1", "P1", ""},
		{"another partner's lead", roles.Partner, lifecycle.StatusAccepted, "P2", "P1", "not_visible"},
		{"an offer not yet accepted", roles.Partner, lifecycle.StatusOffered, "P1", "P1", "lead_not_accepted"},
		{"a lost lead", roles.Partner, lifecycle.StatusLost, "P1", "P1", "lead_not_accepted"},
		{"internal sales on any company's worked lead", roles.Internal, lifecycle.StatusMeeting, "P2", "", ""},
		{"internal sales on a pool lead", roles.Internal, lifecycle.StatusReady, "", "", "lead_not_accepted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, codeOf(t, leadRefusal(tc.kind, tc.status, tc.leadP, tc.userP)))
		})
	}
}

func TestOpportunityFields(t *testing.T) {
	amount := func(v float64) *float64 { return &v }
	long := string(make([]rune, 201))
	for _, tc := range []struct {
		name  string
		in    OpportunityInput
		actor Actor
		want  map[string]any
		code  string
	}{
		{"defaults from the lead", OpportunityInput{}, partner, map[string]any{"name": "Lead name", "stage": Prospecting, "amount": 1500.0}, ""},
		{"given name, stage and amount", OpportunityInput{Name: "  Toiture  ", Stage: Proposal, Amount: amount(9000)}, sales,
			map[string]any{"name": "Toiture", "stage": Proposal, "amount": 9000.0}, ""},
		{"a zero amount is kept", OpportunityInput{Amount: amount(0)}, partner, map[string]any{"name": "Lead name", "stage": Prospecting, "amount": 0.0}, ""},
		{"name too long", OpportunityInput{Name: long}, partner, nil, "too_long"},
		{"negative amount", OpportunityInput{Amount: amount(-1)}, partner, nil, "out_of_range"},
		{"unknown stage", OpportunityInput{Stage: "signed"}, partner, nil, CodeUnknownStage},
		{"not created won", OpportunityInput{Stage: Won}, partner, nil, CodeNotAllowed},
		{"an integration creates nothing", OpportunityInput{}, robot, nil, CodeNotAllowed},
		{"a bad close date", OpportunityInput{CloseDate: "soon"}, partner, nil, "invalid_value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := opportunityFields(tc.in, "Lead name", 1500, tc.actor)
			assert.Equal(t, tc.code, codeOf(t, err))
			if tc.code == "" {
				assert.Equal(t, tc.want, got)
			}
		})
	}
	got, err := opportunityFields(OpportunityInput{CloseDate: "2026-12-31"}, "L", 0, partner)
	require.NoError(t, err)
	want, err := types.ParseDateTime("2026-12-31")
	require.NoError(t, err)
	assert.Equal(t, want, got["close_date"])
}
