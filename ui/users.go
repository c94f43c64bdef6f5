package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
)

// usersPage lists the accounts the user may see.
type usersPage struct {
	*page
	Users []userRow
	Query string
	// Partner filters the list on one partner company (its page links here).
	Partner string
	PageNo  int
	Next    string
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
	p := &usersPage{page: h.page(e, "users", "users.title"), PageNo: pageParam(e), Query: strings.TrimSpace(e.Request.URL.Query().Get("q"))}
	q := access.ListQuery{Sort: "name", Page: p.PageNo, PerPage: 100}
	var where []dbx.Expression
	if p.Query != "" {
		where = append(where, dbx.Or(dbx.Like("users.name", p.Query), dbx.Like("users.email", p.Query)))
	}
	if p.Partner = e.Request.URL.Query().Get("partner"); p.Partner != "" {
		where = append(where, dbx.HashExp{"users.partner": p.Partner})
	}
	if len(where) > 0 {
		q.Where = dbx.And(where...)
	}
	recs, _, err := access.ListFor(e.App, s.user, "users", q)
	if err != nil {
		return err
	}
	if p.Users, err = h.userRows(s, recs); err != nil {
		return err
	}
	if len(recs) == q.PerPage {
		p.Next = "/users?" + url.Values{"q": {p.Query}, "partner": {p.Partner}, "page": {itoa(p.PageNo + 1)}}.Encode()
	}
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
