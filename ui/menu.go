package ui

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// caps are the pages and actions a role may use, derived from its kind and
// its cells of the permission matrix. They only decide what the menu shows
// and which pages answer; the records themselves always come through the
// rule-aware read path, and writes through the rule-checked operations.
type caps struct {
	Inbox         bool // partner offers
	Figures       bool // a partner's own figures (reports at org level)
	Pool          bool // central pool (leads read pool or all)
	Board         bool // distribution board (leads read+update territory or all)
	Leads         bool
	Partners      bool
	Users         bool
	ManageUsers   bool // deactivate / reactivate (users update all)
	InviteUsers   bool // create and invite accounts (users create)
	Team          bool // a partner manager's team (users read org)
	ManageDocs    bool // upload, replace, withdraw documents (documents create)
	NewPartners   bool // create partners (partners create)
	Matrix        bool // the admin role
	Audit         bool
	AccessReview  bool // the admin role
	Requests      bool // file and follow one's own access requests (every signed-in person)
	Approvals     bool // decide access requests (admins; channel managers for their territories)
	Grants        bool // create and revoke time-boxed grants (the admin role)
	Integrations  bool // the admin role: API keys, webhooks, deliveries
	Security      bool // the admin role: sign-in security settings
	Documents     bool
	Notifications bool
	LogActivity   bool // activities create
	Reports       bool // report pages (a report scope: see reportsAllowed)
	Dashboard     bool // the management dashboard as landing page (reports read all)
	// Customer accounts: the list and pages (accounts read), the new
	// account form (accounts create), internal sales' own opportunities
	// on the accounts page (opportunities read own, internal kind)
	Accounts, CreateAccounts, Book bool
	NewLead                        bool // a lead from a phone call (leads create, not a partner role)
	Import                         bool // the CSV import (leads create, read territory or all)
	Deals                          bool // opportunities: the pipeline and the opportunity page (deals.go)
	Registrations                  bool // deal registrations: a partner's own, or the queue to decide
	DecideDeals                    bool // decide registrations and validate wins (opportunities update territory or all)
	OpenDeal                       bool // open an opportunity from a worked lead (opportunities create)
	Certificates                   bool // a partner's own certificates (partners update org)
	ROI                            bool // the ROI report by source and campaign (internal, reports read all)
	Campaigns                      bool // the campaigns and their budgets (internal, campaigns create)
	CertRules                      bool // which leads need which certificate (the admin role)
}

func capsOf(role, kind string, cells []policy.Cell) caps {
	level := map[string]map[string]string{}
	create := map[string]bool{}
	for _, c := range cells {
		level[c.Resource] = map[string]string{"read": string(c.Read), "update": string(c.Update)}
		create[c.Resource] = c.Create
	}
	read := func(res string) string { return level[res]["read"] }
	update := func(res string) string { return level[res]["update"] }
	wide := func(l string) bool { return l == "territory" || l == "all" }
	var c caps
	c.Leads = read("leads") != "" && read("leads") != "none"
	c.Notifications = kind != "integration"
	c.Requests = kind != "integration"
	c.LogActivity = create["activities"] && kind != "integration"
	c.Documents = kind != "integration" && read("documents") != "" && read("documents") != "none"
	c.Reports = reportsAllowed(read("reports"), kind)
	c.Dashboard = c.Reports && kind == "internal" && read("reports") == "all"
	c.ROI = c.Dashboard
	c.Accounts = kind != "integration" && read("accounts") != "" && read("accounts") != "none"
	c.CreateAccounts = c.Accounts && create["accounts"]
	dealCaps(&c, kind, read("opportunities"), update("opportunities"), create["opportunities"])
	switch kind {
	case "partner":
		c.Inbox = c.Leads
		c.Figures = read("reports") == "org"
		c.Team = read("users") == "org"
		c.Certificates = update("partners") == "org"
	case "internal":
		c.Pool = read("leads") == "pool" || read("leads") == "all"
		c.Board = wide(read("leads")) && wide(update("leads"))
		c.Partners = read("partners") != "" && read("partners") != "none"
		c.Users = wide(read("users"))
		c.ManageUsers = update("users") == "all"
		c.InviteUsers = c.Users && create["users"]
		c.ManageDocs = c.Documents && create["documents"]
		c.NewPartners = c.Partners && create["partners"]
		c.Matrix = role == roles.Admin
		c.AccessReview = role == roles.Admin
		c.Grants = role == roles.Admin
		c.Approvals = role == roles.Admin || role == roles.ChannelManager
		c.Integrations = role == roles.Admin
		c.Security = role == roles.Admin
		c.Campaigns = create["campaigns"]
		c.CertRules = role == roles.Admin
		c.Audit = read("audit_log") != "" && read("audit_log") != "none"
		c.Book = c.Accounts && read("opportunities") == "own"
		c.NewLead = create["leads"]
		c.Import = create["leads"] && wide(read("leads"))
	}
	return c
}

// menuItem is one entry of the navigation.
type menuItem struct {
	Key, Path, Label string
}

func menuFor(c caps) []menuItem {
	var m []menuItem
	add := func(ok bool, key, path string) {
		if ok {
			m = append(m, menuItem{Key: key, Path: path, Label: "menu." + key})
		}
	}
	add(c.Dashboard, "dashboard", "/dashboard")
	add(c.Inbox, "inbox", "/inbox")
	add(c.Inbox, "agenda", "/agenda")
	add(c.Board, "board", "/board")
	add(c.Pool, "pool", "/pool")
	add(c.Accounts, "accounts", "/accounts")
	add(c.Leads, "leads", "/leads")
	add(c.Board, "conflicts", "/conflicts")
	add(c.NewLead, "lead_new", "/leads/new")
	add(c.Import, "lead_import", "/leads/import")
	add(c.Team, "team", "/team")
	add(c.Registrations, "registrations", "/registrations")
	add(c.Deals, "opportunities", "/opportunities")
	add(c.Figures, "figures", "/figures")
	add(c.Reports, "reports", "/reports")
	add(c.ROI, "roi", "/reports/roi")
	add(c.Partners, "partners", "/partners")
	add(c.Users, "users", "/users")
	add(c.Approvals, "approvals", "/approvals")
	add(c.CertRules, "cert_rules", "/certificate-rules")
	add(c.Matrix, "matrix", "/matrix")
	add(c.Audit, "audit", "/audit")
	add(c.AccessReview, "access_review", "/access-review")
	add(c.Grants, "grants", "/grants")
	add(c.Certificates, "certificates", "/certificates")
	add(c.Integrations, "integrations", "/integrations")
	add(c.Security, "security", "/security")
	add(c.Campaigns, "campaigns", "/campaigns")
	add(c.Documents, "documents", "/documents")
	add(c.Notifications, "notifications", "/notifications")
	return m
}

// mwNeed answers 404 to a page the role may not use (the menu does not
// show it either).
func (h *handlers) mwNeed(name string, ok func(caps) bool) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUINeed" + name, Func: func(e *core.RequestEvent) error {
		if s := sess(e); s == nil || !ok(s.caps) {
			return errNotFound
		}
		return e.Next()
	}}
}

// home sends the user to the first page of their menu (the dashboard for
// management, the inbox for partners, the board for channel managers…).
func (h *handlers) home(e *core.RequestEvent) error {
	m := menuFor(sess(e).caps)
	if len(m) == 0 {
		return errForbidden
	}
	return e.Redirect(303, m[0].Path)
}
