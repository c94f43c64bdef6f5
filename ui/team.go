package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/team"
)

// teamPage is a partner manager's team: its company's accounts (what GET
// /api/collections/users/records lists for it), the invitation form and
// the deactivate / reactivate / re-invite controls of its salespeople.
type teamPage struct {
	*page
	Members []teamRow
	Roles   []option
	Form    inviteForm
	Error   string
	// listNav: the search (name, e-mail), sort, total and pager of the
	// members; State filters them (active, inactive).
	listNav
	State  string
	States []string
}

// teamRow is one account of the team.
type teamRow struct {
	userRow
	Pending   bool // invited, no password chosen yet
	CanManage bool
}

// showTeam renders the team page.
func (h *handlers) showTeam(e *core.RequestEvent) error {
	p, err := h.teamPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "team", p)
}

func (h *handlers) teamPage(e *core.RequestEvent) (*teamPage, error) {
	s := sess(e)
	qv := e.Request.URL.Query()
	p := &teamPage{page: h.page(e, "team", "team.title"), States: userStates, listNav: listNav{PageNo: pageParam(e), Q: strings.TrimSpace(qv.Get("q"))}}
	p.Form.Locale = p.Lang
	if st := qv.Get("state"); contains(userStates, st) {
		p.State = st
	}
	if _, ok := userSorts[qv.Get("sort")]; ok {
		p.Sort = qv.Get("sort")
	}
	// the manager's own company, and the rules: another company's
	// accounts are never listed, whatever the search
	where := append(userFilterWhere("", p.State), dbx.HashExp{"users.partner": s.user.GetString("partner")})
	if search := userSearchWhere(p.Q); search != nil {
		where = append(where, search)
	}
	recs, res, err := access.ListFor(e.App, s.user, "users", access.ListQuery{Where: dbx.And(where...), Sort: userSorts[p.Sort], Page: p.PageNo, PerPage: usersPerPage, Count: true})
	if err != nil {
		return nil, err
	}
	p.fill(listState{Path: "/team", Q: p.Q, Sort: p.Sort, Filters: map[string]string{"state": p.State}}, []string{"name", "last_login", "access_expires"}, res.TotalItems, res.PerPage)
	rows, err := h.userRows(s, recs)
	if err != nil {
		return nil, err
	}
	for i, r := range recs {
		ok, err := team.CanManage(e.App, s.user, r, h.now())
		if err != nil {
			return nil, err
		}
		p.Members = append(p.Members, teamRow{userRow: rows[i], Pending: !r.Verified(), CanManage: ok})
	}
	if p.Roles, err = roleOptions(e, p.page); err != nil {
		return nil, err
	}
	if len(p.Roles) > 0 {
		p.Form.Role = p.Roles[0].Value
	}
	return p, nil
}

// inviteToTeam invites a salesperson of the manager's company
// (team.Invite: the team ceiling).
func (h *handlers) inviteToTeam(e *core.RequestEvent) error {
	// the partner is the manager's own (team.Invite); a partner field
	// naming another company is refused by the team ceiling
	f, in, perr := parseInvite(e)
	p, err := h.teamPage(e)
	if err != nil {
		return err
	}
	created, err := inviteResult(e, p.page, &f, in, perr, h.now())
	if err != nil {
		return err
	}
	if created && f.Error == "" {
		setFlash(e, "flash.invited")
		return e.Redirect(http.StatusSeeOther, "/team")
	}
	if created { // the account exists, its e-mail failed: list it
		if p, err = h.teamPage(e); err != nil {
			return err
		}
	}
	p.Form = f
	return h.render(e, inviteStatus(f), "team", p)
}

// setTeamActive deactivates or reactivates a salesperson (team.SetActive).
func (h *handlers) setTeamActive(e *core.RequestEvent) error {
	active, err := formBool(e, "active")
	if err != nil {
		return err
	}
	_, err = team.SetActive(e.App, access.ByRequest(e), e.Request.PathValue("id"), active, h.now())
	return h.teamAnswer(e, err, "flash.team_saved")
}

// resendTeamInvite sends a salesperson's invitation again (team.Resend).
func (h *handlers) resendTeamInvite(e *core.RequestEvent) error {
	_, err := team.Resend(e.App, access.ByRequest(e), e.Request.PathValue("id"), h.now())
	return h.teamAnswer(e, err, "flash.invited")
}

// teamAnswer redirects to the team page after an action, or renders it
// with the action's refusal.
func (h *handlers) teamAnswer(e *core.RequestEvent, err error, flash string) error {
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if de == nil && !isHX(e) {
		setFlash(e, flash)
		return e.Redirect(http.StatusSeeOther, "/team")
	}
	p, err := h.teamPage(e)
	if err != nil {
		return err
	}
	if de == nil {
		p.Flash = p.T(flash)
		return h.render(e, http.StatusOK, "team", p)
	}
	p.Error = p.Err(de)
	return h.render(e, api.HTTPStatus(de), "team", p)
}
