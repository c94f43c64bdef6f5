package ui

import (
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
)

// usersPage lists the accounts the user may see: searched by name or
// e-mail, filtered by role and state (and by partner from its page),
// sorted and paged.
type usersPage struct {
	*page
	Users []userRow
	listNav
	// Partner filters the list on one partner company (its page links here).
	Partner     string
	Role, State string
	Roles       []option
	States      []string
}

// userRow is one account with what an admin reviews.
type userRow struct {
	ID, Name, Email, Role, Partner, PartnerID string
	Active, CanToggle                         bool
	Pending                                   bool // invited, no password chosen yet
	Expires, LastLogin                        types.DateTime
	Error                                     string
}

// users lists accounts, searchable by name or e-mail.
func (h *handlers) users(e *core.RequestEvent) error {
	s := sess(e)
	qv := e.Request.URL.Query()
	p := &usersPage{page: h.page(e, "users", "users.title"), listNav: listNav{PageNo: pageParam(e), Q: strings.TrimSpace(qv.Get("q"))}, States: userStates}
	roles, err := listOptions(e, "roles")
	if err != nil {
		return err
	}
	for _, r := range roles {
		p.Roles = append(p.Roles, option{Value: r.Value, Label: p.RoleLabel(r.Value)})
		if r.Value == qv.Get("role") {
			p.Role = r.Value
		}
	}
	if st := qv.Get("state"); contains(userStates, st) {
		p.State = st
	}
	if _, ok := userSorts[qv.Get("sort")]; ok {
		p.Sort = qv.Get("sort")
	}
	where := userFilterWhere(p.Role, p.State)
	if search := userSearchWhere(p.Q); search != nil {
		where = append(where, search)
	}
	if p.Partner = qv.Get("partner"); p.Partner != "" {
		where = append(where, dbx.HashExp{"users.partner": p.Partner})
	}
	q := access.ListQuery{Sort: userSorts[p.Sort], Page: p.PageNo, PerPage: usersPerPage, Count: true}
	if len(where) > 0 {
		q.Where = dbx.And(where...)
	}
	recs, res, err := access.ListFor(e.App, s.user, "users", q)
	if err != nil {
		return err
	}
	if p.Users, err = h.userRows(s, recs); err != nil {
		return err
	}
	state := listState{Path: "/users", Q: p.Q, Sort: p.Sort, Partner: p.Partner, Filters: map[string]string{"role": p.Role, "state": p.State}}
	p.fill(state, []string{"name", "last_login", "access_expires"}, res.TotalItems, res.PerPage)
	return h.render(e, http.StatusOK, "users", p)
}

func (h *handlers) userRows(s *session, recs []*core.Record) ([]userRow, error) {
	var pids []string
	for _, r := range recs {
		pids = append(pids, r.GetString("partner"))
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	out := make([]userRow, 0, len(recs))
	for _, r := range recs {
		row := userRow{
			ID: r.Id, Name: r.GetString("name"), Email: r.Email(), Role: r.GetString("role"), PartnerID: r.GetString("partner"),
			Partner: pn[r.GetString("partner")], Active: r.GetBool("active"), Expires: r.GetDateTime("access_expires"), LastLogin: r.GetDateTime("last_login"),
			Pending: !r.Verified(),
		}
		if s.caps.ManageUsers && r.Id != s.user.Id {
			ok, err := access.CanDo(h.app, s.user, r, "update", map[string]any{"active": !row.Active})
			if err != nil {
				return nil, err
			}
			row.CanToggle = ok
		}
		out = append(out, row)
	}
	return out, nil
}
