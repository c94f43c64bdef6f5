package hooks_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/internal/testapp"
)

func TestMigrationsCompileTheDefaultMatrix(t *testing.T) {
	app := testapp.New(t, "")
	drift, err := access.Drift(app)
	require.NoError(t, err)
	require.Empty(t, drift, "rules in force must equal the compiled default matrix")

	m, err := access.LoadMatrix(app)
	require.NoError(t, err)
	require.Len(t, m.Roles, len(policy.DefaultRoles()))
	require.Len(t, m.Cells, len(policy.DefaultRoles())*len(policy.Resources()))

	leads, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	require.NotNil(t, leads.ListRule)
	require.Contains(t, *leads.ListRule, "@request.auth.role = 'partner_user'")
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	require.NotNil(t, users.CreateRule)
	require.Contains(t, *users.CreateRule, policy.Active, "sign-up must be closed: only active users (admins) create accounts")
	require.False(t, app.Settings().Batch.Enabled)
}
