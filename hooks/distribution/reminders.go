package distribution

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// RemindOffers reminds the assignee and the partner managers of every
// pending offer whose deadline falls within settings_prm
// offer_reminder_hours of now (kind offer_reminder, mailed unless the
// user unticked it). Each offer is reminded once: its id goes into
// relais_offer_reminders in the transaction of the notifications. It
// returns how many offers were reminded; the offer job runs it every
// minute, before the expiry.
func RemindOffers(app core.App, now time.Time) (int, error) {
	s, err := access.LoadSettings(app)
	if err != nil {
		return 0, err
	}
	rows := []struct {
		ID string `db:"id"`
	}{}
	err = app.DB().NewQuery(`SELECT id FROM leads WHERE status = 'offered' AND accept_by > {:now} AND accept_by <= {:until}
		ORDER BY accept_by LIMIT 500`).Bind(dbx.Params{
		"now":   now.UTC().Format(types.DefaultDateLayout),
		"until": now.Add(time.Duration(s.OfferReminderHours) * time.Hour).UTC().Format(types.DefaultDateLayout),
	}).All(&rows)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		sent := false
		err := jobTx(app, func(tx core.App) error {
			var e error
			sent, e = remindOffer(tx, r.ID, now)
			return e
		})
		if err != nil {
			app.Logger().Error("reminding an offer failed", "lead", r.ID, "error", err)
			continue
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// remindOffer sends the reminder of the pending offer of a lead unless it
// was sent already, and marks it sent.
func remindOffer(tx core.App, leadID string, now time.Time) (bool, error) {
	lead, err := tx.FindRecordById("leads", leadID)
	if err != nil {
		return false, err
	}
	if lead.GetString("status") != "offered" {
		return false, nil // answered meanwhile
	}
	o, err := pendingOffer(tx, lead.Id, lead.GetString("partner"))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	res, err := tx.DB().NewQuery("INSERT OR IGNORE INTO relais_offer_reminders (offer, at) VALUES ({:o}, {:at})").
		Bind(dbx.Params{"o": o.Id, "at": now.Unix()}).Execute()
	if err != nil {
		return false, err
	}
	if added, err := res.RowsAffected(); err != nil || added == 0 {
		return false, err // reminded already
	}
	recipients, err := offerRecipients(tx, lead.GetString("partner"), lead.GetString("assignee"))
	if err != nil {
		return false, err
	}
	acceptBy := lead.GetDateTime("accept_by").Time()
	msg := offerMessage(lead, acceptBy)
	msg.ID = "offer_reminder"
	for _, u := range recipients {
		if err := notify.Send(tx, u, "offer_reminder", lead.Id, msg); err != nil {
			return false, err
		}
	}
	return true, nil
}

// offerRecipients are the assignee of an offer and the active partner
// managers of its partner, each once.
func offerRecipients(tx core.App, partnerID, assigneeID string) ([]string, error) {
	var ids []string
	if err := tx.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1 ORDER BY id").
		Bind(dbx.Params{"p": partnerID, "role": roles.PartnerManager}).Column(&ids); err != nil {
		return nil, err
	}
	out := []string{}
	if assigneeID != "" {
		out = append(out, assigneeID)
	}
	for _, id := range ids {
		if id != assigneeID {
			out = append(out, id)
		}
	}
	return out, nil
}

// escalateExpiry tells the channel managers of the lead's territory (the
// admins when nobody manages it) that the offer of a partner expired,
// after the expiry re-offered the lead. When the expiry sent the lead back
// to the pool instead, they were alerted already (lead_back_to_pool): no
// second notification.
func escalateExpiry(tx core.App, leadID, partnerID string) error {
	lead, err := tx.FindRecordById("leads", leadID)
	if err != nil {
		return err
	}
	if lead.GetString("status") == "recycled" {
		return nil
	}
	name := partnerID
	if p, err := tx.FindRecordById("partners", partnerID); err == nil {
		name = p.GetString("name")
	}
	return notifyChannelManagers(tx, lead, "offer_expired",
		notify.Msg("offer_expired", "lead", leadName(lead), "city", lead.GetString("city"), "partner", name))
}
