package ui

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// playRecording streams the call recording of an activity of the lead to
// a user who may view the activity and its recording (api.ServeRecording:
// internal roles; partners get the same 404 as for a missing one), inline
// for the page's audio player, as an attachment with ?download=1.
func (h *handlers) playRecording(e *core.RequestEvent) error {
	a, err := access.ViewFor(e.App, sess(e).user, "activities", e.Request.PathValue("activity"))
	if err != nil {
		return err
	}
	if a.GetString("lead") != e.Request.PathValue("id") {
		return domain.ErrNotVisible
	}
	return api.ServeRecording(e, access.ByRequest(e), a.Id, e.Request.URL.Query().Get("download") == "1")
}
