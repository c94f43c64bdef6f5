package policy

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/roles"
)

var testSchema = Schema{
	"leads":      {"id", "company", "status", "score", "partner", "assignee", "territory", "meeting_at", "estimated_value", "created_by", "created", "updated"},
	"users":      {"id", "email", "name", "role", "partner", "active", "access_expires", "locale", "last_login"},
	"activities": {"id", "lead", "opportunity", "kind", "summary", "internal", "author", "recording"},
}

func withCell(m Matrix, c Cell) Matrix {
	out := Matrix{Roles: m.Roles}
	replaced := false
	for _, x := range m.Cells {
		if x.Role == c.Role && x.Resource == c.Resource {
			out.Cells = append(out.Cells, c)
			replaced = true
			continue
		}
		out.Cells = append(out.Cells, x)
	}
	if !replaced {
		out.Cells = append(out.Cells, c)
	}
	return out
}

func TestDefaultMatrixIsValid(t *testing.T) {
	m := DefaultMatrix()
	require.NoError(t, Validate(m))
	require.Len(t, m.Cells, len(DefaultRoles())*len(Resources()))
}

func TestValidateRefusesInvariantBreaks(t *testing.T) {
	base := DefaultMatrix()
	cases := []struct {
		name           string
		cell           Cell
		action, reason string
	}{
		{"partner reads deal terms", Cell{Role: "partner_manager", Resource: "deal_terms", Read: Org, Update: None, Delete: None}, "read", "never reach deal_terms"},
		{"partner reads the audit log", Cell{Role: "partner_user", Resource: "audit_log", Read: Own, Update: None, Delete: None}, "read", "never reach audit_log"},
		{"partner reads campaigns", Cell{Role: "partner_user", Resource: "campaigns", Read: All, Update: None, Delete: None}, "read", "never reach campaigns"},
		{"partner reads tickets", Cell{Role: "partner_manager", Resource: "tickets", Read: Own, Update: None, Delete: None}, "read", "never reach tickets"},
		{"partner beyond org on leads", Cell{Role: "partner_manager", Resource: "leads", Read: All, Update: None, Delete: None}, "read", "partner ceiling"},
		{"partner works the pool", Cell{Role: "partner_user", Resource: "leads", Read: Pool, Update: None, Delete: None}, "read", "partner ceiling"},
		{"partner territory on accounts", Cell{Role: "partner_manager", Resource: "accounts", Read: Territory, Update: None, Delete: None}, "read", "partner ceiling"},
		{"partner creates deal terms", Cell{Role: "partner_user", Resource: "deal_terms", Read: None, Update: None, Delete: None, Create: true}, "create", "never reach deal_terms"},
		{"partner exports deal terms", Cell{Role: "partner_user", Resource: "deal_terms", Read: None, Update: None, Delete: None, Export: true}, "export", "needs a read level"},
		{"integration beyond own", Cell{Role: "integration", Resource: "leads", Read: All, Update: None, Delete: None}, "read", "integration ceiling"},
		{"org for an internal role", Cell{Role: "sales", Resource: "leads", Read: Org, Update: None, Delete: None}, "read", "only partner roles"},
		{"audit log update", Cell{Role: "admin", Resource: "audit_log", Read: All, Update: All, Delete: None}, "update", "cannot be changed"},
		{"audit log delete", Cell{Role: "admin", Resource: "audit_log", Read: All, Update: None, Delete: All}, "delete", "cannot be changed"},
		{"audit log create", Cell{Role: "admin", Resource: "audit_log", Read: All, Update: None, Delete: None, Create: true}, "create", "cannot be created"},
		{"update wider than read", Cell{Role: "sales", Resource: "leads", Read: Own, Update: All, Delete: None}, "update", "wider than the read level"},
		{"pool on accounts", Cell{Role: "teleoperator", Resource: "accounts", Read: Pool, Update: None, Delete: None}, "read", "no meaning"},
		{"unknown level", Cell{Role: "sales", Resource: "leads", Read: "everything", Update: None, Delete: None}, "read", "unknown level"},
		{"unknown resource", Cell{Role: "sales", Resource: "salaries", Read: All, Update: None, Delete: None}, "resource", "unknown resource"},
		{"unknown role", Cell{Role: "ghost", Resource: "leads", Read: All, Update: None, Delete: None}, "role", "unknown role"},
		{"create without a scope", Cell{Role: "teleoperator", Resource: "documents", Read: None, Update: None, Delete: None, Create: true}, "create", "creating needs a read level"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(withCell(base, tc.cell))
			require.Error(t, err)
			var ce *CellError
			require.True(t, errors.As(err, &ce), "want a *CellError, got %T", err)
			assert.Equal(t, tc.action, ce.Action)
			assert.Contains(t, ce.Reason, tc.reason)
			assert.Contains(t, err.Error(), tc.cell.Resource, "the message names the cell")
			// a stable code with its parameters, for pages in other languages
			assert.Contains(t, ReasonCodes(), ce.Code)
			assert.NotContains(t, ce.Reason, "{", "every parameter of the wording is filled")
			assert.Equal(t, tc.cell.Resource, ce.Params["resource"])
			_, cerr := Compile(withCell(base, tc.cell), testSchema)
			require.Error(t, cerr, "Compile refuses what Validate refuses")
		})
	}
}

func TestValidateRefusesBadRolesAndDuplicates(t *testing.T) {
	m := DefaultMatrix()
	m.Roles = append(m.Roles, Role{ID: "robot", Name: "robot", Kind: "machine"})
	require.ErrorContains(t, Validate(m), "unknown role kind")

	m = DefaultMatrix()
	m.Cells = append(m.Cells, m.Cells[0])
	require.ErrorContains(t, Validate(m), "duplicate cell")

	// a custom role inherits its kind's ceiling
	m = DefaultMatrix()
	m.Roles = append(m.Roles, Role{ID: "distributor_admin", Name: "distributor_admin", Kind: roles.Partner})
	m.Cells = append(m.Cells, Cell{Role: "distributor_admin", Resource: "leads", Read: Territory, Update: None, Delete: None})
	require.ErrorContains(t, Validate(m), "partner ceiling")
}

func TestCompileLeadsRules(t *testing.T) {
	rules, err := Compile(DefaultMatrix(), testSchema)
	require.NoError(t, err)
	leads := rules["leads"]
	require.NotNil(t, leads.List)
	list := *leads.List
	assert.True(t, strings.HasPrefix(list, Active), "every rule requires an active, unexpired account")
	assert.Equal(t, list, *leads.View)
	// partner branches carry the org ceiling and the company status
	assert.Contains(t, list, "(@request.auth.role = 'partner_user' && (assignee = @request.auth.id || created_by = @request.auth.id) && @request.auth.partner.status = 'active' && (@request.auth.partner != '' && partner = @request.auth.partner))")
	assert.Contains(t, list, "(@request.auth.role = 'teleoperator' && (partner = '' && (status = 'new' || status = 'qualifying' || status = 'ready' || status = 'recycled')))")
	assert.Contains(t, list, "(@request.auth.role = 'admin')")
	// nobody may delete leads but admin
	require.NotNil(t, leads.Delete)
	assert.Equal(t, 1, strings.Count(*leads.Delete, "@request.auth.role ="))
	// partners never create leads in the reference scenario
	require.NotNil(t, leads.Create)
	assert.NotContains(t, *leads.Create, "partner_user")
	// ownership fields are guarded for everyone, score for partners
	upd := *leads.Update
	for _, f := range []string{"partner", "assignee", "territory", "created_by"} {
		assert.Contains(t, upd, "@request.body."+f+":isset = false")
	}
	pu := branchOf(t, upd, "partner_user")
	assert.Contains(t, pu, "@request.body.score:isset = false")
	assert.Contains(t, pu, "@request.body.company:isset = false")
	assert.NotContains(t, pu, "@request.body.status:isset = false", "partners move the status (transitions are checked by a hook)")
	tel := branchOf(t, upd, "teleoperator")
	assert.NotContains(t, tel, "@request.body.score:isset = false", "teleoperators qualify (score) pool leads")
}

func TestCompileUsersGuardsOwnFields(t *testing.T) {
	rules, err := Compile(DefaultMatrix(), testSchema)
	require.NoError(t, err)
	upd := *rules["users"].Update
	for _, role := range []string{"sales", "partner_user", "partner_manager"} {
		b := branchOf(t, upd, role)
		for _, f := range []string{"role", "partner", "active", "access_expires"} {
			assert.Contains(t, b, "@request.body."+f+":isset = false", "%s must not change its own %s", role, f)
		}
	}
	admin := branchOf(t, upd, "admin")
	assert.NotContains(t, admin, "@request.body.role:isset", "admins manage roles")
}

func TestCompileNothingForNobody(t *testing.T) {
	rules, err := Compile(DefaultMatrix(), testSchema)
	require.NoError(t, err)
	// no role may write the audit log, whatever the matrix
	assert.Nil(t, rules["audit_log"].Create)
	assert.Nil(t, rules["audit_log"].Update)
	assert.Nil(t, rules["audit_log"].Delete)
	// partner kinds never appear in deal_terms, campaigns, tickets or audit_log rules
	for _, c := range []string{"deal_terms", "campaigns", "tickets", "audit_log"} {
		r := rules[c]
		for _, rule := range []*string{r.List, r.View, r.Create, r.Update, r.Delete} {
			if rule != nil {
				assert.NotContains(t, *rule, "partner_user", c)
				assert.NotContains(t, *rule, "partner_manager", c)
			}
		}
	}
	// an empty matrix gives superusers-only rules (deny by default)
	empty, err := Compile(Matrix{Roles: DefaultRoles()}, testSchema)
	require.NoError(t, err)
	assert.Nil(t, empty["leads"].List)
	assert.Nil(t, empty["lead_contacts"].View)
}

func TestCompileIsDeterministic(t *testing.T) {
	a, err := Compile(DefaultMatrix(), testSchema)
	require.NoError(t, err)
	for i := 0; i < 20; i++ {
		b, err := Compile(DefaultMatrix(), testSchema)
		require.NoError(t, err)
		for name := range a {
			assert.True(t, Equal(a[name].List, b[name].List) && Equal(a[name].Update, b[name].Update) && Equal(a[name].Create, b[name].Create), name)
		}
	}
}

func TestContactsOnlyAfterAcceptance(t *testing.T) {
	rules, err := Compile(DefaultMatrix(), testSchema)
	require.NoError(t, err)
	for _, role := range []string{"partner_user", "partner_manager"} {
		b := branchOf(t, *rules["lead_contacts"].List, role)
		assert.Contains(t, b, "lead.status = 'accepted'")
		assert.NotContains(t, b, "lead.status = 'offered'")
	}
}

// branchOf returns the branch of a compiled rule for one role.
func branchOf(t *testing.T, rule, role string) string {
	t.Helper()
	for _, line := range strings.Split(rule, "\n") {
		if strings.Contains(line, "@request.auth.role = '"+role+"'") {
			return line
		}
	}
	t.Fatalf("no branch for %s in %s", role, rule)
	return ""
}

// Collections names exactly what Compile writes, for the default matrix and
// for an empty one (the set does not depend on the matrix).
func TestCollectionsIsWhatCompileWrites(t *testing.T) {
	for _, m := range []Matrix{DefaultMatrix(), {}} {
		rules, err := Compile(m, testSchema)
		require.NoError(t, err)
		keys := make([]string, 0, len(rules))
		for k := range rules {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		assert.Equal(t, keys, Collections())
	}
	assert.Contains(t, Collections(), "audit_log")
	assert.Contains(t, Collections(), "permissions")
	assert.NotContains(t, Collections(), "reports", "reports govern routes, not a collection")
}
