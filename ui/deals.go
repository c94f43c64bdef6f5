package ui

import (
	"encoding/json"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/domain"
)

// The deal pages (SPEC §4.5): deal registrations (registrations.go), the
// pipeline (opportunities.go) and the opportunity page (opportunity.go).
// Every opportunity comes through the rule-aware read path; writes go
// through the domain operations of hooks/deals, the same as the REST API.

// dealCaps sets the deal pages a role may use from its opportunities cell
// of the matrix: the pipeline for every role that reads opportunities
// (integrations excepted), registrations for partner roles and for the
// roles that decide them (internal, update at territory or all: the
// validators of hooks/deals), the opening of an opportunity from a lead
// for roles that create opportunities.
func dealCaps(c *caps, kind, read, update string, create bool) {
	if kind == "integration" || read == "" || read == "none" {
		return
	}
	c.Deals = true
	c.OpenDeal = create
	c.DecideDeals = kind == "internal" && (update == "territory" || update == "all")
	c.Registrations = kind == "partner" || c.DecideDeals
}

// oppView is an opportunity as the deal pages show it. The conflict is
// filled for internal roles only (the registrant never learns who it
// collides with).
type oppView struct {
	ID, Name, Company, SIRET, PostalCode, Stage, LeadID string
	Registration, RejectionReason, LostReason, Note     string
	PartnerID, PartnerName, TerritoryID, TerritoryName  string
	RegistrantID, RegistrantName                        string
	Amount                                              float64
	CloseDate, ProtectedUntil, Created, DecidedAt       types.DateTime
	WonPending                                          bool
	Conflicts                                           []deals.RegistrationConflict
}

// newOppView copies what the user may see of an opportunity read through
// the read path.
func newOppView(s *session, r *core.Record) oppView {
	v := oppView{
		ID: r.Id, Name: r.GetString("name"), Company: r.GetString("company"), SIRET: r.GetString("siret"),
		PostalCode: r.GetString("postal_code"), Stage: r.GetString("stage"), LeadID: r.GetString("lead"),
		Registration: r.GetString("registration_status"), RejectionReason: r.GetString("rejection_reason"),
		LostReason: r.GetString("lost_reason"), Note: r.GetString("validation_note"),
		PartnerID: r.GetString("partner"), TerritoryID: r.GetString("territory"), RegistrantID: r.GetString("registered_by"),
		Amount: r.GetFloat("amount"), CloseDate: r.GetDateTime("close_date"), ProtectedUntil: r.GetDateTime("protected_until"),
		Created: r.GetDateTime("created"), DecidedAt: r.GetDateTime("registration_decided_at"), WonPending: r.GetBool("won_pending"),
	}
	if s.kind == "internal" {
		if raw := r.GetString("conflict_details"); raw != "" && raw != "null" {
			// a malformed value shows no conflict rather than failing the page
			if err := json.Unmarshal([]byte(raw), &v.Conflicts); err != nil {
				v.Conflicts = nil
			}
		}
	}
	return v
}

// Title is how an opportunity is named: its name (the need), else its
// customer.
func (v oppView) Title() string {
	if v.Name != "" && v.Name != v.Company {
		return v.Name
	}
	return v.Company
}

// oppViews converts a list and fills the partner, territory and registrant
// names the user may read (through the read path: a partner reads its own
// company only).
func (h *handlers) oppViews(s *session, recs []*core.Record) ([]oppView, error) {
	out := make([]oppView, 0, len(recs))
	var pids, tids, uids []string
	for _, r := range recs {
		v := newOppView(s, r)
		out = append(out, v)
		pids, tids, uids = append(pids, v.PartnerID), append(tids, v.TerritoryID), append(uids, v.RegistrantID)
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	tn, err := h.names(s, "territories", tids)
	if err != nil {
		return nil, err
	}
	un, err := h.names(s, "users", uids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].PartnerName, out[i].TerritoryName, out[i].RegistrantName = pn[out[i].PartnerID], tn[out[i].TerritoryID], un[out[i].RegistrantID]
	}
	return out, nil
}

// listOpps lists the opportunities the user may see matching where (a
// trusted condition), through the read path; none when the role does not
// read opportunities.
func (h *handlers) listOpps(s *session, where dbx.Expression, sort string, perPage int) ([]oppView, int, error) {
	recs, res, err := access.ListFor(h.app, s.user, "opportunities", access.ListQuery{Where: where, Sort: sort, PerPage: perPage, Count: true})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	views, err := h.oppViews(s, recs)
	if err != nil {
		return nil, 0, err
	}
	total := len(views)
	if res != nil && res.TotalItems > total {
		total = res.TotalItems
	}
	return views, total, nil
}

// inPipeline is the condition of the opportunities of a pipeline: not a
// registration waiting for its decision or rejected (those are on the
// registrations page).
func inPipeline() dbx.Expression {
	return dbx.NewExp("opportunities.registration_status NOT IN ('pending', 'rejected')")
}
