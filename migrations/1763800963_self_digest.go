package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The daily digest e-mail: users.digest (opt-in, the profile page),
// settings_prm.digest_stale_days (a lead in the pipeline unchanged for
// that long is listed; default 7) and relais_digests, the marker of the
// digests sent (one per user and day). The partner roles may write
// users.digest (partner-writable in the policy compiler): the compiled
// rules do not change.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(boolean("digest"))
		if err := app.Save(users); err != nil {
			return err
		}
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.Add(count("digest_stale_days"))
		if err := app.Save(sc); err != nil {
			return err
		}
		for _, q := range []string{
			"UPDATE settings_prm SET digest_stale_days = 7",
			`CREATE TABLE relais_digests (
				user TEXT NOT NULL,
				day  TEXT NOT NULL,
				PRIMARY KEY (user, day)
			)`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("digest")
		if err := app.Save(users); err != nil {
			return err
		}
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.RemoveByName("digest_stale_days")
		if err := app.Save(sc); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("DROP TABLE IF EXISTS relais_digests").Execute()
		return err
	})
}
