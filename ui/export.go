package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/governance"
)

// exportRecords is the export button of the access rights page: the same
// export as GET /api/prm/export/{resource} (governance.AllowExport and
// StartExport: the matrix's export flag or a running export grant, which
// this export uses up; the rows through the read path, capped, formulas
// neutralised; one audit entry), sent as a CSV download. It is a POST
// with the page's CSRF token: it uses up a grant. A refusal is a page
// that says why (no right, or the single-use right already used).
func (h *handlers) exportRecords(e *core.RequestEvent) error {
	resource := e.Request.PathValue("resource")
	if !governance.Exportable(e.App, resource) {
		return errNotFound
	}
	now := h.now()
	actor := access.ByRequest(e).Actor
	grant, err := governance.AllowExport(e.App, e.Auth, actor, resource, "", "", now)
	if err == nil {
		var x governance.Export
		if x, err = governance.StartExport(e.App, e.Auth, actor, resource, "", "", grant, now); err == nil {
			return api.WriteExport(e, x, now)
		}
	}
	var denied *governance.ExportDenied
	var de *domain.Error
	switch {
	case errors.As(err, &denied), errors.As(err, &de) && de.Code == "grant_used":
		return &uiError{status: http.StatusForbidden, msg: "gov.export.refused"}
	}
	return err
}
