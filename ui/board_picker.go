package ui

import (
	"net/http"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/textindex"
)

// The partner picker of the distribution board: a search field per lead
// asks this endpoint for a short list of partners (the lead's territory's
// partners first, least loaded first, with their load and acceptance
// rate, then the others matching the search), instead of a full list of
// every partner in every row.

// pickLimit is how many partners the picker lists at a time.
const pickLimit = 8

// partnerChoice is a partner in the picker, with its load and acceptance
// rate.
type partnerChoice struct {
	ID, Name           string
	Open, Capacity     int
	Accepted, Answered int
	Serves             bool
}

// pickerPage is the picker's fragment: the partners to choose from for a
// lead.
type pickerPage struct {
	*page
	LeadID   string
	Query    string
	Partners []partnerChoice
}

// boardPartners answers the picker of one lead of the board (GET
// /board/partners?lead=…&q=…): the lead must be visible to the user.
func (h *handlers) boardPartners(e *core.RequestEvent) error {
	s := sess(e)
	lead, err := access.ViewFor(e.App, s.user, "leads", e.Request.URL.Query().Get("lead"))
	if err != nil {
		return err
	}
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if len(q) > 100 {
		q = q[:100]
	}
	p := &pickerPage{page: h.page(e, "board", ""), LeadID: lead.Id, Query: q}
	if p.Partners, err = h.pickPartners(s, lead.GetString("territory"), q); err != nil {
		return err
	}
	return h.fragment(e, http.StatusOK, "board", "picks", p)
}

// pickPartners lists at most pickLimit active partners the user may see
// whose name contains q: those serving territory first, least loaded
// first, then the others by name. A user who manages territories (a
// channel manager) is offered the partners of his territories only.
func (h *handlers) pickPartners(s *session, territory, q string) ([]partnerChoice, error) {
	conds := []dbx.Expression{dbx.HashExp{"partners.status": "active"}}
	if q != "" {
		conds = append(conds, textindex.Contains("partners.name", q))
	}
	if mine := managedTerritories(s.user); len(mine) > 0 {
		in, params := inParams("mt", mine)
		params["me"] = s.user.Id
		conds = append(conds, dbx.NewExp("(EXISTS (SELECT 1 FROM json_each(partners.territories) t WHERE t.value IN ("+in+")) OR partners.channel_manager = {:me})", params))
	}
	serving := dbx.NewExp("EXISTS (SELECT 1 FROM json_each(partners.territories) t WHERE t.value = {:leadTerritory})", dbx.Params{"leadTerritory": territory})
	first, err := h.choices(s, dbx.And(append(conds, serving)...), access.MaxPerPage, true)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(first, func(i, j int) bool { return first[i].Open < first[j].Open })
	if len(first) >= pickLimit {
		return first[:pickLimit], nil
	}
	rest, err := h.choices(s, dbx.And(append(conds, dbx.Not(serving))...), pickLimit-len(first), false)
	if err != nil {
		return nil, err
	}
	return append(first, rest...), nil
}

// choices lists partners through the read path with their load and
// acceptance.
func (h *handlers) choices(s *session, where dbx.Expression, n int, serves bool) ([]partnerChoice, error) {
	recs, _, err := access.ListFor(h.app, s.user, "partners", access.ListQuery{Where: where, Sort: "name", PerPage: n})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	stats, err := h.partnerStats(ids)
	if err != nil {
		return nil, err
	}
	out := make([]partnerChoice, 0, len(recs))
	for _, r := range recs {
		st := stats[r.Id]
		out = append(out, partnerChoice{ID: r.Id, Name: r.GetString("name"), Capacity: r.GetInt("capacity"),
			Open: st.open, Accepted: st.accepted, Answered: st.answered, Serves: serves})
	}
	return out, nil
}

// inParams renders {:prefix0},{:prefix1},… with their params.
func inParams(prefix string, values []any) (string, dbx.Params) {
	ph := make([]string, len(values))
	p := dbx.Params{}
	for i, v := range values {
		k := prefix + itoa(i)
		ph[i] = "{:" + k + "}"
		p[k] = v
	}
	return strings.Join(ph, ","), p
}
