package ui

import (
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/writepath"
)

// requestsPage is "my access rights" (every signed-in person): the form
// that files an access request (SPEC §5), the person's own requests with
// their status, and their grants — running ones with their expiry (an
// export grant with its single-use export button) and used-up or ended
// ones.
type requestsPage struct {
	*page
	Requests    []requestView
	Running     []grantView
	Ended       []grantView
	Resources   []option // what an export request may name
	Territories []option // what a territory request may name (internal roles)
	Form        requestForm
	FormError   string
}

// requestForm is the values of the request form (kept on a refusal).
type requestForm struct {
	Kind, Territory, Resource, Details, Justification string
}

// requestView is one access request as its requester sees it.
type requestView struct {
	ID, Kind, What, Details, Justification, Status, Reason string
	Created, DecidedAt, Expires, UsedAt                    types.DateTime
}

// myRequestsPerPage bounds the person's own lists (requests, grants).
const myRequestsPerPage = 100

// accessRequests renders the page.
func (h *handlers) accessRequests(e *core.RequestEvent) error {
	p, err := h.requestsPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "access_requests", p)
}

// requestsPage reads the person's requests and grants through the read
// path (the access_requests and grants rules: an admin could list every
// request, so the lists keep the person's own).
func (h *handlers) requestsPage(e *core.RequestEvent) (*requestsPage, error) {
	s := sess(e)
	p := &requestsPage{page: h.page(e, "access_requests", "gov.requests.title"), Form: requestForm{Kind: "export"}}
	terr, err := h.territoryNames(s)
	if err != nil {
		return nil, err
	}
	grants, err := h.grantViews(s, dbx.HashExp{"grants.user": s.user.Id}, terr)
	if err != nil {
		return nil, err
	}
	byID := map[string]grantView{}
	for _, g := range grants {
		byID[g.ID] = g
		if g.Running {
			p.Running = append(p.Running, g)
		} else {
			p.Ended = append(p.Ended, g)
		}
	}
	recs, _, err := access.ListFor(h.app, s.user, "access_requests", access.ListQuery{
		Where: dbx.HashExp{"access_requests.requester": s.user.Id}, Sort: "-created", PerPage: myRequestsPerPage})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		v := requestView{ID: r.Id, Kind: r.GetString("kind"), Details: r.GetString("details"), Justification: r.GetString("justification"),
			Status: r.GetString("status"), Reason: r.GetString("decision_reason"), Created: r.GetDateTime("created"), DecidedAt: r.GetDateTime("decided_at")}
		v.What = whatOf(p.page, v.Kind, terr[r.GetString("territory")], r.GetString("resource"))
		if g, ok := byID[r.GetString("grant")]; ok {
			v.Expires, v.UsedAt = g.Expires, g.UsedAt
		}
		p.Requests = append(p.Requests, v)
	}
	if p.Resources, err = h.requestableResources(s, p.page); err != nil {
		return nil, err
	}
	if s.kind == string(roles.Internal) {
		for id, name := range terr {
			p.Territories = append(p.Territories, option{Value: id, Label: name})
		}
		sortOptions(p.Territories)
	}
	return p, nil
}

// whatOf names what a request or grant is about: a territory's name or a
// resource's label.
func whatOf(p *page, kind, territory, resource string) string {
	if kind == "export" {
		return p.Label("resource", resource)
	}
	return territory
}

// requestableResources are the resources an export request may name:
// those the person's role reads but may not export by the matrix (a
// grant on another one could not be approved).
func (h *handlers) requestableResources(s *session, p *page) ([]option, error) {
	m, err := access.CachedMatrix(h.app)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, c := range m.Cells {
		if c.Role != s.role || c.Read == policy.None || c.Export {
			continue
		}
		if _, err := h.app.FindCachedCollectionByNameOrId(c.Resource); err != nil {
			continue // a resource without a collection (reports) cannot be exported as records
		}
		out = append(out, option{Value: c.Resource, Label: p.Label("resource", c.Resource)})
	}
	sortOptions(out)
	return out, nil
}

// fileAccessRequest files a request for the signed-in person through the
// write path (the access_requests create rule: for oneself, pending, no
// decision fields; governance.ValidateRequest; the audit entry; the
// approvers are notified).
func (h *handlers) fileAccessRequest(e *core.RequestEvent) error {
	s := sess(e)
	f := requestForm{
		Kind: e.Request.FormValue("kind"), Territory: e.Request.FormValue("territory"), Resource: e.Request.FormValue("resource"),
		Details: strings.TrimSpace(e.Request.FormValue("details")), Justification: strings.TrimSpace(e.Request.FormValue("justification")),
	}
	body := map[string]any{"requester": s.user.Id, "kind": f.Kind, "details": f.Details, "justification": f.Justification}
	switch f.Kind {
	case "territory":
		body["territory"] = f.Territory
	case "export":
		body["resource"] = f.Resource
	}
	_, err := writepath.CreateFor(e.App, access.ByRequest(e), "access_requests", body)
	return answerForm(h, e, err, formAnswer[*requestsPage]{path: "/access-requests", view: "access_requests", flash: "gov.requests.filed",
		load:    func() (*requestsPage, error) { return h.requestsPage(e) },
		refused: func(p *requestsPage, msg string) { p.Form, p.FormError = f, msg }})
}
