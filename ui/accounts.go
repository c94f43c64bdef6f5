package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/textindex"
)

// accountsPerPage is the page size of the accounts list (the partner page
// cap lowers it for partner roles).
const accountsPerPage = 50

// accountSorts are the sorts of the accounts list.
var accountSorts = map[string]string{
	"": "name", "name": "name", "-name": "-name",
	"city": "city,name", "-city": "-city,name",
	"updated": "updated", "-updated": "-updated",
}

// accountsPage lists the customer accounts the user may see (what GET
// /api/collections/accounts/records lists), searched, sorted and paged;
// for internal sales it is the home page and also lists their open
// opportunities.
type accountsPage struct {
	*page
	Accounts []accountRow
	listNav  // the search, sort, total and pager
	// CanCreate shows the "new account" link (the matrix's create flag;
	// the CreateRule decides on submit).
	CanCreate bool
	// Book lists the user's open opportunities (internal roles that read
	// their own opportunities: internal sales).
	Book     []oppRow
	ShowBook bool
}

// accountRow is one account of a list.
type accountRow struct {
	ID, Name, SIREN, PostalCode, City, Department, Segment string
	PartnerID, PartnerName, OwnerID, OwnerName             string
	Updated                                                types.DateTime
}

// oppRow is one opportunity of a list.
type oppRow struct {
	ID, Name, Stage, AccountID, AccountName, LeadID string
	Amount                                          float64
	CloseDate                                       types.DateTime
}

// accounts lists the accounts of the user.
func (h *handlers) accounts(e *core.RequestEvent) error {
	s := sess(e)
	query := e.Request.URL.Query()
	p := &accountsPage{page: h.page(e, "accounts", "acct.list.title"), listNav: listNav{PageNo: pageParam(e)}, CanCreate: s.caps.CreateAccounts}
	if _, ok := accountSorts[query.Get("sort")]; ok {
		p.Sort = query.Get("sort")
	}
	p.Q = strings.TrimSpace(query.Get("q"))
	perPage, err := leadsPerPage(e.App, s)
	if err != nil {
		return err
	}
	perPage = min(perPage, accountsPerPage)
	recs, res, err := access.ListFor(e.App, s.user, "accounts", access.ListQuery{
		Where: accountSearchWhere(p.Q), Sort: accountSorts[p.Sort], Page: p.PageNo, PerPage: perPage, Count: true,
	})
	if err != nil {
		return err
	}
	if p.Accounts, err = h.accountRows(s, recs); err != nil {
		return err
	}
	p.fill(listState{Path: "/accounts", Q: p.Q, Sort: p.Sort}, []string{"name", "city", "updated"}, res.TotalItems, res.PerPage)
	if s.caps.Book {
		p.ShowBook = true
		where := dbx.NotIn("opportunities.stage", "won", "lost")
		if p.Book, err = h.oppRows(s, where, "close_date,-created", 50); err != nil {
			return err
		}
	}
	return h.render(e, http.StatusOK, "accounts", p)
}

// accountSearchWhere is the condition of a search: every word matches the
// account's name, SIREN, postal code or town. Nil for an empty search.
func accountSearchWhere(q string) dbx.Expression {
	words := searchWords(q)
	if len(words) == 0 {
		return nil
	}
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		all = append(all, dbx.Or(textindex.Contains("accounts.name", w), textindex.Contains("accounts.siren", w),
			textindex.Contains("accounts.postal_code", w), textindex.Contains("accounts.city", w)))
	}
	return dbx.And(all...)
}

// accountRows converts accounts and fills their partner and owner names
// (read for the user: a name they may not see stays empty).
func (h *handlers) accountRows(s *session, recs []*core.Record) ([]accountRow, error) {
	out := make([]accountRow, 0, len(recs))
	var pids, uids []string
	for _, r := range recs {
		out = append(out, accountRowOf(r))
		pids = append(pids, r.GetString("partner"))
		uids = append(uids, r.GetString("owner"))
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	un, err := h.names(s, "users", uids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].PartnerName, out[i].OwnerName = pn[out[i].PartnerID], un[out[i].OwnerID]
	}
	return out, nil
}

func accountRowOf(r *core.Record) accountRow {
	return accountRow{
		ID: r.Id, Name: r.GetString("name"), SIREN: r.GetString("siren"), PostalCode: r.GetString("postal_code"),
		City: r.GetString("city"), Department: r.GetString("department"), Segment: r.GetString("segment"),
		PartnerID: r.GetString("partner"), OwnerID: r.GetString("owner"), Updated: r.GetDateTime("updated"),
	}
}

// oppRows lists up to n opportunities the user may list matching where,
// with their accounts' names.
func (h *handlers) oppRows(s *session, where dbx.Expression, sort string, n int) ([]oppRow, error) {
	recs, _, err := access.ListFor(h.app, s.user, "opportunities", access.ListQuery{Where: where, Sort: sort, PerPage: n})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]oppRow, 0, len(recs))
	var aids []string
	for _, r := range recs {
		out = append(out, oppRow{ID: r.Id, Name: r.GetString("name"), Stage: r.GetString("stage"), AccountID: r.GetString("account"),
			LeadID: r.GetString("lead"), Amount: r.GetFloat("amount"), CloseDate: r.GetDateTime("close_date")})
		aids = append(aids, r.GetString("account"))
	}
	an, err := h.names(s, "accounts", aids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].AccountName = an[out[i].AccountID]
		if out[i].Name == "" {
			out[i].Name = out[i].AccountName
		}
	}
	return out, nil
}
