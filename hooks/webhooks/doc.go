// Package webhooks tells a lead source (an integration account) what
// became of the leads it created: per integration, an endpoint (URL and
// HMAC secret); on each status change of such a lead an event written to
// a durable outbox (the webhook_events collection) in the transaction of
// the change; the delivery of due events, in order per lead, with
// exponential backoff (DeliverDue, driven by a worker that the api package
// runs under `serve`, which owns the HTTP client); the delivery log and
// the "resend" action of the admin page.
//
// Delivery is at least once: an event is marked delivered after the
// receiver answered 2xx, so a crash between the two sends it again, with
// the same idempotency key (the event id, in the body and the
// Idempotency-Key header). The events of one lead are sent in the order of
// their seq: a later one waits until the earlier ones are delivered.
//
// What the body carries (Body): the event id and type, the time, and of
// the lead only its id, source_ref, status, the previous status, and the
// won amount, the lost reason or the meeting time when the status has one
// — all fields the integration reads on its own leads under the leads
// rules. Never a partner (neither its id nor its name, whatever the
// matrix: the default matrix gives the integration role no access to
// partners, and a custom one could change at any time after the event was
// written), never an assignee, a contact, a margin or a deal term.
package webhooks
