package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/textindex"
)

// documentCategories are the categories of the library, in display order.
var documentCategories = []string{"price_list", "guide", "marketing", "contract", "training", "other"}

// documentsPage is the sales-enablement library: the documents whose
// audience includes the user (the documents rules match the partner's tier
// and kind, and drop expired ones for partners), by category, searchable.
type documentsPage struct {
	*page
	Docs   []docView
	Groups []docGroup
	// listNav: the search (title, category), sort, total and pager.
	listNav
	Category string
	// Partner shows, to internal users, the documents a partner receives
	// (its page links here).
	Partner, PartnerName string
	Categories           []string
}

// docGroup is the documents of one category.
type docGroup struct {
	Category string
	Docs     []docView
}

type docView struct {
	ID, Title, Audience, File, Category string
	Tiers, Kinds                        []string
	Expires, Updated                    types.DateTime
	Sensitive, Expired, CanEdit         bool
}

// documents lists the documents visible to the user (what GET
// /api/collections/documents/records lists), searched by title and
// filtered by category.
func (h *handlers) documents(e *core.RequestEvent) error {
	s := sess(e)
	query := e.Request.URL.Query()
	p := &documentsPage{page: h.page(e, "documents", "documents.title"), Categories: documentCategories,
		listNav: listNav{PageNo: pageParam(e), Q: strings.TrimSpace(query.Get("q"))}}
	where := documentSearchWhere(p.page, p.Q)
	if c := query.Get("category"); contains(documentCategories, c) {
		p.Category = c
		where = append(where, dbx.HashExp{"documents.category": c})
	}
	if _, ok := documentSorts[query.Get("sort")]; ok {
		p.Sort = query.Get("sort")
	}
	if err := h.documentPartnerFilter(e, p, &where); err != nil {
		return err
	}
	q := access.ListQuery{Sort: documentSorts[p.Sort], Page: p.PageNo, PerPage: documentsPerPage, Count: true}
	if len(where) > 0 {
		q.Where = dbx.And(where...)
	}
	recs, res, err := access.ListFor(e.App, s.user, "documents", q)
	if err != nil {
		return err
	}
	state := listState{Path: "/documents", Q: p.Q, Sort: p.Sort, Partner: p.Partner, Filters: map[string]string{"category": p.Category}}
	p.fill(state, []string{"title", "updated"}, res.TotalItems, res.PerPage)
	for _, r := range recs {
		d := docView{
			ID: r.Id, Title: r.GetString("title"), Audience: r.GetString("audience"), File: r.GetString("file"), Category: r.GetString("category"),
			Tiers: r.GetStringSlice("tiers"), Kinds: r.GetStringSlice("kinds"), Expires: r.GetDateTime("expires"), Updated: r.GetDateTime("updated"),
			Sensitive: r.GetBool("sensitive"),
		}
		d.Expired = !d.Expires.IsZero() && !d.Expires.Time().After(h.now())
		if s.caps.ManageDocs {
			if d.CanEdit, err = access.CanDo(e.App, s.user, r, "update", map[string]any{"title": d.Title}); err != nil {
				return err
			}
		}
		p.Docs = append(p.Docs, d)
	}
	p.Groups = groupDocs(p.Docs)
	return h.render(e, http.StatusOK, "documents", p)
}

// documentsPerPage is the page size of the documents library.
const documentsPerPage = 50

// documentSorts are the sorts of the library; "" is by title.
var documentSorts = map[string]string{
	"": "title", "title": "title", "-title": "-title",
	"updated": "updated,title", "-updated": "-updated,title",
}

// documentSearchWhere is the condition of a search of the library: every
// word matches the title or names a category (its label in the page's
// language contains the word, without case).
func documentSearchWhere(p *page, q string) []dbx.Expression {
	var where []dbx.Expression
	for _, w := range searchWords(q) {
		or := []dbx.Expression{textindex.Contains("documents.title", w)}
		var cats []any
		for _, c := range documentCategories {
			if strings.Contains(strings.ToLower(p.Label("doccat", c)), strings.ToLower(w)) {
				cats = append(cats, c)
			}
		}
		if len(cats) > 0 {
			or = append(or, dbx.In("documents.category", cats...))
		}
		where = append(where, dbx.Or(or...))
	}
	return where
}

// groupDocs groups documents by category, in the categories' order (no
// category: "other").
func groupDocs(docs []docView) []docGroup {
	by := map[string][]docView{}
	for _, d := range docs {
		c := d.Category
		if !contains(documentCategories, c) {
			c = "other"
		}
		by[c] = append(by[c], d)
	}
	var out []docGroup
	for _, c := range documentCategories {
		if len(by[c]) > 0 {
			out = append(out, docGroup{Category: c, Docs: by[c]})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// documentPartnerFilter reads ?partner= for internal users: the documents
// whose audience includes that partner and that have not expired, as the
// documents rules decide for its accounts. The partner comes through the
// rule-aware read path (an unknown or hidden one is a 404).
func (h *handlers) documentPartnerFilter(e *core.RequestEvent, p *documentsPage, where *[]dbx.Expression) error {
	pid := e.Request.URL.Query().Get("partner")
	if pid == "" || p.Kind != "internal" {
		return nil
	}
	partner, err := access.ViewFor(e.App, sess(e).user, "partners", pid)
	if err != nil {
		return err
	}
	p.Partner, p.PartnerName = pid, partner.GetString("name")
	*where = append(*where, dbx.NewExp("(documents.audience = 'all_partners'"+
		" OR (documents.audience = 'tiers' AND EXISTS (SELECT 1 FROM json_each(documents.tiers) WHERE json_each.value = {:tier}))"+
		" OR (documents.audience = 'kinds' AND EXISTS (SELECT 1 FROM json_each(documents.kinds) WHERE json_each.value = {:kind})))"+
		" AND (documents.expires = '' OR documents.expires > {:now})",
		dbx.Params{"tier": partner.GetString("tier"), "kind": partner.GetString("kind"), "now": types.NowDateTime().String()}))
	return nil
}

// downloadDocument streams a protected document file to a user who may
// view the document (the cookie session replaces PocketBase's file token).
func (h *handlers) downloadDocument(e *core.RequestEvent) error {
	// the same path as the API route: ViewFor, audit of sensitive files
	return api.ServeDocument(e, access.ByRequest(e), e.Request.PathValue("id"), "ui")
}

// withdrawDocument withdraws a document now: its expiry becomes now
// (writepath: the documents UpdateRule), so partners stop seeing it at
// once; internal users still see it, marked withdrawn, and may publish it
// again with a later expiry.
func (h *handlers) withdrawDocument(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := writeDocument(e, id, map[string]any{"expires": types.NowDateTime().Add(-time.Second)})
	var de *domain.Error
	if errors.As(err, &de) {
		return de
	}
	if err != nil {
		return err
	}
	setFlash(e, "flash.document_withdrawn")
	return e.Redirect(http.StatusSeeOther, "/documents")
}
