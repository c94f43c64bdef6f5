package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

func init() {
	m.Register(userManagement, nil)
}

// userManagement lets active admins manage accounts through the API as
// PocketBase defines it (see e-mails, set passwords without the old one).
func userManagement(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.ManageRule = types.Pointer(policy.Active + " && @request.auth.role = '" + roles.Admin + "'")
	return app.Save(users)
}
