package deals

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/roles"
)

var (
	partner   = Actor{Kind: roles.Partner}
	sales     = Actor{Kind: roles.Internal}
	validator = Actor{Kind: roles.Internal, Validator: true}
	robot     = Actor{Kind: roles.Integration}
)

func TestDecide(t *testing.T) {
	const limit = 50000.0
	cases := []struct {
		name  string
		actor Actor
		c     Change
		want  Outcome
		code  string // expected error code when refused
		field string
	}{
		// creation
		{"create open", partner, Change{To: Prospecting}, Apply, "", ""},
		{"create negotiation", sales, Change{To: Negotiation}, Apply, "", ""},
		{"create won", validator, Change{To: Won, Amount: 10}, "", CodeNotAllowed, "stage"},
		{"create lost", partner, Change{To: Lost, LostReason: "x"}, "", CodeNotAllowed, "stage"},
		{"create unknown", partner, Change{To: "signed"}, "", CodeUnknownStage, "stage"},

		// open moves, forward and back
		{"forward", partner, Change{From: Prospecting, To: Proposal}, Apply, "", ""},
		{"back", partner, Change{From: Negotiation, To: Qualified}, Apply, "", ""},
		{"same open stage", partner, Change{From: Proposal, To: Proposal, AmountChanged: true, Amount: 1e6}, Apply, "", ""},

		// lost
		{"lost with reason", partner, Change{From: Proposal, To: Lost, LostReason: "prix"}, Apply, "", ""},
		{"lost without reason", partner, Change{From: Proposal, To: Lost, LostReason: "  "}, "", CodeOutcomeRequired, "lost_reason"},

		// won and its validation
		{"won below the limit", partner, Change{From: Negotiation, To: Won, Amount: 40000, Threshold: limit}, Apply, "", ""},
		{"won at the limit", partner, Change{From: Negotiation, To: Won, Amount: limit, Threshold: limit}, Apply, "", ""},
		{"won above the limit by a partner", partner, Change{From: Negotiation, To: Won, Amount: 80000, Threshold: limit}, Pending, "", ""},
		{"won above the limit by sales", sales, Change{From: Proposal, To: Won, Amount: 80000, Threshold: limit}, Pending, "", ""},
		{"won above the limit by a validator", validator, Change{From: Proposal, To: Won, Amount: 80000, Threshold: limit}, Apply, "", ""},
		{"no limit configured", partner, Change{From: Proposal, To: Won, Amount: 1e9}, Apply, "", ""},
		{"won without amount", validator, Change{From: Proposal, To: Won}, "", CodeOutcomeRequired, "amount"},
		{"won with a negative amount", partner, Change{From: Proposal, To: Won, Amount: -5}, "", CodeOutcomeRequired, "amount"},
		{"won with NaN", partner, Change{From: Proposal, To: Won, Amount: math.NaN()}, "", CodeOutcomeRequired, "amount"},

		// closed opportunities
		{"partner reopens a win", partner, Change{From: Won, To: Negotiation}, "", CodeClosed, "stage"},
		{"partner turns a loss into a win", partner, Change{From: Lost, To: Won, Amount: 10}, "", CodeClosed, "stage"},
		{"partner raises the amount of a win", partner, Change{From: Won, To: Won, Amount: 900000, AmountChanged: true, Threshold: limit}, "", CodeClosed, "amount"},
		{"partner edits a win without the amount", partner, Change{From: Won, To: Won, Amount: 1000}, Apply, "", ""},
		{"validator reopens", validator, Change{From: Won, To: Negotiation}, Apply, "", ""},
		{"validator corrects a win's amount", validator, Change{From: Won, To: Won, Amount: 900000, AmountChanged: true, Threshold: limit}, Apply, "", ""},
		{"validator turns a loss into a big win", validator, Change{From: Lost, To: Won, Amount: 900000, Threshold: limit}, Apply, "", ""},
		{"sales reopens a loss", sales, Change{From: Lost, To: Proposal}, "", CodeClosed, "stage"},

		// kinds and unknown stages
		{"integration", robot, Change{From: Prospecting, To: Qualified}, "", CodeNotAllowed, "stage"},
		{"unknown kind", Actor{}, Change{From: Prospecting, To: Qualified}, "", CodeNotAllowed, "stage"},
		{"unknown from", validator, Change{From: "signed", To: Won, Amount: 1}, "", CodeUnknownStage, "stage"},
		{"unknown to", validator, Change{From: Proposal, To: "declined"}, "", CodeUnknownStage, "stage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decide(tc.actor, tc.c)
			if tc.code != "" {
				var de *Error
				require.True(t, errors.As(err, &de), "want a refusal, got %v / %v", got, err)
				assert.Equal(t, tc.code, de.Code)
				assert.Equal(t, tc.field, de.Field)
				assert.NotEmpty(t, de.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestTargets(t *testing.T) {
	assert.Equal(t, []string{Prospecting, Qualified, Proposal, Won, Lost}, Targets(partner, Negotiation))
	assert.Empty(t, Targets(partner, Won), "a partner cannot move a closed opportunity")
	assert.Equal(t, []string{Prospecting, Qualified, Proposal, Negotiation, Lost}, Targets(validator, Won))
	assert.Empty(t, Targets(robot, Prospecting))
}

func TestStageSets(t *testing.T) {
	for _, s := range Stages() {
		assert.True(t, Valid(s))
		assert.NotEqual(t, Open(s), Closed(s), s)
	}
	assert.False(t, Valid(""))
	assert.Len(t, OpenStages(), 4)
}
