// Command relais is the Relais PRM appliance: PocketBase with the Relais
// schema, access policy, hooks, REST API, web UI and commands, in one
// binary.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"

	"github.com/relais/relais/api"
	"github.com/relais/relais/cli"
	"github.com/relais/relais/hooks"
	_ "github.com/relais/relais/migrations"
	"github.com/relais/relais/ui"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect})
	hooks.Register(app)
	api.Register(app)
	ui.Register(app)
	cli.Register(app)
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
