package cli

import (
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks"
	"github.com/relais/relais/ui"
)

// NewApp builds the Relais appliance from cfg (its zero value: PocketBase's
// defaults and the --dir flag): synchronous=FULL (hooks.DBConnect, unless
// cfg sets its own), the domain's event bindings, the REST API, the web UI
// and the Relais commands, plus the commands extra makes of the app (nil:
// none). Every binary built from this repository starts from it, so none
// can miss a part.
func NewApp(cfg pocketbase.Config, extra func(app core.App) []*cobra.Command) *pocketbase.PocketBase {
	if cfg.DBConnect == nil {
		cfg.DBConnect = hooks.DBConnect
	}
	// a bounded read pool: see hooks.DBConnect for the memory of each
	// connection
	if cfg.DataMaxOpenConns == 0 {
		cfg.DataMaxOpenConns, cfg.DataMaxIdleConns = hooks.ReadPoolOpen, hooks.ReadPoolIdle
	}
	app := pocketbase.NewWithConfig(cfg)
	hooks.Register(app)
	api.Register(app)
	ui.Register(app)
	var more []*cobra.Command
	if extra != nil {
		more = extra(app)
	}
	Register(app, more...)
	return app
}
