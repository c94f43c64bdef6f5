package distribution

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/lifecycle"
)

// Every lead that is not closed may move to another partner; not to the
// partner that has it.
func TestReassignStep(t *testing.T) {
	for _, c := range []struct {
		status, partner, target, code string
	}{
		{lifecycle.StatusOffered, "p1", "p2", ""},
		{lifecycle.StatusAccepted, "p1", "p2", ""},
		{lifecycle.StatusContacted, "p1", "p2", ""},
		{lifecycle.StatusMeeting, "p1", "p2", ""},
		{lifecycle.StatusReady, "", "p2", ""},
		{lifecycle.StatusRecycled, "", "p2", ""},
		{lifecycle.StatusNew, "", "p2", ""},
		{lifecycle.StatusWon, "p1", "p2", "lead_closed"},
		{lifecycle.StatusLost, "p1", "p2", "lead_closed"},
		{lifecycle.StatusAccepted, "p1", "p1", "already_with_partner"},
		{lifecycle.StatusOffered, "p1", "p1", "already_with_partner"},
	} {
		assert.Equal(t, c.code, codeOf(t, reassignStep(c.status, c.partner, c.target)), "%+v", c)
	}
}

// The reason of a reassignment is required (3 characters at least once
// trimmed) and at most 500 characters.
func TestCheckReason(t *testing.T) {
	for _, c := range []struct {
		in, want, code string
	}{
		{"  Client sans nouvelles  ", "Client sans nouvelles", ""},
		{"abc", "abc", ""},
		{"", "", "required"},
		{"  ab ", "", "required"},
		{strings.Repeat("é", 500), strings.Repeat("é", 500), ""},
		{strings.Repeat("é", 501), "", "too_long"},
	} {
		got, err := CheckReason(c.in)
		assert.Equal(t, c.code, codeOf(t, err), "%q", c.in)
		assert.Equal(t, c.want, got, "%q", c.in)
	}
}
