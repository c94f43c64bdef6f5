package notify

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/beforerow"
	"github.com/relais/relais/hooks/stmtcache"
)

// OutboxCollection is the durable outbox of the notification e-mails: one
// row per e-mail to send (a part of a notification), superuser-only. A row
// holds ids and a delivery state, never an address or a text: the e-mail
// is written when it is sent (from the notification, the user and the
// partner as they are then), and the rows go with their notification.
const OutboxCollection = "mail_outbox"

// The parts of a notification's e-mail: to its reader, and the copy to the
// partner's notify_email.
const (
	PartUser = "user"
	PartCopy = "copy"
)

// The delivery states of an outbox row.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailSkipped = "skipped" // nothing to send when its turn came (opt-out, no copy address)
	MailFailed  = "failed"  // given up after MaxAttempts
)

// Enqueue records the e-mails of a new notification in the outbox, in the
// transaction of the notification (opening one around a lone save): bind
// it to the notifications' create Execute event. Only the mailed kinds
// have e-mails; whether each is sent (opt-outs, the copy's address) is
// decided when it is sent. The writer pays one small INSERT per e-mail
// and never talks to the mail server.
func Enqueue(e *core.RecordEvent) error {
	if !Mailed(e.Record.GetString("kind")) {
		return e.Next()
	}
	return beforerow.InTx(e, func(tx core.App) error {
		if err := e.Next(); err != nil {
			return err
		}
		parts := []string{PartUser}
		if m, ok := decodeMessage(e.Record.GetString("message")); ok && m.CopyPartner != "" {
			parts = append(parts, PartCopy)
		}
		now := dateText(time.Now())
		for _, part := range parts {
			_, err := stmtcache.Query(tx.DB(), `INSERT INTO mail_outbox (id, notification, part, status, attempts, next_at, last_error, sent_at, created, updated)
				VALUES ({:id}, {:n}, {:part}, 'pending', 0, {:now}, '', '', {:now}, {:now})`).
				Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "n": e.Record.Id, "part": part, "now": now}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Kick wakes app's sender (if it runs) after a notification's commit:
// it never waits (the writer's goroutine may be the caller).
func Kick(app core.App) {
	select {
	case senderOf(app).kick <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// dateText is a time as PocketBase stores dates.
func dateText(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
