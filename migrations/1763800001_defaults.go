package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
)

func init() {
	m.Register(seedDefaults, nil)
}

// seedDefaults creates the default roles, the reference permission matrix,
// the settings record and the PocketBase settings Relais relies on, then
// compiles the matrix into the collections' rules.
func seedDefaults(app core.App) error {
	roles, err := app.FindCollectionByNameOrId("roles")
	if err != nil {
		return err
	}
	descriptions := map[string]string{
		"admin":           "Direction: sees everything, edits the matrix, territories, rules and users",
		"channel_manager": "Distributes and arbitrates leads in the territories they manage",
		"sales":           "Internal sales: works the direct accounts they own",
		"teleoperator":    "Prospecting team: qualifies leads in the central pool",
		"partner_manager": "Runs one partner company: all of its leads and figures",
		"partner_user":    "Partner salesperson: only the leads assigned to them",
		"integration":     "Lead source pushing leads through the API: only what it created",
	}
	for _, r := range policy.DefaultRoles() {
		rec := core.NewRecord(roles)
		rec.Id = r.ID
		rec.Set("name", r.Name)
		rec.Set("kind", string(r.Kind))
		rec.Set("description", descriptions[r.ID])
		if err := app.Save(rec); err != nil {
			return err
		}
	}
	perms, err := app.FindCollectionByNameOrId("permissions")
	if err != nil {
		return err
	}
	for _, c := range policy.DefaultMatrix().Cells {
		rec := core.NewRecord(perms)
		rec.Set("role", c.Role)
		rec.Set("resource", c.Resource)
		rec.Set("read", string(c.Read))
		rec.Set("update", string(c.Update))
		rec.Set("delete", string(c.Delete))
		rec.Set("create", c.Create)
		rec.Set("export", c.Export)
		if err := app.Save(rec); err != nil {
			return err
		}
	}

	sc, err := app.FindCollectionByNameOrId("settings_prm")
	if err != nil {
		return err
	}
	s := core.NewRecord(sc)
	s.Id = access.SettingsID
	s.Set("score_threshold", 60)
	s.Set("default_accept_hours", 48)
	s.Set("max_offers", 3)
	s.Set("inactivity_days", 90)
	s.Set("export_row_cap", 10000)
	s.Set("partner_page_cap", 50)
	s.Set("protection_days", 90)
	s.Set("won_validation_amount", 50000)
	s.Set("web_form_keys", []string{})
	if err := app.Save(s); err != nil {
		return err
	}

	settings := app.Settings()
	settings.Meta.AppName = "Relais"
	settings.Meta.SenderName = "Relais"
	settings.Meta.SenderAddress = "relais@relais.localhost"
	settings.Batch.Enabled = false
	settings.RateLimits.Enabled = true
	settings.RateLimits.Rules = []core.RateLimitRule{
		{Label: "*:auth", MaxRequests: 10, Duration: 60},
		{Label: "POST /api/prm/webform/", MaxRequests: 5, Duration: 60},
		{Label: "*:create", MaxRequests: 50, Duration: 5},
		{Label: "/api/batch", MaxRequests: 3, Duration: 1},
		{Label: "/api/", MaxRequests: 600, Duration: 10},
	}
	if err := app.Save(settings); err != nil {
		return err
	}

	_, err = access.ApplyPolicy(app)
	return err
}
