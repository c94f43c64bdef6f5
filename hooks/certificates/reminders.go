package certificates

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// ReminderCronID is the daily job of the certificate expiry reminders.
const ReminderCronID = "relais_certificate_reminders"

// NotifyExpiry is the notification kind of a certificate expiry reminder.
const NotifyExpiry = "certificate_expiry"

// RemindExpiring sends the reminders due at now (DueReminder) for the
// certificates that end within the widest reminder and that no later
// certificate of the same partner and kind replaces: an in-app
// notification to the partner's active partner managers and to its
// channel manager (else the channel managers of its territories, else
// the admins). Each threshold is sent once per certificate: it goes into
// relais_certificate_reminders in the transaction of the notifications.
// It returns how many reminders were sent (one per certificate and
// threshold).
func RemindExpiring(app core.App, now time.Time) (int, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	err := app.DB().NewQuery(`SELECT c.id AS id FROM partner_certificates c
		WHERE c.valid_until >= {:from} AND c.valid_until < {:until}
		AND NOT EXISTS (SELECT 1 FROM partner_certificates c2 WHERE c2.partner = c.partner AND c2.kind = c.kind AND c2.valid_until > c.valid_until)
		ORDER BY c.valid_until LIMIT 1000`).Bind(dbx.Params{
		"from":  dayStart(now).Format(types.DefaultDateLayout),
		"until": dayStart(now).AddDate(0, 0, ReminderDays[0]+1).Format(types.DefaultDateLayout),
	}).All(&rows)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		sent := false
		err := app.RunInTransaction(func(tx core.App) error {
			var e error
			sent, e = remind(tx, r.ID, now)
			return e
		})
		if err != nil {
			app.Logger().Error("certificate reminder failed", "certificate", r.ID, "error", err)
			continue
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// dayStart is the start of now's UTC day.
func dayStart(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// remind sends the reminder due for one certificate, if any, and marks it.
func remind(tx core.App, id string, now time.Time) (bool, error) {
	c, err := tx.FindRecordById("partner_certificates", id)
	if err != nil {
		return false, err
	}
	until := c.GetDateTime("valid_until").Time()
	var sent []int
	if err := tx.DB().NewQuery("SELECT days FROM relais_certificate_reminders WHERE certificate = {:c}").
		Bind(dbx.Params{"c": id}).Column(&sent); err != nil {
		return false, err
	}
	left := DaysLeft(until, now)
	days, ok := DueReminder(left, sent)
	if !ok {
		return false, nil
	}
	if _, err := tx.DB().NewQuery("INSERT INTO relais_certificate_reminders (certificate, days, at) VALUES ({:c}, {:d}, {:at})").
		Bind(dbx.Params{"c": id, "d": days, "at": now.Unix()}).Execute(); err != nil {
		return false, err
	}
	partner, err := tx.FindRecordById("partners", c.GetString("partner"))
	if err != nil {
		return false, err
	}
	to, err := recipients(tx, partner)
	if err != nil {
		return false, err
	}
	msg := notify.Msg(NotifyExpiry, "partner", partner.GetString("name"), "kind", notify.Label("certificate", c.GetString("kind")),
		"number", c.GetString("number"), "until", notify.Day(until), "days", left)
	for _, u := range to {
		if err := notify.Send(tx, u, NotifyExpiry, "", msg); err != nil {
			return false, err
		}
	}
	return true, nil
}

// recipients are the partner's active partner managers and its channel
// manager (else those of its territories, else the admins), each once.
func recipients(tx core.App, partner *core.Record) ([]string, error) {
	var ids []string
	if err := tx.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1 ORDER BY id").
		Bind(dbx.Params{"p": partner.Id, "role": roles.PartnerManager}).Column(&ids); err != nil {
		return nil, err
	}
	var managers []string
	if cm := partner.GetString("channel_manager"); cm != "" {
		managers = []string{cm}
	} else {
		territory := ""
		if ts := partner.GetStringSlice("territories"); len(ts) > 0 {
			territory = ts[0]
		}
		var err error
		if managers, err = notify.ChannelManagers(tx, territory); err != nil {
			return nil, err
		}
	}
	for _, m := range managers {
		seen := false
		for _, id := range ids {
			seen = seen || id == m
		}
		if !seen {
			ids = append(ids, m)
		}
	}
	return ids, nil
}
