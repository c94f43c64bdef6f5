package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A channel manager may update his own user record (matrix cell
// channel_manager/users: update none → own), as sales and teleoperators
// may: his name, phone, language and e-mail choices, never his role,
// territories, activity or expiry (the compiler's owned fields). Before
// this, the footer's language switch and the profile page answered 403 to
// every channel manager. An administrator's own choice for that cell (not
// "none") is kept.

func init() {
	m.Register(cmOwnProfile(true), cmOwnProfile(false))
}

// cmOwnProfileRule is the edit the policy compiler made to the users
// update rule for that cell: a clause for channel managers, in the roles'
// order, right after the admin's.
var cmOwnProfileRule = []ruleEdit{{
	old: "(@request.auth.role = 'admin') ||\n  (@request.auth.role = 'partner_manager'",
	new: "(@request.auth.role = 'admin') ||\n  (@request.auth.role = 'channel_manager' && id = @request.auth.id && " +
		"@request.body.access_expires:isset = false && @request.body.active:isset = false && @request.body.email:isset = false && " +
		"@request.body.emailVisibility:isset = false && @request.body.partner:isset = false && @request.body.role:isset = false && " +
		"@request.body.territories:isset = false && @request.body.verified:isset = false) ||\n  (@request.auth.role = 'partner_manager'",
}}

func cmOwnProfile(up bool) func(app core.App) error {
	from, to, edits := "none", "own", cmOwnProfileRule
	if !up {
		from, to, edits = "own", "none", undoEdits(cmOwnProfileRule)
	}
	return func(app core.App) error {
		res, err := app.DB().NewQuery("UPDATE permissions SET [[update]] = {:to} WHERE role = 'channel_manager' AND resource = 'users' AND [[update]] = {:from}").
			Bind(dbx.Params{"to": to, "from": from}).Execute()
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // an administrator's own matrix: the start-up step recompiles it
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.UpdateRule = editRule(users.UpdateRule, edits)
		return app.Save(users)
	}
}
