package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collection ids are fixed so that relations can point at them before the
// target exists and stay readable in exports of the schema.
const (
	usersID       = "_pb_users_auth_"
	rolesID       = "relais_roles"
	territoriesID = "relais_territories"
	partnersID    = "relais_partners"
	campaignsID   = "relais_campaigns"
	leadsID       = "relais_leads"
	accountsID    = "relais_accounts"
	oppsID        = "relais_opportunities"
	grantsID      = "relais_grants"
	reviewsID     = "relais_access_reviews"
)

// Value lists of SPEC §2.
var (
	roleKinds      = []string{"internal", "partner", "integration"}
	levels         = []string{"none", "own", "org", "territory", "pool", "all"}
	resources      = []string{"leads", "lead_contacts", "deal_terms", "accounts", "contacts", "opportunities", "activities", "documents", "campaigns", "tickets", "partners", "reports", "audit_log", "users"}
	partnerKinds   = []string{"installer", "reseller", "distributor", "integrator", "referrer"}
	tiers          = []string{"pilot", "standard", "strategic"}
	segments       = []string{"residential", "farm", "business", "industry", "public", "collective"}
	companySizes   = []string{"1", "2-9", "10-49", "50-249", "250+"}
	leadSources    = []string{"web", "phone", "campaign", "import", "api", "partner"}
	leadStatuses   = []string{"new", "qualifying", "ready", "offered", "accepted", "contacted", "meeting", "won", "lost", "recycled"}
	strategies     = []string{"round_robin", "weighted", "least_loaded", "best_conversion", "exclusive"}
	offerOutcomes  = []string{"pending", "accepted", "declined", "expired", "withdrawn"}
	oppStages      = []string{"prospecting", "qualified", "proposal", "negotiation", "won", "lost"}
	regStatuses    = []string{"pending", "approved", "rejected"}
	activityKinds  = []string{"call", "meeting", "email", "note", "visit"}
	audiences      = []string{"internal", "all_partners", "tiers", "kinds"}
	grantKinds     = []string{"territory", "export", "role"}
	reviewDecision = []string{"keep", "revoke", "change"}
)

func init() {
	m.Register(createSchema, dropSchema)
}

var schemaOrder = []string{
	"roles", "territories", "partners", "permissions", "settings_prm", "campaigns", "leads",
	"lead_contacts", "assignment_rules", "lead_offers", "accounts", "contacts", "opportunities",
	"deal_terms", "activities", "documents", "tickets", "grants", "access_requests",
	"access_reviews", "access_review_items", "audit_log", "notifications",
}

func createSchema(app core.App) error {
	pct := types.Pointer(100.0)
	zero := types.Pointer(0.0)

	roles := core.NewBaseCollection("roles", rolesID)
	// Role ids are readable (the default roles use their name) because the
	// compiled rules refer to them.
	idf := roles.Fields.GetByName("id").(*core.TextField)
	idf.Pattern = `^[a-z0-9_]+$`
	idf.Min, idf.Max = 2, 40
	roles.Fields.Add(text("name", 60, required), selectOne("kind", roleKinds, required), text("description", 500))
	roles.Fields.Add(timestamps()...)
	roles.AddIndex("idx_roles_name", true, "name", "")

	territories := core.NewBaseCollection("territories", territoriesID)
	territories.Fields.Add(
		text("name", 120, required), text("code", 40, required),
		selectOne("kind", []string{"country", "region", "department", "postal"}, required),
		jsonField("departments"), jsonField("postal_prefixes"),
	)
	territories.Fields.Add(timestamps()...)
	territories.AddIndex("idx_territories_code", true, "code", "")

	partners := core.NewBaseCollection("partners", partnersID)
	partners.Fields.Add(
		text("name", 200, required), selectOne("kind", partnerKinds, required), selectOne("tier", tiers, required),
		selectOne("status", []string{"active", "suspended", "ended"}, required), date("contract_end"),
		relMany("territories", territoriesID), selectMany("segments", segments),
		count("capacity"), amount("weight"), email("notify_email"), text("siren", 9),
	)
	partners.Fields.Add(timestamps()...)
	partners.AddIndex("idx_partners_status", false, "status", "")

	// users: the built-in auth collection gets the Relais fields.
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}

	if err := saveAll(app, roles, territories, partners); err != nil {
		return err
	}

	users.Fields.Add(
		rel("role", rolesID, required), rel("partner", partnersID), relMany("territories", territoriesID),
		boolean("active"), date("access_expires"), date("last_login"),
		selectOne("locale", []string{"fr", "en"}),
	)
	users.AddIndex("idx_users_role", false, "role", "")
	users.AddIndex("idx_users_partner", false, "partner", "")
	// Sign-up is closed: accounts are created by administrators.
	users.CreateRule = nil
	// A deactivated or expired account, or one of a suspended or ended
	// partner, cannot log in (sessions are revoked separately).
	users.AuthRule = types.Pointer("active = true && (access_expires = '' || access_expires > @now) && (partner = '' || partner.status = 'active')")
	users.PasswordAuth.IdentityFields = []string{"email"}
	if err := app.Save(users); err != nil {
		return fmt.Errorf("users: %w", err)
	}

	territories.Fields.Add(rel("manager", usersID))
	partners.Fields.Add(rel("channel_manager", usersID))
	partners.AddIndex("idx_partners_cm", false, "channel_manager", "")

	permissions := core.NewBaseCollection("permissions")
	permissions.Fields.Add(
		rel("role", rolesID, required, cascade), selectOne("resource", resources, required),
		selectOne("read", levels, required), selectOne("update", levels, required), selectOne("delete", levels, required),
		boolean("create"), boolean("export"),
	)
	permissions.Fields.Add(timestamps()...)
	permissions.AddIndex("idx_permissions_cell", true, "role, resource", "")

	settings := core.NewBaseCollection("settings_prm")
	settings.Fields.Add(
		number("score_threshold", zero, pct, true), count("default_accept_hours"), count("max_offers"),
		count("inactivity_days"), boolean("suspend_inactive"), count("export_row_cap"), count("partner_page_cap"),
		count("protection_days"), amount("won_validation_amount"), jsonField("web_form_keys", hidden),
	)
	settings.Fields.Add(timestamps()...)

	campaigns := core.NewBaseCollection("campaigns", campaignsID)
	campaigns.Fields.Add(text("name", 200, required), selectOne("channel", []string{"email", "phone", "event", "web", "partner", "other"}),
		date("starts"), date("ends"), amount("budget"))
	campaigns.Fields.Add(timestamps()...)

	leads := core.NewBaseCollection("leads", leadsID)
	leads.Fields.Add(
		text("company", 200, required), selectOne("segment", segments), selectOne("company_size", companySizes),
		text("country", 2), text("postal_code", 10), text("city", 120), text("department", 3),
		rel("territory", territoriesID),
		// Internal-only origin fields (SPEC §3.3.8): Hidden, unhidden for internal roles.
		selectOne("source", leadSources, hidden), text("source_ref", 120, hidden), rel("campaign", campaignsID, hidden),
		number("score", zero, pct, true), selectOne("status", leadStatuses, required),
		rel("partner", partnersID), rel("assignee", usersID),
		date("offered_at"), date("accept_by"), date("accepted_at"),
		text("interest", 2000), amount("estimated_value"), date("meeting_at"),
		text("dedup_key", 300, hidden), rel("created_by", usersID, hidden),
		text("qualification_notes", 5000, hidden), text("siret", 14, hidden), boolean("consent", hidden),
		boolean("forced", hidden), count("offers_count", hidden),
		text("lost_reason", 500), amount("won_amount"), date("closed_at"),
	)
	leads.Fields.Add(timestamps()...)
	leads.AddIndex("idx_leads_source_ref", true, "source, source_ref", "source_ref != ''")
	leads.AddIndex("idx_leads_partner", false, "partner, created", "")
	leads.AddIndex("idx_leads_assignee", false, "assignee, created", "")
	leads.AddIndex("idx_leads_status", false, "status, created", "")
	leads.AddIndex("idx_leads_territory", false, "territory, status, created", "")
	leads.AddIndex("idx_leads_created_by", false, "created_by, created", "")
	leads.AddIndex("idx_leads_created", false, "created", "")
	leads.AddIndex("idx_leads_dedup", false, "dedup_key", "dedup_key != ''")
	leads.AddIndex("idx_leads_accept_by", false, "accept_by", "status = 'offered'")

	if err := saveAll(app, territories, partners, permissions, settings, campaigns, leads); err != nil {
		return err
	}

	// self-relation: the lead exists now
	leads.Fields.Add(rel("duplicate_of", leadsID, hidden))
	leads.AddIndex("idx_leads_duplicate_of", false, "duplicate_of", "duplicate_of != ''")
	if err := saveAll(app, leads); err != nil {
		return err
	}

	contacts := core.NewBaseCollection("lead_contacts")
	contacts.Fields.Add(
		rel("lead", leadsID, required, cascade), text("first_name", 100), text("last_name", 100), text("title", 120),
		email("email"), text("phone", 30), text("mobile", 30),
	)
	contacts.Fields.Add(timestamps()...)
	contacts.AddIndex("idx_lead_contacts_lead", true, "lead", "")

	rules := core.NewBaseCollection("assignment_rules")
	rules.Fields.Add(
		text("name", 120, required), number("priority", nil, nil, true), boolean("active"), rel("territory", territoriesID),
		selectMany("segments", segments), selectMany("partner_kinds", partnerKinds), selectMany("tiers", tiers),
		number("min_score", zero, pct, true), selectOne("strategy", strategies, required), relMany("partners", partnersID),
		count("accept_hours"), count("max_offers"),
	)
	rules.Fields.Add(timestamps()...)

	offers := core.NewBaseCollection("lead_offers")
	offers.Fields.Add(
		rel("lead", leadsID, required, cascade), rel("partner", partnersID, required), rel("assignee", usersID),
		date("offered_at"), date("accept_by"), selectOne("outcome", offerOutcomes, required), text("reason", 500),
		date("decided_at"), rel("decided_by", usersID),
	)
	offers.Fields.Add(timestamps()...)
	offers.AddIndex("idx_lead_offers_lead", false, "lead, created", "")
	offers.AddIndex("idx_lead_offers_partner", false, "partner, outcome", "")
	offers.AddIndex("idx_lead_offers_pending", false, "accept_by", "outcome = 'pending'")

	accounts := core.NewBaseCollection("accounts", accountsID)
	accounts.Fields.Add(
		text("name", 200, required), text("siren", 9), text("postal_code", 10), text("city", 120), text("department", 3),
		rel("territory", territoriesID), selectOne("segment", segments), rel("partner", partnersID), rel("owner", usersID),
		text("dedup_key", 300, hidden),
	)
	accounts.Fields.Add(timestamps()...)
	accounts.AddIndex("idx_accounts_partner", false, "partner", "")
	accounts.AddIndex("idx_accounts_owner", false, "owner", "")
	accounts.AddIndex("idx_accounts_territory", false, "territory", "")

	if err := saveAll(app, contacts, rules, offers, accounts); err != nil {
		return err
	}

	accContacts := core.NewBaseCollection("contacts")
	accContacts.Fields.Add(
		rel("account", accountsID, required, cascade), text("first_name", 100), text("last_name", 100), text("title", 120),
		email("email"), text("phone", 30),
	)
	accContacts.Fields.Add(timestamps()...)
	accContacts.AddIndex("idx_contacts_account", false, "account", "")

	opps := core.NewBaseCollection("opportunities", oppsID)
	opps.Fields.Add(
		text("name", 200), rel("account", accountsID), rel("lead", leadsID), rel("partner", partnersID), rel("territory", territoriesID),
		selectOne("stage", oppStages, required), amount("amount"), date("close_date"), text("siren", 9), text("postal_code", 10),
		rel("registered_by", usersID), selectOne("registration_status", regStatuses), date("protected_until"),
	)
	opps.Fields.Add(timestamps()...)
	opps.AddIndex("idx_opps_partner", false, "partner, created", "")
	opps.AddIndex("idx_opps_lead", false, "lead", "")
	opps.AddIndex("idx_opps_account", false, "account", "")
	opps.AddIndex("idx_opps_territory", false, "territory", "")

	if err := saveAll(app, accContacts, opps); err != nil {
		return err
	}

	terms := core.NewBaseCollection("deal_terms")
	terms.Fields.Add(
		rel("lead", leadsID, cascade), rel("opportunity", oppsID, cascade),
		number("margin_pct", types.Pointer(-100.0), pct, false), number("discount_pct", zero, pct, false),
		amount("purchase_price"), text("conditions", 5000),
	)
	terms.Fields.Add(timestamps()...)
	terms.AddIndex("idx_deal_terms_lead", false, "lead", "")
	terms.AddIndex("idx_deal_terms_opp", false, "opportunity", "")

	activities := core.NewBaseCollection("activities")
	activities.Fields.Add(
		rel("lead", leadsID, cascade), rel("opportunity", oppsID, cascade), selectOne("kind", activityKinds, required),
		text("summary", 5000), date("at"), text("outcome", 500), rel("author", usersID), boolean("internal"),
		// Call recordings: protected, and hidden from everyone but internal
		// roles and the integration that uploaded them.
		protectedFile("recording", 50<<20, hidden),
	)
	activities.Fields.Add(timestamps()...)
	activities.AddIndex("idx_activities_lead", false, "lead, at", "")
	activities.AddIndex("idx_activities_opp", false, "opportunity", "")
	activities.AddIndex("idx_activities_author", false, "author", "")

	documents := core.NewBaseCollection("documents")
	documents.Fields.Add(
		text("title", 200, required), protectedFile("file", 100<<20), selectOne("audience", audiences, required),
		selectMany("tiers", tiers), selectMany("kinds", partnerKinds), date("expires"), boolean("sensitive"),
	)
	documents.Fields.Add(timestamps()...)

	tickets := core.NewBaseCollection("tickets")
	tickets.Fields.Add(text("subject", 200, required), rel("account", accountsID), selectOne("status", []string{"open", "pending", "closed"}),
		text("description", 5000))
	tickets.Fields.Add(timestamps()...)

	grants := core.NewBaseCollection("grants", grantsID)
	grants.Fields.Add(
		rel("user", usersID, cascade), rel("partner", partnersID, cascade), selectOne("kind", grantKinds, required),
		rel("territory", territoriesID), rel("role", rolesID), text("resource", 40), date("starts"), date("expires", required),
		text("reason", 1000), rel("granted_by", usersID),
	)
	grants.Fields.Add(timestamps()...)
	grants.AddIndex("idx_grants_territory", false, "territory, user", "")
	grants.AddIndex("idx_grants_user", false, "user, expires", "")

	if err := saveAll(app, terms, activities, documents, tickets, grants); err != nil {
		return err
	}

	requests := core.NewBaseCollection("access_requests")
	requests.Fields.Add(
		rel("requester", usersID, required, cascade), selectOne("kind", grantKinds, required), text("details", 1000),
		text("justification", 2000, required), selectOne("status", regStatuses), rel("decided_by", usersID), date("decided_at"),
		text("decision_reason", 1000), rel("grant", grantsID),
	)
	requests.Fields.Add(timestamps()...)

	reviews := core.NewBaseCollection("access_reviews", reviewsID)
	reviews.Fields.Add(text("name", 120, required), text("period", 20), selectOne("status", []string{"open", "closed"}), date("opened_at"), date("closed_at"))
	reviews.Fields.Add(timestamps()...)

	if err := saveAll(app, requests, reviews); err != nil {
		return err
	}

	items := core.NewBaseCollection("access_review_items")
	items.Fields.Add(
		rel("review", reviewsID, required, cascade), rel("user", usersID, cascade), jsonField("effective_access"),
		selectOne("decision", reviewDecision), rel("reviewer", usersID), date("decided_at"), text("note", 1000),
	)
	items.Fields.Add(timestamps()...)
	items.AddIndex("idx_review_items", true, "review, user", "")

	audit := core.NewBaseCollection("audit_log")
	audit.Fields.Add(
		number("seq", zero, nil, true, required), date("at", required), text("actor", 40), text("actor_role", 40), text("actor_partner", 40),
		text("action", 60, required), text("resource", 60), text("record", 40), jsonField("changes"),
		text("ip", 64), text("request_id", 64), text("prev_hash", 64), text("hash", 64),
	)
	audit.AddIndex("idx_audit_seq", true, "seq", "")
	audit.AddIndex("idx_audit_actor", false, "actor, at", "")
	audit.AddIndex("idx_audit_action", false, "action, at", "")

	notifications := core.NewBaseCollection("notifications")
	notifications.Fields.Add(
		rel("user", usersID, required, cascade), text("kind", 40), rel("lead", leadsID, cascade), text("title", 300),
		text("body", 2000), boolean("read"),
	)
	notifications.Fields.Add(timestamps()...)
	notifications.AddIndex("idx_notifications_user", false, "user, read, created", "")

	return saveAll(app, items, audit, notifications)
}

func saveAll(app core.App, cs ...*core.Collection) error {
	for _, c := range cs {
		if err := app.Save(c); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	return nil
}

func dropSchema(app core.App) error {
	for i := len(schemaOrder) - 1; i >= 0; i-- {
		c, err := app.FindCollectionByNameOrId(schemaOrder[i])
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
