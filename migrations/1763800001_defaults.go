package migrations

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(seedDefaults, nil)
}

// Everything this migration writes is literal and frozen (as PocketBase's
// own migrations are): the roles and the permission matrix of a new
// install, the settings, and the rules the policy compiler made of that
// matrix for the schema of 1763800000_schema.go (1763800001_rules.json).
// It never calls the live policy code, so replaying it later writes what
// it wrote the day it was made; if the compiler has changed since, the
// start-up step (hooks.Reconcile) recompiles the rules and audits it.

// defaultRoles are the built-in roles: id, name, kind, description.
var defaultRoles = []struct{ id, name, kind, description string }{
	{"admin", "admin", "internal",
		"Direction: sees everything, edits the matrix, territories, rules and users"},
	{"channel_manager", "channel_manager", "internal",
		"Distributes and arbitrates leads in the territories they manage"},
	{"sales", "sales", "internal",
		"Internal sales: works the direct accounts they own"},
	{"teleoperator", "teleoperator", "internal",
		"Prospecting team: qualifies leads in the central pool"},
	{"partner_manager", "partner_manager", "partner",
		"Runs one partner company: all of its leads and figures"},
	{"partner_user", "partner_user", "partner",
		"Partner salesperson: only the leads assigned to them"},
	{"integration", "integration", "integration",
		"Lead source pushing leads through the API: only what it created"},
}

// defaultMatrix is the permission matrix of a new install, one row per
// role and resource: read, update and delete levels, create, export.
var defaultMatrix = []struct {
	role, resource, read, update, delete string
	create, export                       bool
}{
	{"admin", "leads", "all", "all", "all", true, true},
	{"admin", "lead_contacts", "all", "all", "all", true, true},
	{"admin", "deal_terms", "all", "all", "all", true, true},
	{"admin", "accounts", "all", "all", "all", true, true},
	{"admin", "contacts", "all", "all", "all", true, true},
	{"admin", "opportunities", "all", "all", "all", true, true},
	{"admin", "activities", "all", "all", "all", true, true},
	{"admin", "documents", "all", "all", "all", true, true},
	{"admin", "campaigns", "all", "all", "all", true, true},
	{"admin", "tickets", "all", "all", "all", true, true},
	{"admin", "partners", "all", "all", "all", true, true},
	{"admin", "reports", "all", "none", "none", false, true},
	{"admin", "audit_log", "all", "none", "none", false, true},
	{"admin", "users", "all", "all", "all", true, true},
	{"channel_manager", "leads", "territory", "territory", "none", true, true},
	{"channel_manager", "lead_contacts", "territory", "territory", "none", true, false},
	{"channel_manager", "deal_terms", "none", "none", "none", false, false},
	{"channel_manager", "accounts", "territory", "territory", "none", true, true},
	{"channel_manager", "contacts", "territory", "territory", "none", true, false},
	{"channel_manager", "opportunities", "territory", "territory", "none", true, true},
	{"channel_manager", "activities", "territory", "own", "own", true, false},
	{"channel_manager", "documents", "all", "none", "none", false, false},
	{"channel_manager", "campaigns", "all", "none", "none", false, false},
	{"channel_manager", "tickets", "territory", "territory", "none", true, false},
	{"channel_manager", "partners", "all", "territory", "none", false, true},
	{"channel_manager", "reports", "territory", "none", "none", false, true},
	{"channel_manager", "audit_log", "none", "none", "none", false, false},
	{"channel_manager", "users", "territory", "none", "none", false, false},
	{"sales", "leads", "own", "own", "none", true, false},
	{"sales", "lead_contacts", "own", "own", "none", true, false},
	{"sales", "deal_terms", "none", "none", "none", false, false},
	{"sales", "accounts", "own", "own", "none", true, false},
	{"sales", "contacts", "own", "own", "none", true, false},
	{"sales", "opportunities", "own", "own", "none", true, false},
	{"sales", "activities", "own", "own", "own", true, false},
	{"sales", "documents", "all", "none", "none", false, false},
	{"sales", "campaigns", "all", "none", "none", false, false},
	{"sales", "tickets", "own", "own", "none", true, false},
	{"sales", "partners", "all", "none", "none", false, false},
	{"sales", "reports", "own", "none", "none", false, false},
	{"sales", "audit_log", "none", "none", "none", false, false},
	{"sales", "users", "own", "own", "none", false, false},
	{"teleoperator", "leads", "pool", "pool", "none", true, false},
	{"teleoperator", "lead_contacts", "pool", "pool", "none", true, false},
	{"teleoperator", "deal_terms", "none", "none", "none", false, false},
	{"teleoperator", "accounts", "none", "none", "none", false, false},
	{"teleoperator", "contacts", "none", "none", "none", false, false},
	{"teleoperator", "opportunities", "none", "none", "none", false, false},
	{"teleoperator", "activities", "pool", "own", "own", true, false},
	{"teleoperator", "documents", "all", "none", "none", false, false},
	{"teleoperator", "campaigns", "all", "none", "none", false, false},
	{"teleoperator", "tickets", "none", "none", "none", false, false},
	{"teleoperator", "partners", "none", "none", "none", false, false},
	{"teleoperator", "reports", "own", "none", "none", false, false},
	{"teleoperator", "audit_log", "none", "none", "none", false, false},
	{"teleoperator", "users", "own", "own", "none", false, false},
	{"partner_manager", "leads", "org", "org", "none", false, false},
	{"partner_manager", "lead_contacts", "org", "org", "none", false, false},
	{"partner_manager", "deal_terms", "none", "none", "none", false, false},
	{"partner_manager", "accounts", "org", "org", "none", true, false},
	{"partner_manager", "contacts", "org", "org", "none", true, false},
	{"partner_manager", "opportunities", "org", "org", "none", true, false},
	{"partner_manager", "activities", "org", "own", "own", true, false},
	{"partner_manager", "documents", "all", "none", "none", false, false},
	{"partner_manager", "campaigns", "none", "none", "none", false, false},
	{"partner_manager", "tickets", "none", "none", "none", false, false},
	{"partner_manager", "partners", "org", "org", "none", false, false},
	{"partner_manager", "reports", "org", "none", "none", false, false},
	{"partner_manager", "audit_log", "none", "none", "none", false, false},
	{"partner_manager", "users", "org", "own", "none", false, false},
	{"partner_user", "leads", "own", "own", "none", false, false},
	{"partner_user", "lead_contacts", "own", "own", "none", false, false},
	{"partner_user", "deal_terms", "none", "none", "none", false, false},
	{"partner_user", "accounts", "org", "none", "none", true, false},
	{"partner_user", "contacts", "org", "none", "none", true, false},
	{"partner_user", "opportunities", "own", "own", "none", false, false},
	{"partner_user", "activities", "own", "own", "own", true, false},
	{"partner_user", "documents", "all", "none", "none", false, false},
	{"partner_user", "campaigns", "none", "none", "none", false, false},
	{"partner_user", "tickets", "none", "none", "none", false, false},
	{"partner_user", "partners", "org", "none", "none", false, false},
	{"partner_user", "reports", "own", "none", "none", false, false},
	{"partner_user", "audit_log", "none", "none", "none", false, false},
	{"partner_user", "users", "own", "own", "none", false, false},
	{"integration", "leads", "own", "own", "none", true, false},
	{"integration", "lead_contacts", "own", "own", "none", true, false},
	{"integration", "deal_terms", "none", "none", "none", false, false},
	{"integration", "accounts", "none", "none", "none", false, false},
	{"integration", "contacts", "none", "none", "none", false, false},
	{"integration", "opportunities", "none", "none", "none", false, false},
	{"integration", "activities", "own", "own", "none", true, false},
	{"integration", "documents", "none", "none", "none", false, false},
	{"integration", "campaigns", "none", "none", "none", false, false},
	{"integration", "tickets", "none", "none", "none", false, false},
	{"integration", "partners", "none", "none", "none", false, false},
	{"integration", "reports", "none", "none", "none", false, false},
	{"integration", "audit_log", "none", "none", "none", false, false},
	{"integration", "users", "own", "none", "none", false, false},
}

// defaultRules are the five API rules of every collection the matrix
// governs, by collection name, as the policy compiler wrote them for
// defaultMatrix when this migration was made (null: superusers only).
//
//go:embed 1763800001_rules.json
var defaultRules []byte

// collectionRules are the five API rules of a collection.
type collectionRules struct {
	ListRule   *string `json:"listRule"`
	ViewRule   *string `json:"viewRule"`
	CreateRule *string `json:"createRule"`
	UpdateRule *string `json:"updateRule"`
	DeleteRule *string `json:"deleteRule"`
}

// seedDefaults creates the default roles, the reference permission matrix,
// the settings record and the PocketBase settings Relais relies on, and
// writes the collections' rules compiled from that matrix. The rows are
// plain SQL inserts: saving records would run today's record hooks (the
// matrix validation and recompilation), which a frozen migration must not.
func seedDefaults(app core.App) error {
	now := types.NowDateTime().String()
	insert := func(table string, row dbx.Params) error {
		row["created"], row["updated"] = now, now
		if _, err := app.DB().Insert(table, row).Execute(); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		return nil
	}
	for _, r := range defaultRoles {
		if err := insert("roles", dbx.Params{"id": r.id, "name": r.name, "kind": r.kind, "description": r.description}); err != nil {
			return err
		}
	}
	for _, c := range defaultMatrix {
		if err := insert("permissions", dbx.Params{"id": core.GenerateDefaultRandomId(), "role": c.role, "resource": c.resource,
			"read": c.read, "update": c.update, "delete": c.delete, "create": c.create, "export": c.export}); err != nil {
			return err
		}
	}
	if err := insert("settings_prm", dbx.Params{"id": "relaissettings1", "score_threshold": 60, "default_accept_hours": 48,
		"max_offers": 3, "inactivity_days": 90, "export_row_cap": 10000, "partner_page_cap": 50, "protection_days": 90,
		"won_validation_amount": 50000, "web_form_keys": "[]"}); err != nil {
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
	return writeRules(app, defaultRules)
}

// writeRules sets the rules of each collection of a JSON object
// {collection: collectionRules}, in name order.
func writeRules(app core.App, data []byte) error {
	var all map[string]collectionRules
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r := all[name]
		c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = r.ListRule, r.ViewRule, r.CreateRule, r.UpdateRule, r.DeleteRule
		if err := app.Save(c); err != nil {
			return fmt.Errorf("%s rules: %w", name, err)
		}
	}
	return nil
}
