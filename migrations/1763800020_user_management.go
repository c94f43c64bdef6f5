package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(userManagement, nil)
}

// userManagement lets active admins manage accounts through the API as
// PocketBase defines it (see e-mails, set passwords without the old one):
// the compiled rules' prefix for an active, unexpired user, and the admin
// role (literal, as the policy package defined them then).
func userManagement(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.ManageRule = types.Pointer("@request.auth.collectionName = 'users' && @request.auth.active = true && " +
		"(@request.auth.access_expires = '' || @request.auth.access_expires > @now) && @request.auth.role = 'admin'")
	return app.Save(users)
}
