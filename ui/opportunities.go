package ui

import (
	"net/http"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
)

// opportunitiesPage is the pipeline: the user's opportunities by stage
// (a partner: its own; channel managers: their territories; admins: all),
// and for those who decide, the wins waiting for validation and the
// network pipeline by territory.
type opportunitiesPage struct {
	*page
	Columns     []stageColumn
	PendingWins []oppView
	Territories []territoryRow
	Stages      []string
	Partial     bool // the territory table stopped at pipelineScanMax rows
	// Q is the search (opportunities_search.go); every part follows it.
	Q string
}

// NoMatch reports a search that found no opportunity in any stage.
func (p *opportunitiesPage) NoMatch() bool {
	if p.Q == "" {
		return false
	}
	for _, c := range p.Columns {
		if c.Total > 0 {
			return false
		}
	}
	return true
}

// stageColumn is one stage of the pipeline: its first opportunities by
// close date, how many there are and the amount of those shown.
type stageColumn struct {
	Stage  string
	Opps   []oppView
	Total  int
	Amount float64
	More   int
}

// territoryRow is one territory of the network pipeline: count and
// amount per stage.
type territoryRow struct {
	Name   string
	Count  map[string]int
	Amount map[string]float64
	Open   float64 // amount of the open stages
}

// stageColumnSize is the number of opportunities a stage column shows.
const stageColumnSize = 25

// pipelineScanMax bounds the opportunities the territory table reads.
const pipelineScanMax = 20 * access.MaxPerPage

// opportunities renders the pipeline.
func (h *handlers) opportunities(e *core.RequestEvent) error {
	s := sess(e)
	p := &opportunitiesPage{page: h.page(e, "opportunities", "deals.pipeline.title"), Stages: deals.Stages(),
		Q: strings.TrimSpace(e.Request.URL.Query().Get("q"))}
	search, err := oppSearchWhere(e.App, s.user, p.Q)
	if err != nil {
		return err
	}
	// matching is the search's condition ANDed to a part's (none: the part's)
	matching := func(where dbx.Expression) dbx.Expression {
		if search == nil {
			return where
		}
		return dbx.And(where, search)
	}
	for _, st := range deals.Stages() {
		opps, total, err := h.listOpps(s, matching(dbx.And(inPipeline(), dbx.HashExp{"opportunities.stage": st})), "close_date", stageColumnSize)
		if err != nil {
			return err
		}
		col := stageColumn{Stage: st, Opps: opps, Total: total, More: total - len(opps)}
		for _, o := range opps {
			col.Amount += o.Amount
		}
		p.Columns = append(p.Columns, col)
	}
	if s.caps.DecideDeals {
		var err error
		if p.PendingWins, _, err = h.listOpps(s, matching(dbx.HashExp{"opportunities.won_pending": true}), "created", access.MaxPerPage); err != nil {
			return err
		}
		if p.Territories, p.Partial, err = h.networkPipeline(s, matching(inPipeline())); err != nil {
			return err
		}
	}
	return h.render(e, http.StatusOK, "opportunities", p)
}

// networkPipeline sums the opportunities the user may see by territory
// and stage (channel managers: their territories, by the rules).
func (h *handlers) networkPipeline(s *session, where dbx.Expression) ([]territoryRow, bool, error) {
	rows := map[string]*territoryRow{}
	var ids []string
	read := 0
	for page := 1; read < pipelineScanMax; page++ {
		recs, _, err := access.ListFor(h.app, s.user, "opportunities", access.ListQuery{Where: where, Sort: "created", Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			return nil, false, err
		}
		for _, r := range recs {
			t := r.GetString("territory")
			row := rows[t]
			if row == nil {
				row = &territoryRow{Count: map[string]int{}, Amount: map[string]float64{}}
				rows[t] = row
				ids = append(ids, t)
			}
			st := r.GetString("stage")
			row.Count[st]++
			row.Amount[st] += r.GetFloat("amount")
			if deals.Open(st) {
				row.Open += r.GetFloat("amount")
			}
		}
		read += len(recs)
		if len(recs) < access.MaxPerPage {
			break
		}
	}
	names, err := h.names(s, "territories", ids)
	if err != nil {
		return nil, false, err
	}
	out := make([]territoryRow, 0, len(rows))
	for id, row := range rows {
		row.Name = names[id]
		out = append(out, *row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Open != out[j].Open {
			return out[i].Open > out[j].Open
		}
		return out[i].Name < out[j].Name
	})
	return out, read >= pipelineScanMax, nil
}
