package api

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
)

// auditDocumentDownload records the download of a sensitive document
// through PocketBase's file URL. PocketBase has checked the file token
// against the ViewRule; the downloader is the token's owner (the
// Authorization header is usually absent on a file URL).
func auditDocumentDownload(e *core.FileDownloadRequestEvent) error {
	if !e.Record.GetBool("sensitive") || e.FileField.GetName() != "file" {
		return e.Next()
	}
	actor := audit.ActorOf(e.RequestEvent)
	if tok := e.Request.URL.Query().Get("token"); tok != "" {
		if u, err := e.App.FindAuthRecordByToken(tok, core.TokenTypeFile); err == nil {
			actor.ID, actor.Role, actor.Partner = u.Id, u.GetString("role"), u.GetString("partner")
			if u.IsSuperuser() {
				actor.Role, actor.Partner = "superuser", ""
			}
		}
	}
	if err := deals.AuditDownload(e.App, actor, e.Record, "file_url"); err != nil {
		return err
	}
	return e.Next()
}

// downloadDocument serves GET /api/prm/documents/{id}/download.
func downloadDocument(e *core.RequestEvent) error {
	if err := ServeDocument(e, access.ByRequest(e), e.Request.PathValue("id"), "route"); err != nil {
		return APIError(e, err)
	}
	return nil
}

// ServeDocument sends a document's file to a user who may view the
// document (deals.DocumentForDownload: the documents ViewRule, and the
// audit of a sensitive download before the first byte). The UI's download
// goes through it too.
func ServeDocument(e *core.RequestEvent, by access.By, id, via string) error {
	doc, err := deals.DocumentForDownload(e.App, by, id, via)
	if err != nil {
		return err
	}
	name := doc.GetString("file")
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
