package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The generation of the accounts (package hooks/access, authcache.go): a
// one-row plain table whose counter SQLite triggers bump on every update
// or deletion of a users or _superusers row, whoever makes it (a model
// save, raw SQL, another process on the same data dir). The auth record
// cache keeps a record only while the counter has not moved.
func init() {
	m.Register(func(app core.App) error {
		for _, q := range []string{
			`CREATE TABLE relais_auth_gen (id INTEGER PRIMARY KEY NOT NULL, v INTEGER NOT NULL)`,
			`INSERT INTO relais_auth_gen (id, v) VALUES (1, 0)`,
			`CREATE TRIGGER relais_auth_gen_users_update AFTER UPDATE ON users BEGIN UPDATE relais_auth_gen SET v = v + 1 WHERE id = 1; END`,
			`CREATE TRIGGER relais_auth_gen_users_delete AFTER DELETE ON users BEGIN UPDATE relais_auth_gen SET v = v + 1 WHERE id = 1; END`,
			`CREATE TRIGGER relais_auth_gen_superusers_update AFTER UPDATE ON _superusers BEGIN UPDATE relais_auth_gen SET v = v + 1 WHERE id = 1; END`,
			`CREATE TRIGGER relais_auth_gen_superusers_delete AFTER DELETE ON _superusers BEGIN UPDATE relais_auth_gen SET v = v + 1 WHERE id = 1; END`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, q := range []string{
			`DROP TRIGGER IF EXISTS relais_auth_gen_users_update`,
			`DROP TRIGGER IF EXISTS relais_auth_gen_users_delete`,
			`DROP TRIGGER IF EXISTS relais_auth_gen_superusers_update`,
			`DROP TRIGGER IF EXISTS relais_auth_gen_superusers_delete`,
			`DROP TABLE IF EXISTS relais_auth_gen`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
