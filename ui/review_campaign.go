package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/governance"
)

// campaignView is the latest quarterly review campaign with its items and
// its progress (Decided of Total).
type campaignView struct {
	ID, Name, Period, Status string
	OpenedAt, ClosedAt       types.DateTime
	Decided, Total           int
	Items                    []reviewItemView
}

// reviewItemView is one account of a campaign: what it could reach when
// the campaign opened and the decision taken on it.
type reviewItemView struct {
	ID              string
	Access          governance.ReviewRow // effective_access, frozen at the opening
	Decision, Note  string
	DecidedAt       types.DateTime
	Reviewer        string
	Own             bool // the reviewer's own account: not theirs to decide
	Error, FormNote string
	FormDecision    string
	CampaignOpen    bool
}

// latestCampaign reads the most recent campaign and its items through the
// read path (nil when there is none).
func (h *handlers) latestCampaign(s *session) (*campaignView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "access_reviews", access.ListQuery{Sort: "-opened_at", PerPage: 1})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	r := recs[0]
	c := &campaignView{ID: r.Id, Name: r.GetString("name"), Period: r.GetString("period"), Status: r.GetString("status"),
		OpenedAt: r.GetDateTime("opened_at"), ClosedAt: r.GetDateTime("closed_at")}
	items, err := h.campaignItems(s, dbx.HashExp{"access_review_items.review": c.ID})
	if err != nil {
		return nil, err
	}
	var reviewers []string
	for _, it := range items {
		reviewers = append(reviewers, it.Reviewer)
	}
	names, err := h.userLabels(s, reviewers)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Reviewer = names[items[i].Reviewer].Value
		items[i].CampaignOpen = c.Status == "open"
		if items[i].Decision != "" {
			c.Decided++
		}
	}
	c.Total = len(items)
	// the lines to decide first, then by e-mail
	sort.SliceStable(items, func(i, j int) bool {
		if (items[i].Decision == "") != (items[j].Decision == "") {
			return items[i].Decision == ""
		}
		return items[i].Access.Email < items[j].Access.Email
	})
	c.Items = items
	return c, nil
}

// campaignItems reads review items through the read path, every page.
func (h *handlers) campaignItems(s *session, where dbx.Expression) ([]reviewItemView, error) {
	var out []reviewItemView
	for page := 1; ; page++ {
		recs, _, err := access.ListFor(h.app, s.user, "access_review_items", access.ListQuery{Where: where, Sort: "id", Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			it := reviewItemView{ID: r.Id, Decision: r.GetString("decision"), Note: r.GetString("note"), DecidedAt: r.GetDateTime("decided_at"),
				Reviewer: r.GetString("reviewer"), Own: r.GetString("user") == s.user.Id}
			if raw := r.GetString("effective_access"); raw != "" {
				if err := json.Unmarshal([]byte(raw), &it.Access); err != nil {
					return nil, err
				}
			}
			out = append(out, it)
		}
		if len(recs) < access.MaxPerPage {
			return out, nil
		}
	}
}

// openCampaign opens the review campaign of the current quarter
// (governance.OpenReviewCampaign; nothing happens when it exists).
func (h *handlers) openCampaign(e *core.RequestEvent) error {
	if _, _, err := governance.OpenReviewCampaign(e.App, h.now()); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/access-review#campaign")
}

// decideReviewItem records keep / revoke / change with a note on one line
// of the open campaign (governance.DecideReviewItem: admins, not their own
// line, once; revoke deactivates the account and ends its grants). htmx
// re-renders the campaign (the line and the progress).
func (h *handlers) decideReviewItem(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	decision, note := e.Request.FormValue("decision"), strings.TrimSpace(e.Request.FormValue("note"))
	err := governance.DecideReviewItem(e.App, e.Auth, access.ByRequest(e).Actor, id, decision, note, h.now())
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if !isHX(e) {
		if de != nil {
			return de
		}
		return e.Redirect(http.StatusSeeOther, "/access-review#campaign")
	}
	p := &accessReviewPage{page: h.page(e, "access_review", ""), Period: governance.ReviewPeriod(h.now())}
	if p.Campaign, err = h.latestCampaign(s); err != nil {
		return err
	}
	p.CanOpen = p.Campaign == nil || p.Campaign.Period != p.Period
	status := http.StatusOK
	if de != nil && p.Campaign != nil {
		status = api.HTTPStatus(de)
		for i := range p.Campaign.Items {
			if it := &p.Campaign.Items[i]; it.ID == id {
				it.Error, it.FormDecision, it.FormNote = p.Err(de), decision, note
			}
		}
	}
	return h.fragment(e, status, "access_review", "campaign", p)
}
