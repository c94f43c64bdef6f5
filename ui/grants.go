package ui

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/policy"
)

// grantsPage is the admins' page of time-boxed grants (SPEC §5): the form
// that creates one, the running grants with their expiry and a revoke
// button, and the grants that ended (expired, revoked or used up).
type grantsPage struct {
	*page
	Running     []grantView
	Ended       []grantView
	Resources   []option
	Territories []option
	Form        grantForm
	FormError   string
}

// grantForm is the values of the grant form (kept on a refusal).
type grantForm struct {
	Email, Kind, Territory, Resource, Days, Reason string
}

// grantView is one grant as a page shows it.
type grantView struct {
	ID, Kind, Resource, Reason, UserName, UserEmail string
	What                                            string // a territory grant's territory name
	Starts, Expires, UsedAt, EndedAt                types.DateTime
	Running                                         bool
	Error                                           string
}

// grantsPerList bounds each list of the grants page.
const grantsPerList = 100

// grantDaysDefault is the duration the grant and approval forms propose.
const grantDaysDefault = "7"

// grants renders the admins' grants page.
func (h *handlers) grants(e *core.RequestEvent) error {
	p, err := h.grantsPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "grants", p)
}

// grantsPage reads every grant the admin may list (the grants rules),
// running ones first.
func (h *handlers) grantsPage(e *core.RequestEvent) (*grantsPage, error) {
	s := sess(e)
	p := &grantsPage{page: h.page(e, "grants", "gov.grants.title"), Form: grantForm{Kind: "export", Days: grantDaysDefault}}
	terr, err := h.territoryNames(s)
	if err != nil {
		return nil, err
	}
	all, err := h.grantViews(s, nil, terr)
	if err != nil {
		return nil, err
	}
	for _, g := range all {
		if g.Running {
			p.Running = append(p.Running, g)
		} else {
			p.Ended = append(p.Ended, g)
		}
	}
	for id, name := range terr {
		p.Territories = append(p.Territories, option{Value: id, Label: name})
	}
	sortOptions(p.Territories)
	for _, r := range policy.Resources() {
		if governance.Exportable(h.app, r) {
			p.Resources = append(p.Resources, option{Value: r, Label: p.Label("resource", r)})
		}
	}
	sortOptions(p.Resources)
	return p, nil
}

// grantViews reads grants through the read path (the most recent first,
// bounded), with their holders' names where the user may read them.
func (h *handlers) grantViews(s *session, where dbx.Expression, terr map[string]string) ([]grantView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "grants", access.ListQuery{Where: where, Sort: "-expires", PerPage: grantsPerList})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.GetString("user"))
	}
	users, err := h.userLabels(s, ids)
	if err != nil {
		return nil, err
	}
	now := h.now()
	out := make([]grantView, 0, len(recs))
	for _, r := range recs {
		g := grantView{
			ID: r.Id, Kind: r.GetString("kind"), Resource: r.GetString("resource"), Reason: r.GetString("reason"),
			Starts: r.GetDateTime("starts"), Expires: r.GetDateTime("expires"), UsedAt: r.GetDateTime("used_at"), EndedAt: r.GetDateTime("ended_at"),
		}
		g.Running = grantRuns(g, now)
		if g.Kind == "territory" {
			g.What = terr[r.GetString("territory")]
		}
		u := users[r.GetString("user")]
		g.UserName, g.UserEmail = u.Value, u.Label
		out = append(out, g)
	}
	return out, nil
}

// grantRuns reports whether a grant runs at now: started, not expired,
// not ended, and for an export grant not used (the same definition as
// governance.ActiveGrants).
func grantRuns(g grantView, now time.Time) bool {
	return (g.Starts.IsZero() || !g.Starts.Time().After(now)) && g.Expires.Time().After(now) && g.EndedAt.IsZero() &&
		(g.Kind != "export" || g.UsedAt.IsZero())
}

// userLabels reads users' names and e-mails through the read path (Value:
// name, Label: e-mail); users the reader may not see are left out.
func (h *handlers) userLabels(s *session, ids []string) (map[string]option, error) {
	out := map[string]option{}
	seen := map[string]bool{}
	var list []any
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			list = append(list, id)
		}
	}
	for start := 0; start < len(list); start += access.MaxPerPage {
		end := min(start+access.MaxPerPage, len(list))
		recs, _, err := access.ListFor(h.app, s.user, "users", access.ListQuery{Where: dbx.In("users.id", list[start:end]...), PerPage: access.MaxPerPage})
		if errors.Is(err, domain.ErrForbidden) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[r.Id] = option{Value: r.GetString("name"), Label: r.Email()}
		}
	}
	return out, nil
}

// territoryNames reads the territories the user may list (every signed-in
// account may: the territories rule), by id.
func (h *handlers) territoryNames(s *session) (map[string]string, error) {
	recs, _, err := access.ListFor(h.app, s.user, "territories", access.ListQuery{Sort: "name", PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recs))
	for _, r := range recs {
		out[r.Id] = r.GetString("name")
	}
	return out, nil
}

// sortOptions sorts options by label.
func sortOptions(o []option) {
	sort.Slice(o, func(i, j int) bool { return o[i].Label < o[j].Label })
}

// grantDays reads the duration field of the grant and approval forms: a
// whole number of days, 1 to the longest grant.
func grantDays(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	maxDays := int(governance.MaxGrantDuration.Hours() / 24)
	if err != nil || n < 1 || n > maxDays {
		return 0, domain.Errorf(domain.KindInvalid, "invalid_days", "days", "the duration is a number of days from 1 to %d", maxDays)
	}
	return n, nil
}

// createGrant creates a grant from the admins' form (governance.CreateGrant:
// its checks, its audit entry); the holder is named by e-mail and read
// through the read path.
func (h *handlers) createGrant(e *core.RequestEvent) error {
	s := sess(e)
	f := grantForm{
		Email: strings.TrimSpace(e.Request.FormValue("email")), Kind: e.Request.FormValue("kind"), Territory: e.Request.FormValue("territory"),
		Resource: e.Request.FormValue("resource"), Days: e.Request.FormValue("days"), Reason: strings.TrimSpace(e.Request.FormValue("reason")),
	}
	err := h.saveGrant(e, s, f)
	return answerForm(h, e, err, formAnswer[*grantsPage]{path: "/grants", view: "grants", flash: "gov.grants.created",
		load:    func() (*grantsPage, error) { return h.grantsPage(e) },
		refused: func(p *grantsPage, msg string) { p.Form, p.FormError = f, msg }})
}

// saveGrant resolves the form and creates the grant.
func (h *handlers) saveGrant(e *core.RequestEvent, s *session, f grantForm) error {
	days, err := grantDays(f.Days)
	if err != nil {
		return err
	}
	recs, _, err := access.ListFor(h.app, s.user, "users", access.ListQuery{Where: dbx.HashExp{"users.email": f.Email}, PerPage: 1})
	if err != nil {
		return err
	}
	if f.Email == "" || len(recs) == 0 {
		return domain.Errorf(domain.KindInvalid, "unknown_user", "email", "no user has this e-mail")
	}
	now := h.now()
	spec := governance.GrantSpec{User: recs[0].Id, Kind: f.Kind, Territory: f.Territory, Resource: f.Resource,
		Starts: now, Expires: now.Add(time.Duration(days) * 24 * time.Hour), Reason: f.Reason, GrantedBy: s.user.Id}
	_, err = governance.CreateGrant(e.App, access.ByRequest(e).Actor, spec, now)
	return err
}

// revokeGrant ends a running grant now (governance.RevokeGrant, admins).
func (h *handlers) revokeGrant(e *core.RequestEvent) error {
	if !governance.IsAdmin(e.App, e.Auth) {
		return errNotFound
	}
	err := governance.RevokeGrant(e.App, access.ByRequest(e).Actor, e.Request.PathValue("id"), h.now())
	return answerForm(h, e, err, formAnswer[*grantsPage]{path: "/grants", view: "grants", flash: "gov.grants.revoked",
		load:    func() (*grantsPage, error) { return h.grantsPage(e) },
		refused: func(p *grantsPage, msg string) { p.FormError = msg }})
}
