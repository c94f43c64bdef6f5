package webhooks

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// ActionResend is the audit action of a resent event.
const ActionResend = "webhook.resend"

// Delivery is one event as the delivery log shows it.
type Delivery struct {
	ID          string `db:"id" json:"id"`
	User        string `db:"user" json:"-"`
	UserName    string `db:"user_name" json:"-"`
	Lead        string `db:"lead" json:"lead"`
	Seq         int    `db:"seq" json:"seq"`
	Event       string `db:"event" json:"type"`
	Payload     string `db:"payload" json:"-"`
	Status      string `db:"status" json:"status"`
	Attempts    int    `db:"attempts" json:"attempts"`
	NextAt      string `db:"next_at" json:"next_at"`
	LastStatus  int    `db:"last_status" json:"last_status"`
	LastError   string `db:"last_error" json:"last_error"`
	DeliveredAt string `db:"delivered_at" json:"delivered_at"`
	Created     string `db:"created" json:"created"`
}

// Deliveries returns the latest events, newest first (limit rows), of one
// integration account or of all ("" user); status "" for any.
func Deliveries(app core.App, user, status string, limit int) ([]Delivery, error) {
	where := dbx.And()
	if user != "" {
		where = dbx.And(where, dbx.HashExp{"e.user": user})
	}
	if status != "" {
		where = dbx.And(where, dbx.HashExp{"e.status": status})
	}
	var out []Delivery
	err := app.DB().Select("e.id", "e.user", "COALESCE(u.name, u.email, '') AS user_name", "e.lead", "e.seq", "e.event", "e.payload",
		"e.status", "e.attempts", "e.next_at", "e.last_status", "e.last_error", "e.delivered_at", "e.created").
		From("webhook_events e").LeftJoin("users u", dbx.NewExp("u.id = e.user")).
		Where(where).OrderBy("e.created DESC", "e.seq DESC").Limit(int64(limit)).All(&out)
	return out, err
}

// Resend queues an event again, now (delivered or not), with the same id:
// the receiver gets it once more, after the earlier pending events of its
// lead. Audited.
func Resend(app core.App, actor audit.Actor, id string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		var lead string
		err := tx.DB().NewQuery("SELECT lead FROM webhook_events WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&lead)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotVisible
		}
		if err != nil {
			return err
		}
		if _, err := tx.DB().NewQuery("UPDATE webhook_events SET status = 'pending', next_at = {:at}, updated = {:at} WHERE id = {:id}").
			Bind(dbx.Params{"at": dateText(now), "id": id}).Execute(); err != nil {
			return err
		}
		return audit.Append(tx, actor, ActionResend, "webhook_events", id, map[string]any{"lead": lead})
	})
}
