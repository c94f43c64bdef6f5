package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Offer reminders: settings_prm.offer_reminder_hours (how long before an
// offer's deadline its assignee and partner managers are reminded;
// default 4) and relais_offer_reminders, the marker of the offers already
// reminded (one row per offer: a reminder is sent once). A plain table,
// not a collection (with a rowid: the GDPR scan reads every table by
// rowid); times are Unix seconds.
func init() {
	m.Register(func(app core.App) error {
		if _, err := app.DB().NewQuery(`CREATE TABLE relais_offer_reminders (
			offer TEXT PRIMARY KEY NOT NULL,
			at    INTEGER NOT NULL
		)`).Execute(); err != nil {
			return err
		}
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.Add(count("offer_reminder_hours"))
		if err := app.Save(sc); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("UPDATE settings_prm SET offer_reminder_hours = 4").Execute()
		return err
	}, func(app core.App) error {
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.RemoveByName("offer_reminder_hours")
		if err := app.Save(sc); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("DROP TABLE IF EXISTS relais_offer_reminders").Execute()
		return err
	})
}
