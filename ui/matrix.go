package ui

import (
	"net/http"
	"sort"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
)

// matrixPage is the permission matrix grid (admins): one row per resource,
// one column per role, each cell with its levels and flags.
type matrixPage struct {
	*page
	Roles     []policy.Role
	Resources []string
	Cells     map[string]map[string]matrixCell // resource → role id → cell
	Levels    []string
}

// matrixCell is one permissions record in the grid; also the fragment a
// save re-renders.
type matrixCell struct {
	*page
	ID, Role, Resource string
	Read, Update, Del  string
	Create, Export     bool
	Error              string
	Saved              bool
	Levels             []string
}

// matrix renders the grid from the permissions collection (policy
// metadata, not business records: the admin role edits it as a whole).
func (h *handlers) matrix(e *core.RequestEvent) error {
	p := &matrixPage{page: h.page(e, "matrix", "matrix.title"), Resources: policy.Resources(), Cells: map[string]map[string]matrixCell{}}
	for _, l := range policy.Levels() {
		p.Levels = append(p.Levels, string(l))
	}
	m, err := access.LoadMatrix(e.App)
	if err != nil {
		return err
	}
	p.Roles = m.Roles
	order := map[string]int{}
	for i, r := range policy.DefaultRoles() {
		order[r.ID] = i + 1
	}
	sort.SliceStable(p.Roles, func(i, j int) bool {
		oi, oj := order[p.Roles[i].ID], order[p.Roles[j].ID]
		if oi == 0 {
			oi = 100
		}
		if oj == 0 {
			oj = 100
		}
		return oi < oj
	})
	// through the rule-aware read path like every user-facing read (the
	// permissions rule admits active admins only)
	var recs []*core.Record
	for page := 1; ; page++ {
		batch, _, err := access.ListFor(e.App, e.Auth, "permissions", access.ListQuery{Page: page, PerPage: access.MaxPerPage, Sort: "id"})
		if err != nil {
			return err
		}
		recs = append(recs, batch...)
		if len(batch) < access.MaxPerPage {
			break
		}
	}
	for _, r := range recs {
		c := cellOf(p.page, r)
		if p.Cells[c.Resource] == nil {
			p.Cells[c.Resource] = map[string]matrixCell{}
		}
		p.Cells[c.Resource][c.Role] = c
	}
	return h.render(e, http.StatusOK, "matrix", p)
}

func cellOf(p *page, r *core.Record) matrixCell {
	c := matrixCell{page: p, ID: r.Id, Role: r.GetString("role"), Resource: r.GetString("resource"),
		Read: r.GetString("read"), Update: r.GetString("update"), Del: r.GetString("delete"),
		Create: r.GetBool("create"), Export: r.GetBool("export")}
	for _, l := range policy.Levels() {
		c.Levels = append(c.Levels, string(l))
	}
	return c
}

// Cell returns the cell of a resource and role (the template's lookup).
func (p *matrixPage) Cell(resource, role string) *matrixCell {
	c, ok := p.Cells[resource][role]
	if !ok {
		return nil
	}
	return &c
}
