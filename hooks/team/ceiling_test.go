package team

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

func TestIsManager(t *testing.T) {
	assert.True(t, IsManager(roles.Partner, policy.Org))
	assert.False(t, IsManager(roles.Partner, policy.Own))
	assert.False(t, IsManager(roles.Internal, policy.Org), "internal roles go through the users rules")
	assert.False(t, IsManager(roles.Partner, policy.None))
}

func TestCeiling(t *testing.T) {
	mgr := Member{Kind: roles.Partner, Manager: true, Partner: "p1"}
	seller := Member{Kind: roles.Partner, Partner: "p1"}
	for _, tc := range []struct {
		name          string
		actor, target Member
		code          string
	}{
		{"salesperson of its company", mgr, seller, ""},
		{"manager of its company", mgr, Member{Kind: roles.Partner, Manager: true, Partner: "p1"}, CodeRole},
		{"internal account", mgr, Member{Kind: roles.Internal, Partner: "p1"}, CodeRole},
		{"integration", mgr, Member{Kind: roles.Integration}, CodeRole},
		{"unknown role", mgr, Member{Partner: "p1"}, CodeRole},
		{"salesperson elsewhere", mgr, Member{Kind: roles.Partner, Partner: "p2"}, CodeOtherPartner},
		{"salesperson without company", mgr, Member{Kind: roles.Partner}, CodeOtherPartner},
		{"actor is a salesperson", seller, seller, CodeNotManager},
		{"actor without company", Member{Kind: roles.Partner, Manager: true}, Member{Kind: roles.Partner}, CodeNotManager},
		{"internal actor", Member{Kind: roles.Internal, Manager: true, Partner: "p1"}, seller, CodeNotManager},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Ceiling(tc.actor, tc.target)
			if tc.code == "" {
				assert.NoError(t, err)
				return
			}
			var de *domain.Error
			if assert.True(t, errors.As(err, &de), "%v", err) {
				assert.Equal(t, tc.code, de.Code)
				assert.Equal(t, domain.KindForbidden, de.Kind)
			}
		})
	}
}
