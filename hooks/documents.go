package hooks

import (
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// Documents (issue 7): a library of protected files. Who sees a document is
// decided by the documents rules (hooks/policy: audience internal,
// all_partners, tiers or kinds, and expiry for partners); PocketBase checks
// the same ViewRule for /api/files/documents/... with a file token. The
// download of a document marked `sensitive` is audited, whether it goes
// through GET /api/prm/documents/{id}/download, PocketBase's file URL, or
// the UI (through ServeDocument).

// bindDocuments validates audiences and audits sensitive downloads made
// through PocketBase's file URL.
func bindDocuments(app core.App) {
	app.OnRecordValidate("documents").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		switch e.Record.GetString("audience") {
		case "tiers":
			if len(e.Record.GetStringSlice("tiers")) == 0 {
				errs["tiers"] = validation.NewError("validation_required", "a document for tiers lists at least one tier")
			}
		case "kinds":
			if len(e.Record.GetStringSlice("kinds")) == 0 {
				errs["kinds"] = validation.NewError("validation_required", "a document for partner kinds lists at least one kind")
			}
		}
		if len(errs) > 0 {
			return errs
		}
		return e.Next()
	})
	app.OnFileDownloadRequest("documents").BindFunc(func(e *core.FileDownloadRequestEvent) error {
		if !e.Record.GetBool("sensitive") || e.FileField.GetName() != "file" {
			return e.Next()
		}
		// PocketBase has checked the file token against the ViewRule; the
		// downloader is the token's owner (the Authorization header is
		// usually absent on a file URL).
		actor := audit.ActorOf(e.RequestEvent)
		if tok := e.Request.URL.Query().Get("token"); tok != "" {
			if u, err := e.App.FindAuthRecordByToken(tok, core.TokenTypeFile); err == nil {
				actor.ID, actor.Role, actor.Partner = u.Id, u.GetString("role"), u.GetString("partner")
				if u.IsSuperuser() {
					actor.Role, actor.Partner = "superuser", ""
				}
			}
		}
		if err := auditDownload(e.App, actor, e.Record, "file_url"); err != nil {
			return err
		}
		return e.Next()
	})
}

func auditDownload(app core.App, actor audit.Actor, doc *core.Record, via string) error {
	return audit.Append(app, actor, "document.download", "documents", doc.Id,
		map[string]any{"title": doc.GetString("title"), "file": doc.GetString("file"), "via": via})
}

// ServeDocument sends a document's file to a user who may view the
// document (the documents ViewRule: audience and expiry), auditing the
// download when the document is sensitive. The audit entry is written
// before the first byte: no entry, no file. A document the user may not see
// and one without a file are both domain.ErrNotVisible.
func ServeDocument(e *core.RequestEvent, by access.By, id, via string) error {
	doc, err := access.ViewFor(e.App, by.User, "documents", id)
	if err != nil {
		return err
	}
	name := doc.GetString("file")
	if name == "" {
		return domain.ErrNotVisible
	}
	if doc.GetBool("sensitive") {
		if err := auditDownload(e.App, by.Actor, doc, via); err != nil {
			return err
		}
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if err := fsys.Serve(e.Response, e.Request, doc.BaseFilesPath()+"/"+name, name); err != nil {
		e.App.Logger().Error("document download failed", "document", doc.Id, "error", err)
		return e.Error(http.StatusNotFound, "", nil)
	}
	return nil
}
