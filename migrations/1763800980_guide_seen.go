package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// guideSeenRule is the policy compiler's change to the users write rules
// for guide_seen, a system field like last_login: no API client may send
// it (the guards are sorted by field name).
var guideSeenRule = []ruleEdit{{
	old: "@request.body.last_login:isset = false",
	new: "@request.body.guide_seen:isset = false && @request.body.last_login:isset = false",
}}

// The first-login guide: users.guide_seen, the time the web UI showed the
// user the guide of their role (empty: never shown, so the next page
// shows it). Written by the UI with a direct update, like last_login; a
// system field no API client may send.
func init() {
	m.Register(func(app core.App) error {
		return guideSeen(app, true)
	}, func(app core.App) error {
		return guideSeen(app, false)
	})
}

// guideSeen adds (up) or removes (down) users.guide_seen and its guards.
func guideSeen(app core.App, up bool) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	edits := guideSeenRule
	if up {
		users.Fields.Add(date("guide_seen"))
	} else {
		users.Fields.RemoveByName("guide_seen")
		edits = undoEdits(guideSeenRule)
	}
	users.CreateRule = editRule(users.CreateRule, edits)
	users.UpdateRule = editRule(users.UpdateRule, edits)
	return app.Save(users)
}
