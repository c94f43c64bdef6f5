package webhooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/beforerow"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/stmtcache"
)

// LeadWritten writes the outbox event of a lead's update, in the
// transaction of the update (opening one around a lone save): bind it to
// the leads' update Execute event. Only the leads an integration with an
// endpoint created have events (active or paused: a paused endpoint gets
// them when it is active again).
func LeadWritten(e *core.RecordEvent) error {
	creator := e.Record.GetString("created_by")
	if creator == "" {
		return e.Next()
	}
	_, ok, err := EndpointOf(e.App, creator)
	if err != nil {
		return err
	}
	if !ok {
		return e.Next()
	}
	return beforerow.InTx(e, func(tx core.App) error {
		old, err := readState(tx, e.Record.Id)
		if err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		now := stateOf(e.Record)
		ev := EventFor(old, now)
		if ev == "" {
			return nil
		}
		return enqueue(tx, creator, e.Record.Id, ev, old, now, time.Now())
	})
}

// stateOf is the state of a lead record.
func stateOf(r *core.Record) LeadState {
	return LeadState{
		Status: r.GetString("status"), Partner: r.GetString("partner"), OfferedAt: r.GetString("offered_at"),
		SourceRef: r.GetString("source_ref"), Source: r.GetString("source"), WonAmount: r.GetFloat("won_amount"),
		LostReason: r.GetString("lost_reason"), MeetingAt: r.GetString("meeting_at"), Offers: r.GetInt("offers_count"),
	}
}

// readState reads the stored state of a lead (before its write).
func readState(tx core.App, id string) (LeadState, error) {
	var row struct {
		Status    string `db:"status"`
		Partner   string `db:"partner"`
		OfferedAt string `db:"offered_at"`
	}
	err := stmtcache.Query(tx.DB(), "SELECT status, partner, offered_at FROM leads WHERE id = {:id}").Bind(dbx.Params{"id": id}).One(&row)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return LeadState{}, err
	}
	return LeadState{Status: row.Status, Partner: row.Partner, OfferedAt: row.OfferedAt}, nil
}

// enqueue writes one pending event, next in its lead's order, or merges
// it into the lead's last event (MergesInto).
func enqueue(tx core.App, user, lead, event string, old, new LeadState, at time.Time) error {
	var last struct {
		ID       string `db:"id"`
		Seq      int    `db:"seq"`
		Event    string `db:"event"`
		Status   string `db:"status"`
		Attempts int    `db:"attempts"`
		Payload  string `db:"payload"`
	}
	err := stmtcache.Query(tx.DB(), "SELECT id, seq, event, status, attempts, payload FROM webhook_events WHERE lead = {:l} ORDER BY seq DESC LIMIT 1").
		Bind(dbx.Params{"l": lead}).One(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ts := dateText(at)
	if last.Status == StatusPending && last.Attempts == 0 && MergesInto(last.Event, previousStatus(last.Payload), event) {
		body, err := json.Marshal(Body(last.ID, EventReoffered, lead, LeadState{Status: lifecycle.StatusOffered}, new, at))
		if err != nil {
			return err
		}
		_, err = tx.DB().NewQuery("UPDATE webhook_events SET event = {:e}, payload = {:p}, updated = {:at} WHERE id = {:id}").
			Bind(dbx.Params{"e": EventReoffered, "p": string(body), "at": ts, "id": last.ID}).Execute()
		return err
	}
	id := core.GenerateDefaultRandomId()
	body, err := json.Marshal(Body(id, event, lead, old, new, at))
	if err != nil {
		return err
	}
	_, err = tx.DB().Insert("webhook_events", dbx.Params{
		"id": id, "user": user, "lead": lead, "seq": last.Seq + 1, "event": event, "payload": string(body),
		"status": StatusPending, "attempts": 0, "next_at": ts, "last_status": 0, "last_error": "", "delivered_at": "",
		"created": ts, "updated": ts,
	}).Execute()
	return err
}

// previousStatus reads lead.previous_status of a stored body.
func previousStatus(payload string) string {
	var b struct {
		Lead struct {
			Previous string `json:"previous_status"`
		} `json:"lead"`
	}
	if json.Unmarshal([]byte(payload), &b) != nil {
		return ""
	}
	return b.Lead.Previous
}

// Delivery states of an event.
const (
	StatusPending   = "pending"
	StatusDelivered = "delivered"
)

// dateText is a time as PocketBase stores dates.
func dateText(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
