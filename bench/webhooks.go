package bench

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SetIntegrationWebhook gives the bench integration account a webhook
// endpoint (on) or removes it (off): with one, every status change of the
// leads it ingests writes an outbox event in the transaction of the change
// (webhooks.LeadWritten). Nothing is delivered here: the delivery worker
// runs under `serve` only. Removing the endpoint removes the events it
// got, so the bench leaves no rows behind.
func (e *Env) SetIntegrationWebhook(on bool) error {
	if _, err := e.App.DB().Delete("integration_webhooks", dbx.HashExp{"user": e.Integration.ID}).Execute(); err != nil {
		return err
	}
	if !on {
		_, err := e.App.DB().Delete("webhook_events", dbx.HashExp{"user": e.Integration.ID}).Execute()
		return err
	}
	now := types.NowDateTime().String()
	_, err := e.App.DB().Insert("integration_webhooks", dbx.Params{
		"id": newID(), "user": e.Integration.ID, "url": "http://127.0.0.1:9/bench", "secret": "whsec_bench", "active": true,
		"created": now, "updated": now,
	}).Execute()
	return err
}
