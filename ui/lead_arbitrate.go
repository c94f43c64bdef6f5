package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
)

// arbitrationView is the conflict section of a held lead's page, for the
// users who arbitrate it (channel managers, admins): the record it matched
// beside the lead, the keys they share, and the decisions.
type arbitrationView struct {
	Kind      string // lead, account, registration
	Other     *conflictSide
	Holder    string // the holder partner's name ("" when not visible)
	HolderID  string
	Keys      []distribution.MatchedKey
	Actions   []string // the decisions of the first form, in order
	Action    string   // the decision chosen (after a refusal)
	Reason    string
	Error     string
	CanAssign bool // the "assign elsewhere" form
}

// conflictSide is the matched record as the arbitrating user may see it.
type conflictSide struct {
	ID, Link                             string
	Lead                                 *leadView // kind lead
	Name, SIREN, PostalCode, City, Stage string    // account, registration
	RegStatus, PartnerName               string
	ProtectedUntil                       types.DateTime
}

// arbitrationFor builds the conflict section of a lead page: nil unless
// the lead is held and the user uses the board (the roles that
// distribute); the domain decides (ConflictOf) whether they may arbitrate
// this lead.
func (h *handlers) arbitrationFor(s *session, lead leadView) (*arbitrationView, error) {
	if !lead.Held || !s.caps.Board {
		return nil, nil
	}
	sides, err := distribution.ConflictOf(h.app, s.user, lead.ID)
	var de *domain.Error
	if errors.As(err, &de) || errors.Is(err, domain.ErrNotVisible) || errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &arbitrationView{Kind: sides.Kind, Keys: sides.Keys, CanAssign: true}
	if sides.Holder != nil {
		v.Holder, v.HolderID = sides.Holder.GetString("name"), sides.Holder.Id
	}
	if sides.Other != nil {
		if v.Other, err = h.conflictSideOf(s, sides.Kind, sides.Other); err != nil {
			return nil, err
		}
	}
	for _, a := range distribution.ArbitrationActions() {
		switch {
		case a == distribution.ArbitrateAssignOther:
			continue // its own form, with the partner picker
		case a == distribution.ArbitrateAssignHolder && sides.Lead.GetString("conflict_partner") == "":
			continue
		case a == distribution.ArbitrateMerge && sides.Kind != "lead":
			continue
		}
		v.Actions = append(v.Actions, a)
	}
	return v, nil
}

// conflictSideOf turns the matched record into what the page shows.
func (h *handlers) conflictSideOf(s *session, kind string, r *core.Record) (*conflictSide, error) {
	side := &conflictSide{ID: r.Id}
	if kind == "lead" {
		views, err := h.leadViews(s, []*core.Record{r})
		if err != nil {
			return nil, err
		}
		side.Lead, side.Link = &views[0], "/leads/"+r.Id
		return side, nil
	}
	names, err := h.names(s, "partners", []string{r.GetString("partner")})
	if err != nil {
		return nil, err
	}
	side.Name = r.GetString("name")
	if side.Name == "" {
		side.Name = r.GetString("company")
	}
	side.SIREN, side.PostalCode, side.City = r.GetString("siren"), r.GetString("postal_code"), r.GetString("city")
	side.Stage, side.RegStatus = r.GetString("stage"), r.GetString("registration_status")
	side.ProtectedUntil, side.PartnerName = r.GetDateTime("protected_until"), names[r.GetString("partner")]
	return side, nil
}

// arbitrateLead takes a decision on a held lead from its page
// (distribution.Arbitrate): a plain form post is redirected to the lead;
// htmx and refusals re-render the lead page with the message.
func (h *handlers) arbitrateLead(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	a := distribution.Arbitration{Action: e.Request.FormValue("action"), Partner: e.Request.FormValue("partner"),
		Reason: strings.TrimSpace(e.Request.FormValue("reason"))}
	_, err := distribution.Arbitrate(e.App, access.ByRequest(e), id, a)
	de, done, rerr := writeOutcome(e, err, "/leads/"+id)
	if done {
		return rerr
	}
	p, perr := h.leadPage(e, id)
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if de != nil {
		status = api.HTTPStatus(de)
		if p.Arbitration == nil { // no longer held: say it at the top
			p.Flash = p.Err(de)
		} else {
			msg := p.Err(de)
			if de.Field == "reason" && de.Code == "required" { // the shared key speaks of declines
				msg = p.T("arbit.reason_required")
			}
			p.Arbitration.Error, p.Arbitration.Action, p.Arbitration.Reason = msg, a.Action, a.Reason
		}
	} else {
		p.Flash = p.T("arbit.done." + a.Action)
	}
	return h.render(e, status, "lead", p)
}
