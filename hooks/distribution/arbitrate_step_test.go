package distribution

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestArbitrationStep(t *testing.T) {
	leadMatch := heldLead{Held: true, Status: "ready", ConflictKind: "lead", ConflictRef: "L1", Holder: "P1"}
	accountMatch := heldLead{Held: true, Status: "new", ConflictKind: "account", ConflictRef: "A1", Holder: "P2"}
	regMatch := heldLead{Held: true, Status: "qualifying", ConflictKind: "registration", ConflictRef: "O1", Holder: "P3"}
	noHolder := heldLead{Held: true, Status: "ready", ConflictKind: "lead", ConflictRef: "L2"}
	released := leadMatch
	released.Held = false
	offered := leadMatch
	offered.Status = "offered"
	cases := []struct {
		name    string
		action  string
		lead    heldLead
		target  string
		partner string
		code    string
	}{
		{"assign to the holder of a lead", ArbitrateAssignHolder, leadMatch, "", "P1", ""},
		{"assign to the holder of an account", ArbitrateAssignHolder, accountMatch, "P9", "P2", ""},
		{"assign to the holder of a registration", ArbitrateAssignHolder, regMatch, "", "P3", ""},
		{"no holder to assign to", ArbitrateAssignHolder, noHolder, "", "", "no_holder"},
		{"assign elsewhere", ArbitrateAssignOther, leadMatch, "P7", "P7", ""},
		{"assign elsewhere needs a partner", ArbitrateAssignOther, leadMatch, "  ", "", "required"},
		{"merge into the matched lead", ArbitrateMerge, leadMatch, "", "", ""},
		{"merge into an account is refused", ArbitrateMerge, accountMatch, "", "", "not_mergeable"},
		{"merge into a registration is refused", ArbitrateMerge, regMatch, "", "", "not_mergeable"},
		{"return to pool", ArbitrateReturn, accountMatch, "", "", ""},
		{"dismiss", ArbitrateDismiss, regMatch, "", "", ""},
		{"not held any more", ArbitrateDismiss, released, "", "", "not_held"},
		{"not held: assignment refused too", ArbitrateAssignHolder, released, "", "", "not_held"},
		{"left the pool", ArbitrateReturn, offered, "", "", "not_assignable"},
		{"unknown action", "delete", leadMatch, "", "", "invalid_value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			partner, err := arbitrationStep(c.action, c.lead, c.target)
			assert.Equal(t, c.code, codeOf(t, err))
			assert.Equal(t, c.partner, partner)
		})
	}
}

func TestArbitrationReason(t *testing.T) {
	cases := []struct {
		in, out, code string
	}{
		{"  Même client, déjà suivi  ", "Même client, déjà suivi", ""},
		{"ok", "", "required"},
		{"   ", "", "required"},
		{strings.Repeat("é", 500), strings.Repeat("é", 500), ""},
		{strings.Repeat("a", 501), "", "too_long"},
	}
	for _, c := range cases {
		out, err := checkArbitrationReason(c.in)
		assert.Equal(t, c.code, codeOf(t, err), c.in)
		assert.Equal(t, c.out, out)
	}
}
