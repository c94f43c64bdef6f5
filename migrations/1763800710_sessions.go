package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Server-side sessions (package hooks/sessions): one row per
// session, keyed by the session id that every token of the session carries
// (claim "sid"); expires is the expiry of its newest token. A plain table,
// not a collection: the REST API and the admin panel never reach it (with
// a rowid: the GDPR scan reads every table by rowid). Times are Unix
// seconds. And the two timeouts in settings_prm.
func init() {
	m.Register(func(app core.App) error {
		for _, q := range []string{
			`CREATE TABLE relais_sessions (
				id         TEXT PRIMARY KEY NOT NULL,
				collection TEXT NOT NULL,
				record     TEXT NOT NULL,
				via        TEXT NOT NULL,
				created    INTEGER NOT NULL,
				last_seen  INTEGER NOT NULL,
				expires    INTEGER NOT NULL
			)`,
			`CREATE INDEX idx_relais_sessions_record ON relais_sessions (record, collection)`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		// idle and absolute timeouts of UI and API sessions
		sc.Fields.Add(count("session_idle_minutes"), count("session_max_hours"))
		if err := app.Save(sc); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("UPDATE settings_prm SET session_idle_minutes = 480, session_max_hours = 24").Execute()
		return err
	}, func(app core.App) error {
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.RemoveByName("session_idle_minutes")
		sc.Fields.RemoveByName("session_max_hours")
		if err := app.Save(sc); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("DROP TABLE IF EXISTS relais_sessions").Execute()
		return err
	})
}
