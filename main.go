// Command relais is the Relais PRM appliance: PocketBase with the Relais
// schema, access policy, hooks, REST API, web UI and commands, in one
// binary.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"

	"github.com/relais/relais/cli"
	_ "github.com/relais/relais/migrations"
)

func main() {
	cli.LimitMemory()
	cli.ServeProfiles()
	app := cli.NewApp(pocketbase.Config{}, nil)
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
