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
	_ "github.com/relais/relais/migrations"
)

// newApp is the relais-bench app: the appliance's, plus the bench commands.
func newApp(cfg pocketbase.Config) *pocketbase.PocketBase {
	app := cli.NewApp(cfg, benchCommands)
	app.RootCmd.Use = "relais-bench"
	return app
}

func main() {
	app := newApp(pocketbase.Config{})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
