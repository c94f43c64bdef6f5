package ui

import (
	"bytes"
	"encoding/json"
	"github.com/relais/relais/hooks/reports"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/agenda"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/sessions"
	"github.com/relais/relais/hooks/webhooks"
)

// sampleData gives every view data with each optional block filled, so
// that rendering exercises every template path that can fail.
func sampleData(t *testing.T, view string) viewData {
	tr, err := newTranslator()
	require.NoError(t, err)
	p := &page{locale: tr.locale("en"), UserID: "u1", UserName: "Ada", Role: "admin", Kind: "internal", CSRF: "tok", Now: time.Now(),
		Menu: menuFor(caps{Leads: true, Board: true, Matrix: true}), Active: "leads", Flash: "hello",
		Caps: caps{Notifications: true}, Unread: 2}
	l := leadView{ID: "l1", Company: "ACME", Status: "offered", Segment: "farm", Internal: true, Held: true, ConflictKind: "lead",
		AppointmentAt: types.NowDateTime(), AppointmentPostalCode: "35000", AppointmentCity: "Rennes"}
	switch view {
	case "login":
		return &loginPage{page: p, Error: "no"}
	case "error":
		return &errorPage{page: p, Status: 404, Message: "not found"}
	case "forgot_password":
		return &forgotPage{page: p, Email: "a@b.c", Error: "no"}
	case "reset_password":
		return &resetPage{page: p, Token: "t", Email: "a@b.c", Error: "no"}
	case "profile":
		return &profilePage{page: p, Editable: true, Name: "Ada", Locale: "en", MailOff: []string{"offer"}, MailKinds: []string{"offer", "offer_reminder"},
			Devices: []deviceView{{Device: sessions.Device{Via: "ui", IP: "127.0.0.1", Current: true}, Label: "Firefox"}}, ProfileError: "x", PasswordError: "y",
			MFAChoice: true, MFAOn: true, MFAError: "z"}
	case "inbox":
		return &inboxPage{page: p, Offers: []offerCard{{page: p, Lead: l, State: "open", Colleagues: []option{{"u2", "Bob"}}, Reasons: []option{{"zone", "Z"}}},
			{page: p, Lead: l, State: "accepted", Contact: &contactView{Email: "a@b.c"}}, {page: p, Lead: l, State: "declined"}, {page: p, Lead: l, State: "closed", Error: "late"}}}
	case "leads":
		return &leadsPage{page: p, Leads: []leadView{l}, Statuses: []string{"new"}, PageNo: 2, Prev: "/leads?page=1", Next: "/leads?page=3"}
	case "lead":
		return &leadPage{page: p, Lead: l, Contact: &contactView{Email: "a@b.c", AppointmentStreet: "1 rue X", AppointmentWith: "Anne"}, CanICS: true, Activities: []activityView{{Kind: "call", Internal: true, Recording: "a1"}},
			Reassign: &reassignForm{Partners: []option{{"p", "P"}}, Partner: "p", Reason: "r", Error: "x"}, Deal: &leadDeal{CanOpen: true, Error: "x"},
			Offers: []offerView{{Partner: "P"}}, Terms: []termsView{{Margin: 20}}, Targets: []string{"won"}, CanQualify: true, CanLog: true, CanAccept: true,
			Colleagues: []option{{"u", "U"}}, Segments: segments, Sizes: companySizes, ActKinds: activityKinds,
			Form: activityForm{Errors: map[string]string{"summary": "x"}, Saved: true}, StatusForm: statusForm{Errors: map[string]string{"status": "x"}},
			Arbitration: &arbitrationView{Kind: "lead", Other: &conflictSide{ID: "l0", Link: "/leads/l0", Lead: &l}, Holder: "P", HolderID: "p",
				Keys: []distribution.MatchedKey{{Kind: "email", Value: "a@b.c"}}, Actions: distribution.ArbitrationActions(), Action: "merge", Reason: "r", Error: "x", CanAssign: true}}
	case "conflicts":
		return &conflictsPage{page: p, Leads: []leadView{l}, Total: 60, Page: 2, Pages: 3, Prev: "/conflicts?page=1", Next: "/conflicts?page=3"}
	case "help":
		p.Guide, p.GuideOnce = "<ol><li>step</li></ol>", true
		return &helpPage{page: p, Help: "<h1>Help</h1>"}
	case "documents":
		docs := []docView{{ID: "d", Title: "T", File: "f.pdf", Tiers: []string{"pilot"}, Kinds: []string{"installer"}, CanEdit: true, Sensitive: true, Category: "guide"}}
		return &documentsPage{page: p, Docs: docs, Groups: groupDocs(docs), Categories: documentCategories, Partner: "p", PartnerName: "P"}
	case "notifications":
		return &notificationsPage{page: p, Unread: 1, Items: []notificationView{{ID: "n", Title: "T", Link: "/notifications/n/open", Lead: true, Body: "a\nb"}}}
	case "figures":
		rp := &reportPage{page: p, Tab: "figures", Periods: []string{"month", "year"}, HasFilter: true, Filter: reportFilter{Period: "year"}}
		return &figuresPage{reportPage: rp, ByStatus: []statusCount{{"won", 3}}, Row: reports.ScorecardRow{Offered: 4, Accepted: 3, Won: 1, ConversionPct: 33.3}}
	case "pool":
		return &poolPage{page: p, Leads: []leadView{l}, Statuses: []string{"new"}, Next: "?page=2"}
	case "board":
		sec := boardSection{ID: "ready", Leads: []leadView{l}, Total: 60, Page: 2, Pages: 3, Prev: "/board?ready=1", Next: "/board?ready=3"}
		return &boardPage{page: p, Ready: sec, Waiting: sec, Pending: sec, Answers: []answerView{{LeadID: "l1", Lead: l}}, Conflicts: sec,
			Territories: []territoryOption{{ID: "t", Name: "T"}}, Filter: boardFilter{Territory: "t", MinScore: 50},
			HasConflicts: true, AssignError: "no", AssignLead: "l1"}
	case "reassign":
		return &reassignPage{page: p, Leads: []leadView{l}, Partners: []option{{"p", "P"}}, Partner: "p"}
	case "partners":
		return &partnersPage{page: p, Partners: []partnerRow{{ID: "p", Name: "P"}}}
	case "partner":
		return &partnerPage{page: p, Partner: partnerRow{ID: "p", Status: "active"}, Users: []userRow{{Name: "U"}}, CanStatus: true, Segments: []string{"farm"}, Error: "x",
			Certs: sampleCerts()}
	case "certificates":
		return &certificatesPage{page: p, Certs: sampleCerts()}
	case "users":
		return &usersPage{page: p, Users: []userRow{{ID: "u", Active: true, CanToggle: true, Error: "x"}}, Next: "/users?page=2"}
	case "matrix":
		c := matrixCell{page: p, ID: "c", Role: "admin", Resource: "leads", Read: "all", Update: "all", Del: "none", Levels: []string{"none", "all"}, Error: "bad"}
		return &matrixPage{page: p, Resources: []string{"leads"}, Cells: map[string]map[string]matrixCell{"leads": {"admin": c}}}
	case "access_review":
		item := reviewItemView{ID: "i", Access: governance.ReviewRow{Email: "a@b.c", Flags: []string{"inactive"}, Territories: []string{"35"}, Grants: []governance.ReviewGrant{{Kind: "export", Resource: "leads"}}},
			CampaignOpen: true, Error: "x", FormDecision: "change", FormNote: "n"}
		decided := reviewItemView{ID: "j", Decision: "keep", Note: "ok", Reviewer: "Ada", DecidedAt: types.NowDateTime()}
		return &accessReviewPage{page: p, Rows: []governance.ReviewRow{{Account: "user", Email: "a@b.c", Flags: []string{"inactive"}, LastLogin: "2026-01-02 10:00:00.000Z",
			Grants: []governance.ReviewGrant{{Kind: "territory", Expires: "2026-03-01 10:00:00.000Z"}}}},
			Campaign: &campaignView{ID: "c", Period: "2026-Q1", Status: "open", OpenedAt: types.NowDateTime(), ClosedAt: types.NowDateTime(), Decided: 1, Total: 3,
				Items: []reviewItemView{item, decided, {ID: "k", Own: true}}}, CanOpen: true, Period: "2026-Q2",
			Lapsed: []certificates.LapsedPartner{{ID: "p", Name: "P", Kinds: []string{"rge_qualipv"}}}}
	case "access_requests":
		now := types.NowDateTime()
		return &requestsPage{page: p, Requests: []requestView{{ID: "r", Kind: "export", What: "Leads", Status: "approved", Expires: now, UsedAt: now},
			{ID: "s", Kind: "territory", Status: "rejected", Reason: "no", Details: "d"}, {ID: "t", Status: "pending"}},
			Running:   []grantView{{ID: "g", Kind: "export", Resource: "leads", Expires: now, Running: true}, {ID: "h", Kind: "territory", What: "Bretagne"}},
			Ended:     []grantView{{ID: "e", Kind: "export", UsedAt: now}, {ID: "f", EndedAt: now}, {ID: "x"}},
			Resources: []option{{"leads", "Leads"}}, Territories: []option{{"t", "T"}}, Form: requestForm{Kind: "territory"}, FormError: "x"}
	case "approvals":
		return &approvalsPage{page: p, Items: []approvalView{{ID: "r", Kind: "export", What: "Leads", Details: "d", Requester: governance.Requester{Name: "N", Partner: "P"}, Error: "x", Days: "1"}}}
	case "grants":
		now := types.NowDateTime()
		return &grantsPage{page: p, Running: []grantView{{ID: "g", Kind: "export", Resource: "leads", Expires: now, Running: true, UserName: "U"}},
			Ended:     []grantView{{ID: "e", Kind: "territory", What: "T", UsedAt: now}, {ID: "f", EndedAt: now}},
			Resources: []option{{"leads", "Leads"}}, Territories: []option{{"t", "T"}}, Form: grantForm{Kind: "export", Days: "1"}, FormError: "x"}
	case "integrations":
		row := integrationRow{ID: "u", Name: "CRM", Email: "c@x.test", Keys: []keyRow{{ID: "k", Name: "K", Scopes: []string{"ingest"}, Revoked: "2026-01-01 00:00:00.000Z"}, {ID: "k2", LastUsed: "2026-01-01 00:00:00.000Z"}},
			Endpoint: webhooks.Endpoint{URL: "https://x.test", Active: true}, HasEndpoint: true}
		return &integrationsPage{page: p, Rows: []integrationRow{row}, Scopes: []string{"ingest"}, PasswordOff: true, NewKey: "rlk_x", NewSecret: "whsec_x", NewFor: "u", Error: "x", ErrorFor: "u"}
	case "integration_deliveries":
		return &deliveriesPage{page: p, Status: "pending", Rows: []webhooks.Delivery{{ID: "e", Status: "pending", Attempts: 2, LastStatus: 503}, {ID: "e2", Status: "delivered"}}}
	case "audit":
		return &auditPage{page: p, Entries: []auditRow{{Seq: 1, Action: "x"}}, Verify: &verifyResult{page: p, OK: true}}
	case "welcome":
		return &resetPage{page: p, Token: "t", Email: "a@b.c", Error: "x"}
	case "team":
		return &teamPage{page: p, Members: []teamRow{{userRow: userRow{ID: "u", Active: true}, Pending: true, CanManage: true}}, Roles: []option{{"partner_user", "S"}, {"x", "X"}},
			Form: inviteForm{Error: "x", Field: "email"}, Error: "x"}
	case "user_new":
		return &userFormPage{page: p, Form: inviteForm{Error: "x", Territories: []string{"t"}}, Roles: []option{{"admin", "A"}}, Partners: []option{{"p", "P"}}, Territories: []option{{"t", "T"}}}
	case "partner_form":
		return &partnerFormPage{page: p, Form: partnerForm{ID: "p", Territories: []string{"t"}}, Kinds: partnerKinds, Tiers: partnerTiers, Territories: []option{{"t", "T"}}, Contract: true, Error: "x"}
	case "document_form":
		return &documentFormPage{page: p, Form: documentForm{ID: "d", File: "f.pdf", Tiers: []string{"pilot"}}, Categories: documentCategories, Audiences: documentAudiences, Tiers: partnerTiers, Kinds: partnerKinds, Error: "x"}
	case "dashboard", "report_partners", "report_charts", "report_map":
		return sampleReport(p, view)
	case "accounts", "account", "account_new", "lead_new", "lead_import":
		return sampleAccounts(p, view)
	case "registrations", "opportunities", "opportunity":
		return sampleDeals(p, view)
	case "agenda":
		return sampleAgenda(p)
	case "roi", "campaigns", "cert_rules":
		return sampleROI(p, view)
	case "login_code":
		return &loginCodePage{page: p, Next: "/", Step: account.Step{MFA: "m", OTP: "o"}, Email: "a…@b.c", Minutes: 5, Error: "x", Resent: true}
	case "security":
		return &securityPage{page: p, Required: true}
	}
	t.Fatalf("no sample data for view %s", view)
	return nil
}

// sampleCerts is a certificates section with every block filled.
func sampleCerts() certSection {
	return certSection{PartnerID: "p", Status: "lapsed", CanAdd: true, Kinds: []string{"rge_qualipv"}, Error: "x",
		Certs: []certView{{ID: "c", Kind: "rge_qualipv", Number: "N", File: "f.pdf", Status: "valid", CanDelete: true}}}
}

func TestEveryViewRenders(t *testing.T) {
	v, err := parseViews()
	require.NoError(t, err)
	for _, name := range viewNames {
		for _, tpl := range []string{"layout", "content"} {
			var buf bytes.Buffer
			require.NoError(t, v.sets[name].ExecuteTemplate(&buf, tpl, sampleData(t, name)), "%s/%s", name, tpl)
			assert.NotContains(t, buf.String(), "<no value>", "%s/%s", name, tpl)
		}
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	require.NoError(t, err)
	declared := map[string]bool{}
	for _, b := range baseViews {
		declared[b] = true
	}
	for _, n := range viewNames {
		declared[n] = true
		for _, part := range viewParts[n] {
			declared[part] = true
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		assert.True(t, declared[name], "template %s is not a declared view", f)
	}
}

func TestPagesHaveNoInlineScript(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	require.NoError(t, err)
	inline := regexp.MustCompile(`<script(?:[^>]*)>[^<]+</script>|\son[a-z]+=|hx-on|javascript:|style=`)
	for _, f := range files {
		b, err := fs.ReadFile(templateFS, f)
		require.NoError(t, err)
		assert.Empty(t, inline.FindAllString(string(b), -1), "%s: inline script or style breaks the CSP", f)
	}
}

// TestMessagesExistInBothLanguages checks that the French and English
// catalogues have the same ids and that every id the templates and
// handlers use exists.
func TestMessagesExistInBothLanguages(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	en, fr := keys(tr.ids["en"]), keys(tr.ids["fr"])
	assert.Equal(t, en, fr, "fr and en catalogues differ")

	used := regexp.MustCompile(`(?:\.T|T\(|p\.T\()\s*"([a-z0-9_.]+)"`)
	var sources []string
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		sources = append(sources, string(b))
	}
	for _, f := range []string{"account_form.go", "account_children.go", "lead_new.go", "lead_import.go", "session.go", "login.go", "errors.go", "menu.go", "inbox.go", "lead_activity.go", "lead_status.go", "lead_qualify.go", "board.go", "lead_assign.go", "partner.go",
		"reports.go", "dashboard.go", "report_partners.go", "report_charts.go", "report_map.go",
		"access_requests.go", "approvals.go", "grants.go", "export.go", "review_campaign.go",
		"registrations.go", "registration_queue.go", "opportunities.go", "opportunity.go"} {
		b, err := readSource(f)
		require.NoError(t, err)
		sources = append(sources, b)
	}
	for _, src := range sources {
		for _, m := range used.FindAllStringSubmatch(src, -1) {
			id := m[1]
			if strings.HasSuffix(id, ".") {
				continue // a prefix completed at run time
			}
			assert.True(t, tr.ids["en"][id], "message %q is used but missing", id)
		}
	}
	for _, m := range menuFor(caps{Inbox: true, Board: true, Pool: true, Leads: true, Figures: true, Partners: true, Users: true, Matrix: true, Audit: true, AccessReview: true, Documents: true, Notifications: true,
		Reports: true, Dashboard: true, Requests: true, Approvals: true, Grants: true, Accounts: true, NewLead: true, Import: true, Registrations: true, Deals: true}) {
		assert.True(t, tr.ids["en"][m.Label], m.Label)
	}
	for id := range flashIDs {
		assert.True(t, tr.ids["fr"][id], id)
	}
	raw, err := localeFS.ReadFile("locales/active.fr.json")
	require.NoError(t, err)
	var msgs map[string]any
	require.NoError(t, json.Unmarshal(raw, &msgs))
	for id, v := range msgs {
		if s, ok := v.(string); ok {
			assert.NotEmpty(t, strings.TrimSpace(s), id)
		}
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestLocaleFormatsNumbersAndDates(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	fr, en := tr.locale("fr"), tr.locale("en")
	at := time.Date(2026, 11, 22, 13, 5, 0, 0, time.UTC) // 14:05 in Paris
	assert.Equal(t, "22 nov. 2026 14:05", fr.DateTime(at))
	assert.Equal(t, "Nov 22, 2026, 2:05 PM", en.DateTime(at))
	assert.Equal(t, "12\u00a0345\u00a0€", fr.Money(12345))
	assert.Equal(t, "€12,345", en.Money(12345))
	// cents when there are some, never rounded away
	assert.Equal(t, "12\u00a0480,50\u00a0€", fr.Money(12480.5))
	assert.Equal(t, "€12,480.50", en.Money(12480.50))
	assert.Equal(t, "€12,480", en.Money(12480.004))
	assert.Equal(t, "1\u00a0234", fr.Num(1234))
	assert.Equal(t, "dans 3\u00a0h 20\u00a0min", fr.Left(at.Add(200*time.Minute), at))
	assert.Equal(t, "expired 2\u00a0d 1\u00a0h ago", en.Left(at.Add(-49*time.Hour), at))
	assert.Equal(t, "67\u00a0%", fr.Ratio(2, 3))
	assert.Equal(t, "Offers", en.T("inbox.title"))
	assert.Equal(t, "Mark all 3 as read", en.T("notifications.read_all", "Count", 3))
	assert.Equal(t, "Marquer 1 comme lue", fr.T("notifications.read_all", "Count", 1))
}

// sampleAgenda is a week with a booked meeting of an offered lead and an
// accepted one's, one on a day that is today.
func sampleAgenda(p *page) *agendaPage {
	now := time.Now()
	start := weekStart(now, time.UTC)
	m := agenda.Meeting{LeadID: "l1", At: now, Booked: true, Status: "offered", Company: "ACME", PostalCode: "35000", City: "Rennes"}
	m2 := agenda.Meeting{LeadID: "l2", At: now, Status: "accepted", Private: true, Name: "Anne", Street: "1 rue X", With: "Anne", Accepted: true}
	return &agendaPage{page: p, Start: start, End: start.AddDate(0, 0, 6), Prev: "2026-01-01", Next: "2026-01-15", ThisWeek: "2026-01-08", Count: 2,
		Days: []agendaDay{{Key: "k", Date: now, Today: true, Meetings: []agendaItem{{Meeting: m, Lead: leadView{ID: "l1", Company: "ACME"}}, {Meeting: m2, Lead: leadView{ID: "l2", Private: true, Name: "Anne"}}}}, {Key: "k2", Date: now}}}
}
