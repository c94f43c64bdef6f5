package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/internal/testapp"
)

// The per-caller rules (access.SpecializeRule, api/list_rules.go) must not
// change a single byte of any answer. These differential tests ask the same
// questions with the specialization on and off (PocketBase's own handler
// with the stored rules) and compare the whole answers: every role of the
// world, the accounts in the states a rule tests (deactivated, expired,
// suspended partner, channel managers with and without live or expired
// territory grants), every collection with a ListRule, and generated
// query shapes: no filter, own fields, relation paths, back-relations,
// the oracle's paths and operators, sorts, expand, fields, pages,
// skipTotal.

// listRuleWorld is the oracle's world plus the accounts in special states.
func listRuleWorld(t *testing.T) *world {
	w := newWorld(t)
	populateOracleWorld(w)
	day := func(d int) types.DateTime {
		v, _ := types.ParseDateTime(time.Now().UTC().Add(time.Duration(d) * 24 * time.Hour))
		return v
	}
	p3 := w.mk("partners", map[string]any{"name": "Suspendu SA", "kind": "installer", "tier": "standard", "status": "active", "territories": []string{w.T2}}).Id
	w.addUser("pm_suspended", "partner_manager", p3)
	w.addUser("pu_suspended", "partner_user", p3)
	w.lead(leadShape{partner: p3, assignee: "pu_suspended", territory: "T2", status: "accepted", createdBy: "teleoperator"})
	w.addUser("inactive", "admin", "")
	w.addUser("expired", "sales", "")
	w.lead(leadShape{assignee: "expired", territory: "T2", status: "new"})
	for _, cm := range []string{"cm_grant", "cm_expired_grant", "cm_none", "cm_both", "cm_two", "cm_overlap", "cm_kind", "cm_nostart"} {
		w.addUser(cm, "channel_manager", "")
	}
	w.grantOf(w.uid("cm_grant"), "territory", w.T2, day(-2), day(5), "Renfort")
	w.grantOf(w.uid("cm_both"), "territory", w.T2, day(-2), day(5), "Renfort")
	w.grantOf(w.uid("cm_expired_grant"), "territory", w.T2, day(-9), day(-1), "Fini")
	w.grantOf(w.uid("cm_none"), "territory", w.T2, day(2), day(9), "Bientôt")
	// grants on two territories, overlapping the own territories, of
	// another kind, without a start, and another user's grant on a
	// territory the holder of the other kind's grant does not manage
	grant := func(key, kind, territory string, starts types.DateTime, expires int) {
		w.grantOf(w.uid(key), kind, territory, starts, day(expires), "Cas")
	}
	grant("cm_two", "territory", w.T1, day(-1), 3)
	grant("cm_two", "territory", w.T2, day(-3), 1)
	grant("cm_two", "territory", w.T2, day(-30), -20)
	grant("cm_overlap", "territory", w.T1, day(-1), 3)
	grant("cm_overlap", "export", w.T2, day(-1), 3)
	grant("cm_kind", "export", w.T2, day(-1), 3)
	grant("cm_nostart", "territory", w.T2, types.DateTime{}, 3)
	set := func(key string, fields map[string]any) {
		u, err := w.app.FindRecordById("users", w.uid(key))
		require.NoError(t, err)
		for k, v := range fields {
			u.Set(k, v)
		}
		require.NoError(t, w.app.SaveNoValidate(u))
		w.users[key] = u
	}
	for _, cm := range []string{"cm_grant", "cm_expired_grant", "cm_none", "cm_two", "cm_kind", "cm_nostart"} {
		set(cm, map[string]any{"territories": []string{}})
	}
	set("inactive", map[string]any{"active": false})
	set("expired", map[string]any{"access_expires": day(-1)})
	partner, err := w.app.FindRecordById("partners", p3)
	require.NoError(t, err)
	partner.Set("status", "suspended")
	require.NoError(t, w.app.SaveNoValidate(partner))
	// fresh tokens after the changes (a deactivation rotates the token key:
	// those get 401 both ways, and the read path below still asks for them)
	for key := range w.users {
		u, err := w.app.FindRecordById("users", w.uid(key))
		require.NoError(t, err)
		w.users[key] = u
		w.tokens[key] = testapp.Token(t, w.app, u)
	}
	return w
}

// listRuleCollections are the collections with a ListRule a user may pass.
func listRuleCollections(t *testing.T, app core.App) []*core.Collection {
	all, err := app.FindAllCollections()
	require.NoError(t, err)
	var out []*core.Collection
	for _, c := range all {
		if c.ListRule != nil && *c.ListRule != "" && !strings.HasPrefix(c.Name, "_") {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// listShapes generates the query strings asked of one collection.
func listShapes(t *testing.T, app core.App, c *core.Collection) []string {
	q := func(kv ...string) string {
		v := neturl.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	out := []string{"", q("sort", "-created,id"), q("sort", "created,id"), q("sort", "id"),
		q("perPage", "2", "page", "2", "sort", "-created,id"), q("perPage", "1", "page", "3", "sort", "id"),
		q("skipTotal", "1", "sort", "id"), q("fields", "id,created", "sort", "-id"), q("perPage", "500", "sort", "id"),
		q("filter", "id != ''", "sort", "id"), q("filter", "created > '2000-01-01'", "sort", "-id"),
		q("filter", "id = 'nothing'")}
	n := 0
	for _, f := range c.Fields {
		if f.GetHidden() || f.GetName() == core.FieldNameId {
			continue
		}
		name := f.GetName()
		switch f.Type() {
		case core.FieldTypeText, core.FieldTypeSelect, core.FieldTypeEmail:
			if n < 4 {
				out = append(out, q("filter", name+" != ''", "sort", name+",id"), q("filter", name+" ~ 'a'", "sort", "-"+name+",id"))
				n++
			}
		case core.FieldTypeRelation:
			rf := f.(*core.RelationField)
			out = append(out, q("filter", name+" != ''", "sort", "id"), q("expand", name, "sort", "id"))
			if rf.MaxSelect == 1 {
				out = append(out, q("filter", name+".created > '2000-01-01'", "sort", name+".created,id"), q("filter", name+".id = ''", "sort", "id"))
			} else {
				out = append(out, q("filter", name+":each != ''", "sort", "id"), q("filter", name+":length > 0", "sort", "id"), q("filter", name+" ?= ''", "sort", "id"))
			}
		}
	}
	// back-relations: refused to clients by the filter guard, asked anyway
	all, err := app.FindAllCollections()
	require.NoError(t, err)
	for _, o := range all {
		for _, f := range o.Fields {
			if rf, ok := f.(*core.RelationField); ok && rf.CollectionId == c.Id && !strings.HasPrefix(o.Name, "_") {
				via := o.Name + "_via_" + f.GetName()
				out = append(out, q("filter", via+".id != 'x'", "sort", "id"), q("filter", via+".id ?= 'x'", "sort", "id"),
					q("filter", via+".id ?!= 'x'", "sort", "id"), q("filter", via+":length > 0", "sort", "id"))
				break
			}
		}
	}
	// the oracle's paths (one relation hop, @collection included) and
	// operators, with a value of each kind
	for i, p := range oraclePaths(t, app, c, 1, true) {
		if i%7 != 0 || i > 7*10 {
			continue
		}
		op := oracleOps[i%len(oracleOps)]
		val := `"zz"`
		if p.field.Type() == core.FieldTypeNumber {
			val = "3"
		}
		out = append(out, q("filter", p.path+" "+op+" "+val, "sort", "id"))
	}
	return out
}

// listRuleKeys are the world's accounts, sorted.
func listRuleKeys(w *world) []string {
	keys := make([]string, 0, len(w.users))
	for k := range w.users {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestListRulesDifferentialREST: the REST list answers as PocketBase's
// handler with the stored rule (the same JSON, keys of objects aside), for every account, collection
// and query shape (the order of rows without a total sort is compared as
// a set: neither answer promises one).
func TestListRulesDifferentialREST(t *testing.T) {
	w := listRuleWorld(t)
	colls := listRuleCollections(t, w.app)
	asked, nonEmpty, joinsDropped := 0, 0, 0
	for _, c := range colls {
		shapes := listShapes(t, w.app, c)
		for _, key := range listRuleKeys(w) {
			for _, shape := range shapes {
				u := "/api/collections/" + c.Name + "/records?" + shape
				access.SetRuleSpecialization(w.app, false)
				want := listRuleGet(w, u, key, asked)
				access.SetRuleSpecialization(w.app, true)
				got := listRuleGet(w, u, key, asked)
				asked++
				if want.Status == http.StatusOK && strings.Contains(want.Body, `"id":`) {
					nonEmpty++
				}
				if got.Status != want.Status || (canonicalJSON(got.Body) != canonicalJSON(want.Body) && !sameUnordered(t, shape, got.Body, want.Body)) {
					t.Fatalf("%s GET %s\nstored rule: %d %s\nspecialized: %d %s", key, u, want.Status, want.Body, got.Status, got.Body)
				}
			}
			if spec, err := access.SpecializeRule(w.app, w.users[key], c, *c.ListRule, time.Now()); err == nil && !strings.Contains(spec.FilterText(), "@request") {
				joinsDropped++
			}
		}
	}
	t.Logf("%d collections, %d accounts, %d requests (%d with rows); %d account×collection rules without @request", len(colls), len(w.users), asked, nonEmpty, joinsDropped)
	require.Greater(t, nonEmpty, asked/20, "the shapes must find rows")
}

// listRuleGet sends one list request from an address of its own:
// PocketBase's randomized throttle of empty filtered lists (up to 500 ms,
// per address) would otherwise make the sweep last minutes; it changes
// the timing of an answer, never its content.
func listRuleGet(w *world, u, key string, n int) testapp.Response {
	req := httptest.NewRequest(http.MethodGet, u, nil)
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1234", n>>16&255, n>>8&255, n&255)
	if tok := w.tokens[key]; tok != "" {
		req.Header.Set("Authorization", tok)
	}
	rec := httptest.NewRecorder()
	w.client.Handler().ServeHTTP(rec, req)
	return testapp.Response{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// sameUnordered compares two list answers of a query without a sort:
// neither PocketBase nor SQLite promises an order then (it follows the
// query plan: the stored rule's SELECT DISTINCT happens to walk the id
// index, a plain query the table), so the answers must have the same
// totals and page sizes, and the same rows when they fit on one page.
func sameUnordered(t *testing.T, shape, a, b string) bool {
	if strings.Contains(shape, "sort=") {
		return false
	}
	var pa, pb struct {
		Page, PerPage, TotalItems, TotalPages int
		Items                                 []json.RawMessage
	}
	if json.Unmarshal([]byte(a), &pa) != nil || json.Unmarshal([]byte(b), &pb) != nil {
		return false
	}
	rows := func(items []json.RawMessage) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = canonicalJSON(string(it))
		}
		slices.Sort(out)
		return out
	}
	if pa.Page != pb.Page || pa.PerPage != pb.PerPage || pa.TotalItems != pb.TotalItems || pa.TotalPages != pb.TotalPages || len(pa.Items) != len(pb.Items) {
		return false
	}
	return pa.TotalItems > pa.PerPage || slices.Equal(rows(pa.Items), rows(pb.Items))
}

// TestListRulesDifferentialReadPath: ListFor and ViewFor (the UI's read
// path) return the same records with the specialization on and off, for
// every account (the deactivated and expired ones included: the read path
// has no session guard) and collection.
func TestListRulesDifferentialReadPath(t *testing.T) {
	w := listRuleWorld(t)
	for _, c := range listRuleCollections(t, w.app) {
		all, err := w.app.FindAllRecords(c)
		require.NoError(t, err)
		for _, key := range listRuleKeys(w) {
			auth := w.users[key]
			list := func(on bool, q access.ListQuery) string {
				access.SetRuleSpecialization(w.app, on)
				recs, res, err := access.ListFor(w.app, auth, c.Name, q)
				if err != nil {
					return "error: " + err.Error()
				}
				ids := make([]string, len(recs))
				for i, r := range recs {
					ids[i] = r.Id
				}
				return fmt.Sprintf("%d/%d/%d/%d %v", res.Page, res.PerPage, res.TotalItems, res.TotalPages, ids)
			}
			for _, q := range []access.ListQuery{{Sort: "id", PerPage: 200, Count: true}, {Sort: "-created,id", Page: 2, PerPage: 2, Count: true}, {Filter: "id != ''", Sort: "id"}} {
				want, got := list(false, q), list(true, q)
				require.Equal(t, want, got, "%s ListFor %s %+v", key, c.Name, q)
			}
			if *c.ViewRule == "" {
				continue
			}
			for _, r := range all {
				access.SetRuleSpecialization(w.app, false)
				_, errWant := access.ViewFor(w.app, auth, c.Name, r.Id)
				access.SetRuleSpecialization(w.app, true)
				_, errGot := access.ViewFor(w.app, auth, c.Name, r.Id)
				require.Equal(t, fmt.Sprint(errWant), fmt.Sprint(errGot), "%s ViewFor %s %s", key, c.Name, r.Id)
			}
		}
	}
	access.SetRuleSpecialization(w.app, true)
}
