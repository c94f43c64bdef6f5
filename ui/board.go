package ui

import (
	"errors"
	"net/http"
	neturl "net/url"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
)

// boardPage is the channel manager's distribution board: ready leads to
// assign, ready leads no partner can take, offers waiting for an answer
// with their time left, the conflicts queue to arbitrate, and recent
// declines and expiries. Each column shows its real count and pages
// through its leads; the filters (territory, minimum score) and the pages
// are in the URL. Everything comes through the read path, so a manager
// sees their territories only. A row carries no partner list: the picker
// asks /board/partners for a short one (board_picker.go).
type boardPage struct {
	*page
	Filter       boardFilter
	Territories  []territoryOption
	Ready        boardSection
	Waiting      boardSection
	Pending      boardSection
	Conflicts    boardSection
	Answers      []answerView
	HasConflicts bool
	AssignError  string
	AssignLead   string
}

// boardSection is one column of the board: a page of its leads, the real
// count, and the links to the pages around.
type boardSection struct {
	ID          string
	Leads       []leadView
	Total       int
	Page, Pages int
	Prev, Next  string
}

// answerView is a declined or expired offer; Lead is empty when the user
// may not see the lead.
type answerView struct {
	LeadID, Partner, Outcome, Reason string
	ReasonCode, ReasonNote           string
	Lead                             leadView
	DecidedAt                        types.DateTime
}

// boardPageSize is how many leads a column of the board shows at a time.
const boardPageSize = 25

// boardFilter is the board's state in the URL: territory, minimum score,
// and the page of each column.
type boardFilter struct {
	Territory string
	MinScore  int
	Pages     map[string]int
}

// boardSections are the paged columns of the board, by URL parameter.
var boardSections = []string{"ready", "waiting", "pending", "conflicts"}

// territoryOption is a territory of the board's filter.
type territoryOption struct {
	ID, Name string
}

// boardFilterOf reads the board's filter from the query of the board's
// URL: the request's own, or for an action posted from the board (an
// assignment) the page the browser shows (htmx's HX-Current-URL).
func boardFilterOf(e *core.RequestEvent) boardFilter {
	q := e.Request.URL.Query()
	if e.Request.URL.Path != "/board" {
		q = neturl.Values{}
		if u, err := neturl.Parse(e.Request.Header.Get("HX-Current-URL")); err == nil && u.Path == "/board" {
			q = u.Query()
		}
	}
	f := boardFilter{Territory: q.Get("territory"), Pages: map[string]int{}}
	if n, err := strconv.Atoi(q.Get("min_score")); err == nil && n > 0 && n <= 100 {
		f.MinScore = n
	}
	for _, s := range boardSections {
		if n, err := strconv.Atoi(q.Get(s)); err == nil && n > 1 {
			f.Pages[s] = n
		}
	}
	return f
}

// query is the filter in a URL query, with section moved to page.
func (f boardFilter) query(section string, page int) string {
	v := neturl.Values{}
	if f.Territory != "" {
		v.Set("territory", f.Territory)
	}
	if f.MinScore > 0 {
		v.Set("min_score", strconv.Itoa(f.MinScore))
	}
	for _, s := range boardSections {
		n := f.Pages[s]
		if s == section {
			n = page
		}
		if n > 1 {
			v.Set(s, strconv.Itoa(n))
		}
	}
	return "/board?" + v.Encode()
}

// where is the filter's condition on leads.
func (f boardFilter) where() dbx.Expression {
	var conds []dbx.Expression
	if f.Territory != "" {
		conds = append(conds, dbx.HashExp{"leads.territory": f.Territory})
	}
	if f.MinScore > 0 {
		conds = append(conds, dbx.NewExp("leads.score >= {:minScore}", dbx.Params{"minScore": f.MinScore}))
	}
	return dbx.And(conds...)
}

// board renders the distribution board.
func (h *handlers) board(e *core.RequestEvent) error {
	p, err := h.boardPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "board", p)
}

func (h *handlers) boardPage(e *core.RequestEvent) (*boardPage, error) {
	s := sess(e)
	p := &boardPage{page: h.page(e, "board", "board.title"), Filter: boardFilterOf(e)}
	var err error
	if p.Territories, err = h.boardTerritories(s); err != nil {
		return nil, err
	}
	p.HasConflicts = h.hasField("leads", "held")
	waiting := dbx.NewExp("leads.id IN (" + distribution.WaitingLeadIDsSQL + ")")
	ready := dbx.HashExp{"leads.status": "ready", "leads.partner": ""}
	columns := []struct {
		dst   *boardSection
		where dbx.Expression
		sort  string
	}{
		{&p.Ready, dbx.And(ready, dbx.Not(waiting)), "-score,created"},
		{&p.Waiting, dbx.And(ready, waiting), "created"},
		{&p.Pending, dbx.HashExp{"leads.status": "offered"}, "accept_by"},
	}
	if p.HasConflicts {
		columns[0].where = dbx.And(columns[0].where, dbx.HashExp{"leads.held": false})
		columns[1].where = dbx.And(columns[1].where, dbx.HashExp{"leads.held": false})
		columns = append(columns, struct {
			dst   *boardSection
			where dbx.Expression
			sort  string
		}{&p.Conflicts, dbx.HashExp{"leads.held": true}, "created"})
	}
	recs := make([][]*core.Record, len(columns))
	for i, c := range columns {
		if *c.dst, recs[i], err = h.boardSection(s, p.Filter, boardSections[i], c.where, c.sort); err != nil {
			return nil, err
		}
	}
	// the leads of every column converted at once: one read of the
	// partners' and assignees' names and of the customers' names
	var all []*core.Record
	for _, r := range recs {
		all = append(all, r...)
	}
	views, err := h.leadViews(s, all)
	if err != nil {
		return nil, err
	}
	for i, c := range columns {
		c.dst.Leads, views = views[:len(recs[i]):len(recs[i])], views[len(recs[i]):]
	}
	if err := h.nameConflictPartners(s, p.Conflicts.Leads); err != nil {
		return nil, err
	}
	if p.Answers, err = h.recentAnswers(s); err != nil {
		return nil, err
	}
	return p, nil
}

// boardSection reads one page of a column through the read path, with the
// real count of its leads; the caller converts the records (boardPage:
// every column at once).
func (h *handlers) boardSection(s *session, f boardFilter, id string, where dbx.Expression, sort string) (boardSection, []*core.Record, error) {
	sec := boardSection{ID: id, Page: max(f.Pages[id], 1)}
	recs, res, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{Where: dbx.And(where, f.where()), Sort: sort,
		Page: sec.Page, PerPage: boardPageSize, Count: true})
	if err != nil {
		return sec, nil, err
	}
	if res != nil {
		sec.Total = res.TotalItems
		sec.Pages = res.TotalPages
	}
	if sec.Page > 1 {
		sec.Prev = f.query(id, sec.Page-1)
	}
	if sec.Page < sec.Pages {
		sec.Next = f.query(id, sec.Page+1)
	}
	return sec, recs, nil
}

// nameConflictPartners replaces, in held leads, the id of the partner in
// conflict with its name.
func (h *handlers) nameConflictPartners(s *session, leads []leadView) error {
	if len(leads) == 0 {
		return nil
	}
	pn, err := h.names(s, "partners", conflictPartners(leads))
	if err != nil {
		return err
	}
	for i := range leads {
		leads[i].ConflictPartner = pn[leads[i].ConflictPartner]
	}
	return nil
}

// boardTerritories are the territories of the board's filter: the user's
// own when they manage some, else every territory they may read.
func (h *handlers) boardTerritories(s *session) ([]territoryOption, error) {
	q := access.ListQuery{Sort: "name", PerPage: access.MaxPerPage}
	if mine := managedTerritories(s.user); len(mine) > 0 {
		q.Where = dbx.In("territories.id", mine...)
	}
	recs, _, err := access.ListFor(h.app, s.user, "territories", q)
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]territoryOption, 0, len(recs))
	for _, r := range recs {
		out = append(out, territoryOption{ID: r.Id, Name: r.GetString("name")})
	}
	return out, nil
}

// managedTerritories are the territories a user manages (a channel
// manager's), as query values; none for an admin.
func managedTerritories(user *core.Record) []any {
	var out []any
	for _, t := range user.GetStringSlice("territories") {
		out = append(out, t)
	}
	return out
}

func conflictPartners(leads []leadView) []string {
	var ids []string
	for _, l := range leads {
		ids = append(ids, l.ConflictPartner)
	}
	return ids
}

// partnerLoad is the open load and offer answers of a partner.
type partnerLoad struct {
	open, accepted, answered int
}

// partnerStats counts, for partners the user may already see, their open
// leads and their answered offers. These are aggregates over all of a
// partner's leads (its load against its capacity, as the distribution
// engine sees it); no lead record is read or shown.
func (h *handlers) partnerStats(ids []string) (map[string]partnerLoad, error) {
	out := map[string]partnerLoad{}
	if len(ids) == 0 {
		return out, nil
	}
	in := make([]any, 0, len(ids))
	for _, id := range ids {
		in = append(in, id)
	}
	open := make([]any, 0, 4)
	for _, st := range lifecycle.EntrustedStatuses() {
		open = append(open, st)
	}
	var loads []struct {
		Partner string `db:"partner"`
		N       int    `db:"n"`
	}
	err := h.app.DB().Select("partner", "COUNT(*) AS n").From("leads").
		Where(dbx.And(dbx.In("partner", in...), dbx.In("status", open...))).GroupBy("partner").All(&loads)
	if err != nil {
		return nil, err
	}
	for _, l := range loads {
		st := out[l.Partner]
		st.open = l.N
		out[l.Partner] = st
	}
	var answers []struct {
		Partner  string `db:"partner"`
		Accepted int    `db:"accepted"`
		Answered int    `db:"answered"`
	}
	err = h.app.DB().Select("partner", "SUM(outcome = 'accepted') AS accepted", "COUNT(*) AS answered").From("lead_offers").
		Where(dbx.And(dbx.In("partner", in...), dbx.In("outcome", "accepted", "declined", "expired"))).GroupBy("partner").All(&answers)
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		st := out[a.Partner]
		st.accepted, st.answered = a.Accepted, a.Answered
		out[a.Partner] = st
	}
	return out, nil
}

// recentAnswers lists the latest declined and expired offers the user may
// see.
func (h *handlers) recentAnswers(s *session) ([]answerView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "lead_offers", access.ListQuery{
		Where: dbx.In("lead_offers.outcome", "declined", "expired"), Sort: "-decided_at", PerPage: 20,
	})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var lids, pids []string
	for _, r := range recs {
		lids = append(lids, r.GetString("lead"))
		pids = append(pids, r.GetString("partner"))
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	leads, err := h.visibleLeads(s, lids)
	if err != nil {
		return nil, err
	}
	out := make([]answerView, 0, len(recs))
	for _, r := range recs {
		out = append(out, answerView{LeadID: r.GetString("lead"), Lead: leads[r.GetString("lead")], Partner: pn[r.GetString("partner")],
			Outcome: r.GetString("outcome"), Reason: r.GetString("reason"), ReasonCode: r.GetString("reason_code"), ReasonNote: r.GetString("reason_note"),
			DecidedAt: r.GetDateTime("decided_at")})
	}
	return out, nil
}

// visibleLeads maps lead ids to their views, for the leads the user may
// see.
func (h *handlers) visibleLeads(s *session, ids []string) (map[string]leadView, error) {
	out := map[string]leadView{}
	var in []any
	for _, id := range ids {
		if id != "" {
			in = append(in, id)
		}
	}
	if len(in) == 0 {
		return out, nil
	}
	recs, _, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{Where: dbx.In("leads.id", in...), PerPage: access.MaxPerPage})
	if err != nil {
		return nil, err
	}
	views, err := h.leadViews(s, recs)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		out[v.ID] = v
	}
	return out, nil
}
