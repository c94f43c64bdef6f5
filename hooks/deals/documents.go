package deals

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// Documents: a library of protected files. Who sees a document is
// decided by the documents rules (hooks/policy: audience internal,
// all_partners, tiers or kinds, and expiry for partners); PocketBase checks
// the same ViewRule for /api/files/documents/... with a file token. The
// download of a document marked `sensitive` is audited, whether it goes
// through GET /api/prm/documents/{id}/download, PocketBase's file URL, or
// the UI (DocumentForDownload).

// AuditDownload records the download of a sensitive document (via: route,
// file_url, ui).
func AuditDownload(app core.App, actor audit.Actor, doc *core.Record, via string) error {
	return audit.Append(app, actor, "document.download", "documents", doc.Id,
		map[string]any{"title": doc.GetString("title"), "file": doc.GetString("file"), "via": via})
}

// DocumentForDownload returns a document a user may download — one it may
// view (the documents ViewRule: audience and expiry) with a file — and
// records the download when the document is sensitive, before the caller
// sends the first byte: no entry, no file. A document the user may not see
// and one without a file are both ErrNotVisible.
func DocumentForDownload(app core.App, by access.By, id, via string) (*core.Record, error) {
	doc, err := access.ViewFor(app, by.User, "documents", id)
	if err != nil {
		return nil, err
	}
	if doc.GetString("file") == "" {
		return nil, domain.ErrNotVisible
	}
	if doc.GetBool("sensitive") {
		if err := AuditDownload(app, by.Actor, doc, via); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// ValidateAudience refuses a document for tiers or kinds that names none.
func ValidateAudience(doc *core.Record) error {
	errs := validation.Errors{}
	switch doc.GetString("audience") {
	case "tiers":
		if len(doc.GetStringSlice("tiers")) == 0 {
			errs["tiers"] = validation.NewError("validation_required", "a document for tiers lists at least one tier")
		}
	case "kinds":
		if len(doc.GetStringSlice("kinds")) == 0 {
			errs["kinds"] = validation.NewError("validation_required", "a document for partner kinds lists at least one kind")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
