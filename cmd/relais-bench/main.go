// Command relais-bench is the Relais appliance (the same app: schema,
// hooks, web UI, commands) plus the benchmark harness of BENCHMARKS.md:
// `relais-bench bench-data` generates a large data dir and `relais-bench
// bench` measures it against the raw SQLite limit. The benchmark code
// (package bench) lives only in this binary: the appliance built from the
// repository root links none of it.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"

	"github.com/relais/relais/cli"
	"github.com/relais/relais/hooks"
	_ "github.com/relais/relais/migrations"
	"github.com/relais/relais/ui"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect})
	hooks.Register(app)
	ui.Register(app)
	cli.Register(app, benchCommands(app)...)
	app.RootCmd.Use = "relais-bench"
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
