// Package ui is the Relais web UI: server-rendered pages and htmx fragments
// for the partner portal (inbox, leads, lead page, documents, notifications,
// company figures) and the internal workspace (pool, distribution board,
// partners, users, permission matrix, audit log), in French and English.
//
// Sessions live in an HttpOnly cookie loaded by a middleware bound to the UI
// routes only (never /api/*). Every read for the signed-in user goes through
// the rule-aware read path of package hooks (ListFor, ViewFor, CanDo), so a
// page shows exactly what the REST API would; every write goes through the
// hooks' rule-checked operations. Templates, messages and static assets are
// embedded; routes are listed in routes.go.
package ui

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/throttle"
	pbpublic "github.com/relais/relais/pb_public"
)

// handlers holds what every page and action needs; it is built once when
// the server starts (no package globals).
type handlers struct {
	app    core.App
	views  *views
	i18n   *translator
	assets *assets
	logins *throttle.Window
	now    func() time.Time
	// helpHTML are the help pages and first-login guides (help.go)
	helpHTML helpDocs
	// imports are the CSV imports in progress (import_jobs.go)
	imports *importJobs
}

// Register builds the UI when the server starts and binds its routes; a
// missing view, message file or asset fails the start.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		h, err := newHandlers(se.App)
		if err != nil {
			return err
		}
		h.routes(se.Router)
		return se.Next()
	})
}

func newHandlers(app core.App) (*handlers, error) {
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	v, err := parseViews()
	if err != nil {
		return nil, err
	}
	a, err := loadAssets(pbpublic.FS)
	if err != nil {
		return nil, err
	}
	hd, err := loadHelp()
	if err != nil {
		return nil, err
	}
	return &handlers{
		app: app, views: v, i18n: tr, assets: a, helpHTML: hd,
		logins: throttle.NewWindow(),
		now:    time.Now, imports: newImportJobs(),
	}, nil
}
