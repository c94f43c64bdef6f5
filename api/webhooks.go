package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/webhooks"
)

// webhookPollEvery is how often the delivery worker looks for due events
// (the latency of an event, at most).
const webhookPollEvery = time.Second

// webhookTimeout bounds one delivery attempt.
const webhookTimeout = 10 * time.Second

// startWebhookWorker runs the delivery of the webhooks' outbox
// (webhooks.DeliverDue) in the background of `serve`, until the app
// terminates. The outbox is in the database: events written before a
// crash or a kill are sent after the next start.
func startWebhookWorker(app core.App) {
	ctx, cancel := context.WithCancel(context.Background())
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		cancel()
		return e.Next()
	})
	send := httpSender(&http.Client{
		Timeout: webhookTimeout,
		// a redirect is a failed attempt: the signed body goes to the
		// configured URL only
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	})
	go func() {
		t := time.NewTicker(webhookPollEvery)
		defer t.Stop()
		for {
			if _, err := webhooks.DeliverDue(ctx, app, send, time.Now); err != nil && ctx.Err() == nil {
				app.Logger().Error("webhooks: delivery", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// httpSender POSTs an event with client.
func httpSender(client *http.Client) webhooks.Sender {
	return func(ctx context.Context, url string, body []byte, headers map[string]string) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		_, err = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
		return res.StatusCode, err
	}
}

// HTTPSender is the sender the worker uses, for tests that drive
// webhooks.DeliverDue themselves against a receiver of their own.
func HTTPSender() webhooks.Sender {
	return httpSender(&http.Client{Timeout: webhookTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
}

// listWebhookEvents answers an integration its own latest webhook events
// (GET /api/prm/webhooks/events; a key needs the webhooks scope), newest
// first, each with the body it was sent: to catch up after an outage.
func listWebhookEvents(e *core.RequestEvent) error {
	ok, err := access.HasKind(e.App, e.Auth, roles.Integration)
	if err != nil {
		return APIError(e, err)
	}
	if !ok {
		return e.ForbiddenError("Only integration accounts have webhook events.", nil)
	}
	rows, err := webhooks.Deliveries(e.App, e.Auth.Id, e.Request.URL.Query().Get("status"), 200)
	if err != nil {
		return APIError(e, err)
	}
	items := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		items = append(items, map[string]any{
			"id": r.ID, "type": r.Event, "status": r.Status, "attempts": r.Attempts, "created": r.Created,
			"delivered_at": r.DeliveredAt, "body": json.RawMessage(r.Payload),
		})
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
