package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/writepath"
)

// certView is one certificate as the pages show it.
type certView struct {
	ID, Kind, Number, File, Status string
	ValidUntil                     types.DateTime
	CanDelete                      bool
}

// certSection is a partner's certificates: their status, the list and,
// for those whose rules allow it, the upload form.
type certSection struct {
	PartnerID string
	Status    string // certificates.Status*
	Certs     []certView
	CanAdd    bool
	Kinds     []string
	Error     string
}

// certificatesPage is a partner manager's own company's certificates.
type certificatesPage struct {
	*page
	Certs certSection
}

// certSectionFor reads the certificates of a partner through the read
// path (none for a user who may not read them).
func certSectionFor(e *core.RequestEvent, user *core.Record, partnerID string, now time.Time) (certSection, error) {
	sec := certSection{PartnerID: partnerID, Kinds: assign.CertificateKinds(), Status: certificates.StatusNone}
	recs, _, err := access.ListFor(e.App, user, policy.CertificatesCollection, access.ListQuery{
		Where: dbx.HashExp{policy.CertificatesCollection + ".partner": partnerID}, Sort: "-valid_until", PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return sec, nil
	}
	if err != nil {
		return sec, err
	}
	held := map[string]time.Time{}
	for _, r := range recs {
		until := r.GetDateTime("valid_until")
		kind := r.GetString("kind")
		if until.Time().After(held[kind]) {
			held[kind] = until.Time()
		}
		v := certView{ID: r.Id, Kind: kind, Number: r.GetString("number"), File: r.GetString("file"), ValidUntil: until,
			Status: certificates.Status(map[string]time.Time{kind: until.Time()}, now).Status}
		if v.CanDelete, err = access.CanDo(e.App, user, r, "delete", map[string]any{}); err != nil {
			return sec, err
		}
		sec.Certs = append(sec.Certs, v)
	}
	sec.Status = certificates.Status(held, now).Status
	coll, err := e.App.FindCachedCollectionByNameOrId(policy.CertificatesCollection)
	if err != nil {
		return sec, err
	}
	if coll.CreateRule != nil {
		probe := core.NewRecord(coll)
		body := map[string]any{"partner": partnerID, "kind": assign.CertOther, "valid_until": now}
		access.LoadBody(probe, body)
		if sec.CanAdd, err = access.CheckCreateRule(e.App, user, coll, probe, body); err != nil {
			return sec, err
		}
	}
	return sec, nil
}

// myCertificates shows a partner manager's company's certificates.
func (h *handlers) myCertificates(e *core.RequestEvent) error {
	p, err := h.certificatesPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "certificates", p)
}

func (h *handlers) certificatesPage(e *core.RequestEvent) (*certificatesPage, error) {
	s := sess(e)
	p := &certificatesPage{page: h.page(e, "certificates", "certs.title")}
	var err error
	p.Certs, err = certSectionFor(e, s.user, s.user.GetString("partner"), time.Now())
	return p, err
}

// addCertificate uploads a certificate for a partner (multipart: kind,
// number, valid_until, file) through the write path: the collection's
// CreateRule decides.
func (h *handlers) addCertificate(e *core.RequestEvent) error {
	partnerID := e.Request.PathValue("id")
	body := map[string]any{
		"partner": partnerID, "kind": e.Request.FormValue("kind"),
		"number": strings.TrimSpace(e.Request.FormValue("number")), "valid_until": e.Request.FormValue("valid_until"),
	}
	var derr *domain.Error
	files, err := e.FindUploadedFiles("file")
	switch {
	case err == nil && len(files) == 1:
		body["file"] = files[0]
	case err != nil && !errors.Is(err, http.ErrMissingFile):
		return err
	}
	var ferr error
	if ferr = checkPDF(files); ferr == nil {
		_, ferr = writepath.CreateFor(e.App, access.ByRequest(e), policy.CertificatesCollection, body)
	}
	if ferr != nil && !errors.As(ferr, &derr) {
		return ferr
	}
	return h.afterCertChange(e, partnerID, derr, "certs.added")
}

// checkPDF refuses anything but one PDF (PocketBase checks the type too).
func checkPDF(files []*filesystem.File) error {
	if len(files) != 1 {
		return domain.Invalid("required", "file", "the certificate (PDF) is required")
	}
	if !strings.HasSuffix(strings.ToLower(files[0].OriginalName), ".pdf") {
		return domain.Invalid("pdf_only", "file", "the certificate must be a PDF")
	}
	return nil
}

// deleteCertificate removes a certificate the user may delete.
func (h *handlers) deleteCertificate(e *core.RequestEvent) error {
	partnerID := e.Request.PathValue("id")
	var derr *domain.Error
	if _, err := certificates.Delete(e.App, access.ByRequest(e), e.Request.PathValue("cert")); err != nil && !errors.As(err, &derr) {
		return err
	}
	return h.afterCertChange(e, partnerID, derr, "certs.deleted")
}

// afterCertChange renders the page the change came from: a partner
// manager's certificates page, else the partner page.
func (h *handlers) afterCertChange(e *core.RequestEvent, partnerID string, derr *domain.Error, flash string) error {
	s := sess(e)
	own := s.kind == "partner"
	if !isHX(e) && derr == nil {
		if own {
			return e.Redirect(http.StatusSeeOther, "/certificates")
		}
		return e.Redirect(http.StatusSeeOther, "/partners/"+partnerID)
	}
	status := http.StatusOK
	if derr != nil {
		status = api.HTTPStatus(derr)
	}
	if own {
		p, err := h.certificatesPage(e)
		if err != nil {
			return err
		}
		if derr != nil {
			p.Certs.Error = p.Err(derr)
		} else {
			p.Flash = p.T(flash)
		}
		return h.render(e, status, "certificates", p)
	}
	p, err := h.partnerPage(e, partnerID)
	if err != nil {
		return err
	}
	if derr != nil {
		p.Certs.Error = p.Err(derr)
	} else {
		p.Flash = p.T(flash)
	}
	return h.render(e, status, "partner", p)
}

// certificateFile streams a certificate's PDF to a user who may view the
// certificate (the cookie session replaces PocketBase's file token).
func (h *handlers) certificateFile(e *core.RequestEvent) error {
	rec, err := access.ViewFor(e.App, sess(e).user, policy.CertificatesCollection, e.Request.PathValue("cert"))
	if err != nil {
		return err
	}
	name := rec.GetString("file")
	if name == "" {
		return errNotFound
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	return fsys.Serve(e.Response, e.Request, rec.BaseFilesPath()+"/"+name, name)
}

// lapsedVisible lists the partners with a lapsed certificate that the
// user may read (through the read path).
func lapsedVisible(app core.App, user *core.Record, now time.Time) ([]certificates.LapsedPartner, error) {
	all, err := certificates.Lapsed(app, nil, now)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	ids := make([]any, len(all))
	for i, l := range all {
		ids[i] = l.ID
	}
	recs, _, err := access.ListFor(app, user, "partners", access.ListQuery{Where: dbx.In("partners.id", ids...), PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	visible := map[string]bool{}
	for _, r := range recs {
		visible[r.Id] = true
	}
	var out []certificates.LapsedPartner
	for _, l := range all {
		if visible[l.ID] {
			out = append(out, l)
		}
	}
	return out, nil
}
