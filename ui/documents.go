package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
)

// documentsPage is the sales-enablement library: the documents whose
// audience includes the user (the documents rules match the partner's tier
// and kind, and drop expired ones for partners).
type documentsPage struct {
	*page
	Docs []docView
}

type docView struct {
	ID, Title, Audience, File string
	Tiers, Kinds              []string
	Expires, Updated          types.DateTime
}

// documents lists the documents visible to the user.
func (h *handlers) documents(e *core.RequestEvent) error {
	s := sess(e)
	p := &documentsPage{page: h.page(e, "documents", "documents.title")}
	recs, _, err := access.ListFor(e.App, s.user, "documents", access.ListQuery{Sort: "title", PerPage: access.MaxPerPage})
	if err != nil {
		return err
	}
	for _, r := range recs {
		p.Docs = append(p.Docs, docView{
			ID: r.Id, Title: r.GetString("title"), Audience: r.GetString("audience"), File: r.GetString("file"),
			Tiers: r.GetStringSlice("tiers"), Kinds: r.GetStringSlice("kinds"), Expires: r.GetDateTime("expires"), Updated: r.GetDateTime("updated"),
		})
	}
	return h.render(e, http.StatusOK, "documents", p)
}

// downloadDocument streams a protected document file to a user who may
// view the document (the cookie session replaces PocketBase's file token).
func (h *handlers) downloadDocument(e *core.RequestEvent) error {
	// the same path as the API route: ViewFor, audit of sensitive files
	return api.ServeDocument(e, access.ByRequest(e), e.Request.PathValue("id"), "ui")
}
