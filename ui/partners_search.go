package ui

import (
	"errors"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/textindex"
)

// Search and sort of the partners list. Words match the partner's name,
// its SIREN or the name of one of its territories (territories read
// through access.ListFor); the list itself is read through access.ListFor
// on partners, so it is what the REST API lists for the user.

// partnersPerPage is the page size of the partners list.
const partnersPerPage = 50

// maxPartnerPages caps the pages (of access.MaxPerPage) read to sort the
// partners by acceptance rate, a figure that is not a partner field.
const maxPartnerPages = 25

// partnerSorts are the sorts of the partners list done by the database;
// "rate" and "-rate" (acceptance rate) are done in Go (sortByRate).
var partnerSorts = map[string]string{
	"":              "name",
	"name":          "name",
	"-name":         "-name",
	"tier":          "tier,name",
	"-tier":         "-tier,name",
	"contract_end":  "contract_end,name",
	"-contract_end": "-contract_end,name",
}

// partnerSortable reports whether key is a sort of the partners list.
func partnerSortable(key string) bool {
	_, ok := partnerSorts[key]
	return ok || key == "rate" || key == "-rate"
}

// partnerSearchWhere is the condition of a search: every word matches the
// name or SIREN of the partner or the name of a territory of it that auth
// may read. Nil for an empty search.
func partnerSearchWhere(app core.App, auth *core.Record, q string) (dbx.Expression, error) {
	words := searchWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		or := []dbx.Expression{textindex.Contains("partners.name", w), textindex.Contains("partners.siren", w)}
		ids, err := territoryIDs(app, auth, w)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			or = append(or, textindex.Contains("partners.territories", id))
		}
		all = append(all, dbx.Or(or...))
	}
	return dbx.And(all...), nil
}

// territoryIDs returns the territories auth may list whose name contains
// w (one page of access.MaxPerPage); none when the role may not list them.
func territoryIDs(app core.App, auth *core.Record, w string) ([]string, error) {
	recs, _, err := access.ListFor(app, auth, "territories", access.ListQuery{Where: textindex.Contains("territories.name", w), PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	return ids, nil
}

// partnersResult is one page of the partners list.
type partnersResult struct {
	recs  []*core.Record
	stats map[string]partnerLoad
	total int
}

// listPartners reads a page of the partners auth may list matching where,
// with their load and offer answers: sorted by the database, or, by
// acceptance rate, every matching partner (up to maxPartnerPages) sorted
// in Go and cut to the page.
func (h *handlers) listPartners(auth *core.Record, where dbx.Expression, sortKey string, page int) (partnersResult, error) {
	if sortKey != "rate" && sortKey != "-rate" {
		recs, res, err := access.ListFor(h.app, auth, "partners", access.ListQuery{Where: where, Sort: partnerSorts[sortKey], Page: page, PerPage: partnersPerPage, Count: true})
		if err != nil {
			return partnersResult{}, err
		}
		stats, err := h.partnerStats(recordIDs(recs))
		return partnersResult{recs: recs, stats: stats, total: res.TotalItems}, err
	}
	var all []*core.Record
	total := 0
	for n := 1; n <= maxPartnerPages; n++ {
		recs, res, err := access.ListFor(h.app, auth, "partners", access.ListQuery{Where: where, Sort: "name", Page: n, PerPage: access.MaxPerPage, Count: n == 1})
		if err != nil {
			return partnersResult{}, err
		}
		if n == 1 {
			total = res.TotalItems
		}
		all = append(all, recs...)
		if len(recs) < res.PerPage {
			break
		}
	}
	stats, err := h.partnerStats(recordIDs(all))
	if err != nil {
		return partnersResult{}, err
	}
	sortByRate(all, stats, sortKey == "-rate")
	lo := min((page-1)*partnersPerPage, len(all))
	hi := min(lo+partnersPerPage, len(all))
	return partnersResult{recs: all[lo:hi], stats: stats, total: total}, nil
}

// rate is the share of accepted offers among the answered ones; -1 when
// none was answered.
func (l partnerLoad) rate() float64 {
	if l.answered == 0 {
		return -1
	}
	return float64(l.accepted) / float64(l.answered)
}

// sortByRate orders partners by acceptance rate (descending when desc),
// the partners without an answered offer last, keeping the order of recs
// between equal rates.
func sortByRate(recs []*core.Record, stats map[string]partnerLoad, desc bool) {
	sort.SliceStable(recs, func(i, j int) bool {
		ri, rj := stats[recs[i].Id].rate(), stats[recs[j].Id].rate()
		if (ri < 0) != (rj < 0) {
			return rj < 0
		}
		if desc {
			return ri > rj
		}
		return ri < rj
	})
}

// recordIDs returns the ids of records.
func recordIDs(recs []*core.Record) []string {
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	return ids
}
