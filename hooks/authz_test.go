package hooks_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/policy"
)

// expected is the reference scenario written out by hand (SPEC §3),
// independent of the compiler: for each default role and each resource, the
// outcome of list, view, update, delete and create on a record of the
// role's own scope and on a foreign one.
//
//	B = allowed on own and foreign, O = own only, - = neither.
//
// "reports" has no collection: its rows are checked by the report routes.
var expected = map[string]map[string]string{
	"admin": {
		"leads": "BBBBB", "lead_contacts": "BBBBB", "deal_terms": "BBBBB", "accounts": "BBBBB", "contacts": "BBBBB",
		"opportunities": "BBBBB", "activities": "BBBBB", "documents": "BBBBB", "campaigns": "BBBBB", "tickets": "BBBBB",
		"partners": "BBBBB", "audit_log": "BB---", "users": "BBBBB",
	},
	"channel_manager": {
		"leads": "OOO-B", "lead_contacts": "OOO-O", "deal_terms": "-----", "accounts": "OOO-B", "contacts": "OOO-O",
		"opportunities": "OOO-O", "activities": "OOOOO", "documents": "BBB-B", "campaigns": "BB---", "tickets": "OOO-O",
		"partners": "BBO--", "audit_log": "-----", "users": "OO---",
	},
	"sales": {
		"leads": "OOO-B", "lead_contacts": "OOO-O", "deal_terms": "-----", "accounts": "OOO-B", "contacts": "OOO-O",
		"opportunities": "OOO-O", "activities": "OOOOO", "documents": "BB---", "campaigns": "BB---", "tickets": "OOO-O",
		"partners": "BB---", "audit_log": "-----", "users": "OOO--",
	},
	"teleoperator": {
		"leads": "OOO-B", "lead_contacts": "OOO-O", "deal_terms": "-----", "accounts": "-----", "contacts": "-----",
		"opportunities": "-----", "activities": "OOOOO", "documents": "BB---", "campaigns": "BB---", "tickets": "-----",
		"partners": "-----", "audit_log": "-----", "users": "OOO--",
	},
	"partner_manager": {
		"leads": "OOO--", "lead_contacts": "OOO--", "deal_terms": "-----", "accounts": "OOO-O", "contacts": "OOO-O",
		"opportunities": "OOO-O", "activities": "OOOOO", "documents": "OO---", "campaigns": "-----", "tickets": "-----",
		"partners": "OOO--", "audit_log": "-----", "users": "OOO--",
	},
	"partner_user": {
		"leads": "OOO--", "lead_contacts": "OOO--", "deal_terms": "-----", "accounts": "OO--O", "contacts": "OO--O",
		"opportunities": "OOO--", "activities": "OOOOO", "documents": "OO---", "campaigns": "-----", "tickets": "-----",
		"partners": "OO---", "audit_log": "-----", "users": "OOO--",
	},
	"integration": {
		"leads": "OOO-B", "lead_contacts": "OOO-O", "deal_terms": "-----", "accounts": "-----", "contacts": "-----",
		"opportunities": "-----", "activities": "OOO-O", "documents": "-----", "campaigns": "-----", "tickets": "-----",
		"partners": "-----", "audit_log": "-----", "users": "OO---",
	},
}

var actions = []string{"list", "view", "update", "delete", "create"}

// fixture is what one (role, resource) pair is tested on.
type fixture struct {
	own, foreign             *core.Record
	update                   map[string]any
	createOwn, createForeign map[string]any
}

// ownLead and foreignLead give each role a lead inside and outside its scope.
func ownLead(role string) leadShape {
	switch role {
	case "channel_manager":
		return leadShape{territory: "T1", status: "ready", createdBy: "teleoperator"}
	case "sales":
		return leadShape{assignee: "sales", territory: "T2", status: "contacted", createdBy: "teleoperator"}
	case "teleoperator":
		return leadShape{territory: "T2", status: "qualifying", createdBy: "integration"}
	case "partner_manager", "partner_user":
		return leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"}
	case "integration":
		return leadShape{territory: "T2", status: "new", createdBy: "integration"}
	}
	return leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted", createdBy: "teleoperator"}
}

func foreignLead(role string) leadShape {
	switch role {
	case "channel_manager":
		return leadShape{territory: "T2", status: "ready", createdBy: "teleoperator"}
	case "sales":
		return leadShape{assignee: "sales2", territory: "T2", status: "contacted", createdBy: "teleoperator"}
	case "teleoperator":
		return leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "offered", createdBy: "integration"}
	case "integration":
		return leadShape{territory: "T2", status: "new", createdBy: "teleoperator"}
	}
	return leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted", createdBy: "teleoperator"}
}

// account shapes: partner, owner, territory
func (w *world) account(role string, own bool) *core.Record {
	f := map[string]any{"name": "Compte " + w.next()}
	switch {
	case role == "channel_manager" || role == "teleoperator" || role == "integration":
		f["territory"] = map[bool]string{true: w.T1, false: w.T2}[own]
	case role == "sales":
		f["owner"] = w.uid(map[bool]string{true: "sales", false: "sales2"}[own])
	case strings.HasPrefix(role, "partner"):
		f["partner"] = map[bool]string{true: w.P1, false: w.P2}[own]
	default:
		f["partner"] = map[bool]string{true: w.P2, false: w.P1}[own]
	}
	return w.mk("accounts", f)
}

func (w *world) fixture(role, resource string) fixture {
	me := w.users[role]
	ol, fl := w.lead(ownLead(role)), w.lead(foreignLead(role))
	isPartner := strings.HasPrefix(role, "partner")
	switch resource {
	case "leads":
		body := map[string]any{"company": "Nouvelle SARL " + w.next(), "status": "new", "country": "FR", "postal_code": "35000"}
		return fixture{own: ol, foreign: fl, update: map[string]any{"estimated_value": 12345}, createOwn: body, createForeign: body}
	case "lead_contacts":
		return fixture{own: w.contactOf(ol, "own@x.test"), foreign: w.contactOf(fl, "foreign@x.test"), update: map[string]any{"title": "Gérant"},
			createOwn:     map[string]any{"lead": w.lead(ownLead(role)).Id, "first_name": "A"},
			createForeign: map[string]any{"lead": w.lead(foreignLead(role)).Id, "first_name": "B"}}
	case "deal_terms":
		return fixture{own: w.mk("deal_terms", map[string]any{"lead": ol.Id, "margin_pct": 22}), foreign: w.mk("deal_terms", map[string]any{"lead": fl.Id, "margin_pct": 31}),
			update: map[string]any{"conditions": "x"}, createOwn: map[string]any{"lead": ol.Id, "margin_pct": 10}, createForeign: map[string]any{"lead": fl.Id, "margin_pct": 10}}
	case "accounts":
		co, cf := map[string]any{"name": "Acc " + w.next()}, map[string]any{"name": "Acc " + w.next()}
		if isPartner {
			co["partner"], cf["partner"] = w.P1, w.P2
		}
		return fixture{own: w.account(role, true), foreign: w.account(role, false), update: map[string]any{"city": "Brest"}, createOwn: co, createForeign: cf}
	case "contacts":
		ao, af := w.account(role, true), w.account(role, false)
		return fixture{own: w.mk("contacts", map[string]any{"account": ao.Id, "last_name": "Own"}), foreign: w.mk("contacts", map[string]any{"account": af.Id, "last_name": "Foreign"}),
			update: map[string]any{"title": "DAF"}, createOwn: map[string]any{"account": ao.Id, "last_name": "N1"}, createForeign: map[string]any{"account": af.Id, "last_name": "N2"}}
	case "opportunities":
		ao, af := w.account(role, true), w.account(role, false)
		fo := map[string]any{"account": ao.Id, "stage": "qualified", "partner": ao.GetString("partner"), "territory": ao.GetString("territory")}
		ff := map[string]any{"account": af.Id, "stage": "qualified", "partner": af.GetString("partner"), "territory": af.GetString("territory")}
		if role == "partner_user" {
			fo["registered_by"], ff["registered_by"] = me.Id, w.uid("pu2")
		}
		co := map[string]any{"account": ao.Id, "stage": "prospecting", "name": "Opp " + w.next()}
		cf := map[string]any{"account": af.Id, "stage": "prospecting", "name": "Opp " + w.next()}
		if isPartner {
			co["partner"], cf["partner"] = w.P1, w.P2
		}
		return fixture{own: w.mk("opportunities", fo), foreign: w.mk("opportunities", ff), update: map[string]any{"amount": 1000}, createOwn: co, createForeign: cf}
	case "activities":
		otherAuthor := map[bool]string{true: "pu2", false: "sales2"}[role != "sales"]
		return fixture{
			own:       w.mk("activities", map[string]any{"lead": ol.Id, "kind": "call", "summary": "own", "author": me.Id}),
			foreign:   w.mk("activities", map[string]any{"lead": fl.Id, "kind": "call", "summary": "foreign", "author": w.uid(otherAuthor)}),
			update:    map[string]any{"outcome": "rappeler"},
			createOwn: map[string]any{"lead": ol.Id, "kind": "note", "summary": "n1"}, createForeign: map[string]any{"lead": fl.Id, "kind": "note", "summary": "n2"}}
	case "documents":
		body := map[string]any{"title": "Brochure " + w.next(), "audience": "internal"}
		return fixture{own: w.mk("documents", map[string]any{"title": "Catalogue", "audience": "all_partners"}), foreign: w.mk("documents", map[string]any{"title": "Grille de marges", "audience": "internal"}),
			update: map[string]any{"title": "x"}, createOwn: body, createForeign: body}
	case "campaigns":
		body := map[string]any{"name": "Campagne " + w.next()}
		return fixture{own: w.mk("campaigns", map[string]any{"name": "C1"}), foreign: w.mk("campaigns", map[string]any{"name": "C2"}), update: map[string]any{"name": "x"}, createOwn: body, createForeign: body}
	case "tickets":
		ao, af := w.account(role, true), w.account(role, false)
		return fixture{own: w.mk("tickets", map[string]any{"subject": "own", "account": ao.Id}), foreign: w.mk("tickets", map[string]any{"subject": "foreign", "account": af.Id}),
			update: map[string]any{"subject": "x"}, createOwn: map[string]any{"subject": "n1", "account": ao.Id}, createForeign: map[string]any{"subject": "n2", "account": af.Id}}
	case "partners":
		own, foreign := w.P1, w.P2
		body := map[string]any{"name": "Nouveau " + w.next(), "kind": "installer", "tier": "pilot", "status": "active"}
		if role == "admin" {
			own = w.mk("partners", map[string]any{"name": "Tmp " + w.next(), "kind": "reseller", "tier": "pilot", "status": "active"}).Id
			foreign = w.mk("partners", map[string]any{"name": "Tmp " + w.next(), "kind": "reseller", "tier": "pilot", "status": "active"}).Id
		}
		po, _ := w.app.FindRecordById("partners", own)
		pf, _ := w.app.FindRecordById("partners", foreign)
		return fixture{own: po, foreign: pf, update: map[string]any{"notify_email": "contact@soleil.test"}, createOwn: body, createForeign: body}
	case "audit_log":
		entry := func(actor string) *core.Record {
			require.NoError(w.t, audit.Append(w.app, audit.Actor{ID: actor}, "test."+w.next(), "leads", "", nil))
			last, err := w.app.FindFirstRecordByFilter("audit_log", "seq > 0", nil)
			require.NoError(w.t, err)
			require.NoError(w.t, w.app.DB().NewQuery("SELECT id FROM audit_log ORDER BY seq DESC LIMIT 1").Row(&last.Id))
			return last
		}
		body := map[string]any{"seq": 99999, "at": w.now(), "action": "forged"}
		return fixture{own: entry(me.Id), foreign: entry(w.uid("pu2")), update: map[string]any{"action": "forged"}, createOwn: body, createForeign: body}
	case "users":
		own, foreign := me, w.users["pu2"]
		switch role {
		case "admin":
			own, foreign = w.addUser("tmp"+w.next(), "sales", ""), w.addUser("tmp"+w.next(), "partner_user", "P2")
		case "channel_manager":
			own = w.users["partner_user_b"] // a user of a partner in T1
		}
		mkBody := func() map[string]any {
			return map[string]any{"email": "new" + w.next() + "@world.test", "password": "secret-pass-123", "passwordConfirm": "secret-pass-123", "role": "sales", "active": true}
		}
		return fixture{own: own, foreign: foreign, update: map[string]any{"name": "Renamed"}, createOwn: mkBody(), createForeign: mkBody()}
	}
	w.t.Fatalf("no fixture for %s", resource)
	return fixture{}
}

func url(resource string, id ...string) string {
	u := "/api/collections/" + resource + "/records"
	if len(id) > 0 {
		u += "/" + id[0]
	}
	return u
}

// outcome runs one action and reports (own allowed, foreign allowed).
func (w *world) outcome(role, resource, action string, f fixture) (bool, bool) {
	tok := w.tokens[role]
	c := w.client
	switch action {
	case "list":
		res := c.Do(http.MethodGet, url(resource)+"?perPage=500&skipTotal=1", tok, nil)
		if res.Status == http.StatusForbidden {
			return false, false
		}
		require.Equal(w.t, http.StatusOK, res.Status, res.Body)
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		res.JSON(w.t, &page)
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		return slices.Contains(ids, f.own.Id), slices.Contains(ids, f.foreign.Id)
	case "view":
		ok := func(id string) bool {
			res := c.Do(http.MethodGet, url(resource, id), tok, nil)
			require.Contains(w.t, []int{200, 403, 404}, res.Status, res.Body)
			return res.Status == 200
		}
		return ok(f.own.Id), ok(f.foreign.Id)
	case "update":
		ok := func(id string) bool {
			res := c.Do(http.MethodPatch, url(resource, id), tok, f.update)
			require.Contains(w.t, []int{200, 400, 403, 404}, res.Status, res.Body)
			return res.Status == 200
		}
		return ok(f.own.Id), ok(f.foreign.Id)
	case "delete":
		ok := func(id string) bool {
			res := c.Do(http.MethodDelete, url(resource, id), tok, nil)
			require.Contains(w.t, []int{204, 400, 403, 404}, res.Status, res.Body)
			return res.Status == 204
		}
		return ok(f.own.Id), ok(f.foreign.Id)
	case "create":
		ok := func(body map[string]any) bool {
			res := c.Do(http.MethodPost, url(resource), tok, body)
			require.Contains(w.t, []int{200, 400, 403}, res.Status, "%s %s create: %s", role, resource, res.Body)
			if res.Status == 400 && !strings.Contains(res.Body, access.CodeUnknownRelation) {
				// a refusal, not a malformed fixture: the create rule failed
				// (or a relation names a record out of the role's reach,
				// relations.go: a channel manager's opportunity on an account
				// of another territory)
				require.Contains(w.t, res.Body, "Failed to create record", "%s %s create: %s", role, resource, res.Body)
			}
			return res.Status == 200
		}
		return ok(f.createOwn), ok(f.createForeign)
	}
	w.t.Fatalf("unknown action %s", action)
	return false, false
}

func symbol(own, foreign bool) byte {
	switch {
	case own && foreign:
		return 'B'
	case own:
		return 'O'
	case !own && !foreign:
		return '-'
	}
	return 'F' // foreign without own: always a finding
}

// TestAuthorizationMatrix checks every default role × every resource × the
// five actions, on an own and a foreign record, through the REST API.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	roles := policy.DefaultRoles()
	require.Len(t, expected, len(roles), "every default role needs its row")
	cells := 0
	var failures []string
	for _, role := range roles {
		row, ok := expected[role.ID]
		require.True(t, ok, "role %s has no row in the expected table", role.ID)
		for _, resource := range policy.Resources() {
			if resource == "reports" {
				continue // no collection: covered by the report route tests
			}
			want, ok := row[resource]
			require.True(t, ok, "role %s has no expectation for resource %s", role.ID, resource)
			require.Len(t, want, len(actions))
			f := w.fixture(role.ID, resource)
			got := make([]byte, len(actions))
			for i, action := range actions {
				own, foreign := w.outcome(role.ID, resource, action, f)
				got[i] = symbol(own, foreign)
				cells += 2
			}
			if string(got) != want {
				failures = append(failures, fmt.Sprintf("%-16s %-14s want %s got %s", role.ID, resource, want, got))
			}
		}
	}
	require.Empty(t, failures, "cells (list view update delete create):\n%s", strings.Join(failures, "\n"))
	t.Logf("authorization matrix: %d roles × %d resources × %d actions × own/foreign = %d cells", len(roles), len(policy.Resources())-1, len(actions), cells)
}
