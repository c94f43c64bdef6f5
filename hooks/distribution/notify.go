package distribution

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// offerMessage is the public description of an offered lead: company (a
// neutral noun for a private customer), town, segment, interest and score
// — never the contact (SPEC §3.3.2, §3.3.3).
func offerMessage(lead *core.Record, acceptBy time.Time) notify.Message {
	return notify.Msg("offer", "lead", leadName(lead), "postal_code", lead.GetString("postal_code"), "city", lead.GetString("city"),
		"segment", notify.Label("segment", lead.GetString("segment")), "score", lead.GetInt("score"),
		"interest", lead.GetString("interest"), "accept_by", notify.Time(acceptBy))
}

// leadName names a lead in a message: its company, or the neutral noun
// of a private customer in the reader's language.
func leadName(lead *core.Record) notify.Arg {
	if lead.GetBool("private") {
		return notify.Private()
	}
	return notify.Arg{V: lead.GetString("company")}
}

// notifyOffer tells the assignee and the partner managers of a new offer;
// the assignee's e-mail is copied to the partner's notify_email.
func notifyOffer(tx core.App, lead, partner, assignee *core.Record, acceptBy time.Time) error {
	msg := offerMessage(lead, acceptBy)
	recipients := []string{assignee.Id}
	managers := []struct {
		ID string `db:"id"`
	}{}
	if err := tx.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1").
		Bind(dbx.Params{"p": partner.Id, "role": roles.PartnerManager}).All(&managers); err != nil {
		return err
	}
	for _, m := range managers {
		if m.ID != assignee.Id {
			recipients = append(recipients, m.ID)
		}
	}
	for i, u := range recipients {
		m := msg
		if i == 0 {
			m.CopyPartner = partner.Id
		}
		if err := notify.Send(tx, u, "offer", lead.Id, m); err != nil {
			return err
		}
	}
	return nil
}

// notifyChannelManagers alerts the channel managers of the lead's territory
// (all admins when nobody manages it).
func notifyChannelManagers(tx core.App, lead *core.Record, kind string, msg notify.Message) error {
	rows := []struct {
		ID string `db:"id"`
	}{}
	err := tx.DB().NewQuery(`SELECT DISTINCT u.id AS id FROM users u, json_each(CASE WHEN json_valid(u.territories) THEN u.territories ELSE '[]' END) t
		WHERE u.role = {:role} AND u.active = 1 AND t.value = {:t}`).Bind(dbx.Params{"t": lead.GetString("territory"), "role": roles.ChannelManager}).All(&rows)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		if err := tx.DB().NewQuery("SELECT id FROM users WHERE role = {:role} AND active = 1").Bind(dbx.Params{"role": roles.Admin}).All(&rows); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if err := notify.Send(tx, r.ID, kind, lead.Id, msg); err != nil {
			return err
		}
	}
	return nil
}
