package webhooks

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Sender POSTs one event body with its headers to url and returns the
// receiver's HTTP status (the api package's HTTP client; tests may pass
// their own). A status outside 2xx or an error is a failed attempt.
type Sender func(ctx context.Context, url string, body []byte, headers map[string]string) (int, error)

// IdempotencyHeader carries the event id: a receiver that sees it twice
// (at-least-once delivery) ignores the second.
const IdempotencyHeader = "Idempotency-Key"

// batchSize is how many due events DeliverDue reads at once.
const batchSize = 50

// due is an event ready to be sent.
type due struct {
	ID       string `db:"id"`
	Event    string `db:"event"`
	Payload  string `db:"payload"`
	Attempts int    `db:"attempts"`
	URL      string `db:"url"`
	Secret   string `db:"secret"`
}

// DeliverDue sends every due event, each lead's in order, until none is
// due, and returns how many it sent (delivered or failed). An event is due
// when it is pending, its next attempt time has come, no earlier event of
// its lead is pending, and its integration's endpoint is active. A failed
// attempt is retried after Backoff(attempts).
func DeliverDue(ctx context.Context, app core.App, send Sender, now func() time.Time) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		batch, err := dueEvents(app, now())
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		for _, d := range batch {
			if ctx.Err() != nil {
				return sent, nil
			}
			if err := deliverOne(ctx, app, send, d, now); err != nil {
				return sent, err
			}
			sent++
		}
	}
	return sent, nil
}

// dueEvents reads the first due events, the head of each lead's queue.
func dueEvents(app core.App, now time.Time) ([]due, error) {
	var out []due
	err := app.DB().NewQuery(`SELECT e.id, e.event, e.payload, e.attempts, h.url, h.secret
		FROM webhook_events e JOIN integration_webhooks h ON h.user = e.user AND h.active = 1
		WHERE e.status = 'pending' AND e.next_at <= {:now}
		  AND NOT EXISTS (SELECT 1 FROM webhook_events p WHERE p.lead = e.lead AND p.status = 'pending' AND p.seq < e.seq)
		ORDER BY e.next_at, e.seq LIMIT {:n}`).
		Bind(dbx.Params{"now": dateText(now), "n": batchSize}).All(&out)
	return out, err
}

// deliverOne makes one attempt and records its outcome.
func deliverOne(ctx context.Context, app core.App, send Sender, d due, now func() time.Time) error {
	body := []byte(d.Payload)
	headers := map[string]string{
		"Content-Type":    "application/json",
		SignatureHeader:   Sign(d.Secret, body),
		IdempotencyHeader: d.ID,
		"X-Relais-Event":  d.Event,
		"User-Agent":      "Relais-Webhooks/1",
	}
	status, err := send(ctx, d.URL, body, headers)
	at := now()
	if err == nil && status >= 200 && status < 300 {
		_, err := app.DB().NewQuery(`UPDATE webhook_events SET status = 'delivered', attempts = attempts + 1, last_status = {:s},
			last_error = '', delivered_at = {:at}, updated = {:at} WHERE id = {:id}`).
			Bind(dbx.Params{"s": status, "at": dateText(at), "id": d.ID}).Execute()
		return err
	}
	msg := fmt.Sprintf("HTTP %d", status)
	if err != nil {
		msg = err.Error()
	}
	if len(msg) > 500 {
		msg = msg[:500]
	}
	attempts := d.Attempts + 1
	_, uerr := app.DB().NewQuery(`UPDATE webhook_events SET attempts = {:a}, last_status = {:s}, last_error = {:e},
		next_at = {:next}, updated = {:at} WHERE id = {:id}`).
		Bind(dbx.Params{"a": attempts, "s": status, "e": msg, "next": dateText(at.Add(Backoff(attempts))), "at": dateText(at), "id": d.ID}).Execute()
	return uerr
}
