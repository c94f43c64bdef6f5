package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

func TestLeadStatusesFor(t *testing.T) {
	partner := []string{"offered", "accepted", "contacted", "meeting", "won", "lost"}
	for _, c := range []struct {
		kind roles.Kind
		read Level
		want []string
	}{
		{roles.Partner, Own, partner},
		{roles.Partner, Org, partner},
		{roles.Partner, All, partner}, // the partner ceiling, whatever the cell says
		{roles.Partner, None, nil},
		{roles.Internal, Pool, []string{"new", "qualifying", "ready", "recycled"}},
		{roles.Internal, Territory, lifecycle.Statuses()},
		{roles.Internal, All, lifecycle.Statuses()},
		{roles.Internal, Own, lifecycle.Statuses()},
		{roles.Internal, None, nil},
		{roles.Integration, Own, lifecycle.Statuses()},
	} {
		assert.Equal(t, c.want, LeadStatusesFor(c.kind, c.read), "%s %s", c.kind, c.read)
	}
	// every status a partner sees is one a lead may hold with its partner set
	for _, st := range LeadStatusesFor(roles.Partner, Org) {
		assert.False(t, lifecycle.InPool(st), "%s is a pool status", st)
	}
}
