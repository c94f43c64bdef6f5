package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// documentAudiences are the audiences of a document.
var documentAudiences = []string{"internal", "all_partners", "tiers", "kinds"}

// documentForm is the upload / edit form's values.
type documentForm struct {
	ID, Title, Category, Audience, Expires, File string
	Tiers, Kinds                                 []string
	Sensitive                                    bool
}

// documentFormPage uploads (ID empty) or edits a document.
type documentFormPage struct {
	*page
	Form       documentForm
	Categories []string
	Audiences  []string
	Tiers      []string
	Kinds      []string
	Error      string
	Field      string
}

func (h *handlers) documentFormPage(e *core.RequestEvent, title string) *documentFormPage {
	return &documentFormPage{page: h.page(e, "documents", title), Categories: documentCategories, Audiences: documentAudiences, Tiers: partnerTiers, Kinds: partnerKinds}
}

// newDocument renders the upload form (documents create).
func (h *handlers) newDocument(e *core.RequestEvent) error {
	p := h.documentFormPage(e, "document_form.new")
	p.Form = documentForm{Category: "guide", Audience: "all_partners"}
	return h.render(e, http.StatusOK, "document_form", p)
}

// createDocument uploads a document through the write path (the documents
// CreateRule, the audience check, the audit entry).
func (h *handlers) createDocument(e *core.RequestEvent) error {
	p := h.documentFormPage(e, "document_form.new")
	f, body, err := readDocumentForm(e)
	if err == nil && body["file"] == nil {
		err = domain.Invalid("required", "file", "choose a file")
	}
	if err == nil {
		if _, err = writepath.CreateFor(e.App, access.ByRequest(e), "documents", body); err == nil {
			setFlash(e, "flash.document_saved")
			return e.Redirect(http.StatusSeeOther, "/documents")
		}
	}
	p.Form = f
	return h.documentFormError(e, p, err)
}

// editDocument renders the form of a document the user may update.
func (h *handlers) editDocument(e *core.RequestEvent) error {
	rec, err := h.documentToEdit(e)
	if err != nil {
		return err
	}
	p := h.documentFormPage(e, "")
	p.Title = p.T("document_form.edit", "Title", rec.GetString("title"))
	p.Form = documentForm{
		ID: rec.Id, Title: rec.GetString("title"), Category: rec.GetString("category"), Audience: rec.GetString("audience"),
		Tiers: rec.GetStringSlice("tiers"), Kinds: rec.GetStringSlice("kinds"), Sensitive: rec.GetBool("sensitive"), File: rec.GetString("file"),
	}
	if d := rec.GetDateTime("expires"); !d.IsZero() {
		p.Form.Expires = parisDay(d.Time())
	}
	return h.render(e, http.StatusOK, "document_form", p)
}

// updateDocument saves a document's fields and, when a file is chosen,
// replaces its file (writepath.UpdateFor: the documents UpdateRule).
func (h *handlers) updateDocument(e *core.RequestEvent) error {
	rec, err := h.documentToEdit(e)
	if err != nil {
		return err
	}
	f, body, err := readDocumentForm(e)
	f.ID, f.File = rec.Id, rec.GetString("file")
	if err == nil {
		if _, err = writeDocument(e, rec.Id, body); err == nil {
			setFlash(e, "flash.document_saved")
			return e.Redirect(http.StatusSeeOther, "/documents")
		}
	}
	p := h.documentFormPage(e, "")
	p.Title = p.T("document_form.edit", "Title", rec.GetString("title"))
	p.Form = f
	return h.documentFormError(e, p, err)
}

// writeDocument updates a document through the write path.
func writeDocument(e *core.RequestEvent, id string, body map[string]any) (*core.Record, error) {
	return writepath.UpdateFor(e.App, access.ByRequest(e), "documents", id, body)
}

// documentToEdit loads a document the user may view and update.
func (h *handlers) documentToEdit(e *core.RequestEvent) (*core.Record, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "documents", e.Request.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ok, err := access.CanDo(e.App, s.user, rec, "update", map[string]any{"title": rec.GetString("title")})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errForbidden
	}
	return rec, nil
}

// documentFormError re-renders the form with a domain error.
func (h *handlers) documentFormError(e *core.RequestEvent, p *documentFormPage, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p.Error, p.Field = p.Err(de), de.Field
	return h.render(e, formStatus(de), "document_form", p)
}

// readDocumentForm reads the multipart form: the values shown again, and
// the record body (the file only when one was chosen; the tiers or kinds
// only for their audience).
func readDocumentForm(e *core.RequestEvent) (documentForm, map[string]any, error) {
	r := e.Request
	f := documentForm{
		Title: strings.TrimSpace(r.FormValue("title")), Category: r.FormValue("category"), Audience: r.FormValue("audience"),
		Expires: strings.TrimSpace(r.FormValue("expires")), Tiers: r.Form["tiers"], Kinds: r.Form["kinds"], Sensitive: r.FormValue("sensitive") == "on",
	}
	body := map[string]any{"title": f.Title, "category": f.Category, "audience": f.Audience, "sensitive": f.Sensitive, "tiers": []string{}, "kinds": []string{}, "expires": ""}
	switch f.Audience {
	case "tiers":
		body["tiers"] = append([]string{}, f.Tiers...)
	case "kinds":
		body["kinds"] = append([]string{}, f.Kinds...)
	}
	if f.Expires != "" {
		t, err := endOfDay(f.Expires)
		if err != nil {
			return f, nil, domain.Invalid("validation_invalid_date", "expires", "invalid date")
		}
		body["expires"] = t.UTC()
	}
	files, err := e.FindUploadedFiles("file")
	if err != nil && !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return f, nil, domain.Invalid("file_unreadable", "file", "the file could not be read")
	}
	if len(files) > 0 {
		body["file"] = files[0]
	}
	return f, body, nil
}
