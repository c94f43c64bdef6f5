package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Integrations (lead sources): their API keys, their status webhooks and
// the webhooks' durable outbox. All three collections are superuser-only
// (no API rules): the admin page and the REST authentication reach them
// from Go code only.
//
//   - api_keys: one row per key of an integration account: its name, its
//     scopes (ingest, status, webhooks), the SHA-256 of the key (never the
//     key), its prefix for display, who made it, when it was revoked and
//     last used (written at most once a minute per key).
//   - integration_webhooks: per integration account, the URL its status
//     events are POSTed to and the HMAC secret that signs them.
//   - webhook_events: the outbox: one row per status event of a lead the
//     integration created, written in the transaction of the change, with
//     its order per lead (seq), its delivery state and its retries.
//
// settings_prm.integration_password_off refuses password logins of
// integration accounts (they use API keys).
func init() {
	m.Register(integrationsUp, integrationsDown)
}

func integrationsUp(app core.App) error {
	keys := core.NewBaseCollection("api_keys", "relais_api_keys")
	keys.Fields.Add(
		text("name", 120, required), rel("user", usersID, required, cascade),
		selectMany("scopes", []string{"ingest", "status", "webhooks"}),
		text("hash", 64, required, hidden), text("prefix", 16), text("created_by", 40),
		date("revoked_at"), date("last_used_at"),
	)
	keys.Fields.Add(timestamps()...)
	keys.AddIndex("idx_api_keys_hash", true, "hash", "")
	keys.AddIndex("idx_api_keys_user", false, "user", "")

	hooksC := core.NewBaseCollection("integration_webhooks", "relais_integration_webhooks")
	hooksC.Fields.Add(
		rel("user", usersID, required, cascade), text("url", 500, required), text("secret", 100, required, hidden),
		boolean("active"),
	)
	hooksC.Fields.Add(timestamps()...)
	hooksC.AddIndex("idx_integration_webhooks_user", true, "user", "")

	events := core.NewBaseCollection("webhook_events", "relais_webhook_events")
	events.Fields.Add(
		rel("user", usersID, required, cascade), text("lead", 40, required), count("seq"), text("event", 40, required),
		jsonField("payload"), selectOne("status", []string{"pending", "delivered"}, required), count("attempts"),
		date("next_at"), number("last_status", nil, nil, true), text("last_error", 500), date("delivered_at"),
	)
	events.Fields.Add(timestamps()...)
	events.AddIndex("idx_webhook_events_lead", true, "lead, seq", "")
	events.AddIndex("idx_webhook_events_due", false, "status, next_at", "")
	events.AddIndex("idx_webhook_events_user", false, "user, created", "")

	if err := saveAll(app, keys, hooksC, events); err != nil {
		return err
	}
	sc, err := app.FindCollectionByNameOrId("settings_prm")
	if err != nil {
		return err
	}
	sc.Fields.Add(boolean("integration_password_off"))
	return app.Save(sc)
}

func integrationsDown(app core.App) error {
	for _, name := range []string{"webhook_events", "integration_webhooks", "api_keys"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	sc, err := app.FindCollectionByNameOrId("settings_prm")
	if err != nil {
		return err
	}
	sc.Fields.RemoveByName("integration_password_off")
	return app.Save(sc)
}
