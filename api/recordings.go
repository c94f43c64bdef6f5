package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
)

// Call recordings: the multipart `recording` file of an ingest or of
// POST /api/prm/leads/{id}/recording (intake.AttachRecording), and the
// download the UI's lead page plays (ServeRecording).

// uploadedRecording returns the `recording` file of a multipart request
// and its `recording_summary` (nil when the request carries none), checked
// to be audio (intake.CheckRecording).
func uploadedRecording(e *core.RequestEvent) (*filesystem.File, string, error) {
	if !strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, "", nil
	}
	files, err := e.FindUploadedFiles("recording")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", domain.Invalid("invalid_value", "recording", "the recording could not be read")
	}
	if len(files) != 1 {
		return nil, "", domain.Invalid("invalid_value", "recording", "send one recording at a time")
	}
	if err := intake.CheckRecording(files[0]); err != nil {
		return nil, "", err
	}
	return files[0], e.Request.FormValue("recording_summary"), nil
}

// attachRecording serves POST /api/prm/leads/{id}/recording (multipart:
// `recording`, optional `recording_summary`): 201 with the call activity
// as the caller may see it.
func attachRecording(e *core.RequestEvent) error {
	f, summary, err := uploadedRecording(e)
	if err != nil {
		return APIError(e, err)
	}
	if f == nil {
		return APIError(e, domain.Invalid("required", "recording", "send the recording as the multipart file field recording"))
	}
	a, err := intake.AttachRecording(e.App, access.ByRequest(e), e.Request.PathValue("id"), f, summary)
	if err != nil {
		return APIError(e, err)
	}
	rec, err := access.ViewFor(e.App, e.Auth, "activities", a.Id)
	if err != nil {
		return APIError(e, err)
	}
	if err := apis.EnrichRecord(e, rec); err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, rec)
}

// ServeRecording sends the call recording of an activity to a user who
// may view the activity (access.ViewFor) and its Hidden recording
// (access.MayDownloadHidden: internal roles, the integration that sent
// it): the answer is 404 otherwise, as for a missing one. Played inline
// unless download is set. The UI's lead page plays it through this.
func ServeRecording(e *core.RequestEvent, by access.By, activityID string, download bool) error {
	a, err := access.ViewFor(e.App, by.User, "activities", activityID)
	if err != nil {
		return err
	}
	name := a.GetString("recording")
	if name == "" || !access.MayDownloadHidden(e.App, by.User, a, "recording") {
		return domain.ErrNotVisible
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	disposition := "inline"
	if download {
		disposition = "attachment"
	}
	e.Response.Header().Set("Content-Disposition", disposition+`; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	if err := fsys.Serve(e.Response, e.Request, a.BaseFilesPath()+"/"+name, name); err != nil {
		e.App.Logger().Error("recording download failed", "activity", a.Id, "error", err)
		return domain.ErrNotVisible
	}
	return nil
}
