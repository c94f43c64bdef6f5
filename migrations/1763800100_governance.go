package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(addGovernanceFields, dropGovernanceFields)
}

// governanceFields are the fields the governance features add to
// existing collections:
//   - users.inactive_flagged_at: set by the suspension job when an account
//     has been inactive for more than settings_prm.inactivity_days; cleared
//     at the next login. Hidden: clients can neither read nor write it.
//   - grants.used_at: when a one-off export grant was used.
//   - grants.ended_at: when the expiry (or revocation) of a grant was
//     recorded in the audit log (the grant stopped working at `expires`
//     whether or not this is set).
//   - access_requests.territory / resource: what a territory or export
//     request asks for, so that an approval can create the grant.
func governanceFields() map[string][]core.Field {
	return map[string][]core.Field{
		"users":           {date("inactive_flagged_at", hidden)},
		"grants":          {date("used_at"), date("ended_at")},
		"access_requests": {rel("territory", territoriesID), text("resource", 40)},
	}
}

// governanceGuards is the edit the policy compiler made to the users update
// rule for users.inactive_flagged_at: the partner roles (whose guards end
// with tokenKey) may not send it.
var governanceGuards = []ruleEdit{{
	old: "@request.body.emailVisibility:isset = false && @request.body.partner:isset = false && " +
		"@request.body.role:isset = false && @request.body.territories:isset = false && @request.body.tokenKey:isset = false",
	new: "@request.body.emailVisibility:isset = false && @request.body.inactive_flagged_at:isset = false && @request.body.partner:isset = false && " +
		"@request.body.role:isset = false && @request.body.territories:isset = false && @request.body.tokenKey:isset = false",
}}

func addGovernanceFields(app core.App) error {
	for name, fields := range governanceFields() {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		c.Fields.Add(fields...)
		if name == "grants" {
			c.AddIndex("idx_grants_open", false, "kind, expires", "ended_at = ''")
		}
		if name == "users" {
			c.UpdateRule = editRule(c.UpdateRule, governanceGuards)
		}
		if err := app.Save(c); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func dropGovernanceFields(app core.App) error {
	for name, fields := range governanceFields() {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		for _, f := range fields {
			c.Fields.RemoveByName(f.GetName())
		}
		if name == "grants" {
			c.RemoveIndex("idx_grants_open")
		}
		if name == "users" {
			c.UpdateRule = editRule(c.UpdateRule, undoEdits(governanceGuards))
		}
		if err := app.Save(c); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
