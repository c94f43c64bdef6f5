package distribution

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// offerText is the public description of an offered lead: company (a
// neutral noun for a private customer), town, segment, interest and score
// — never the contact (SPEC §3.3.2, §3.3.3).
func offerText(lead *core.Record, acceptBy time.Time) string {
	return fmt.Sprintf("%s — %s %s\nSegment: %s · Score: %d\n%s\nÀ accepter avant / accept before: %s UTC",
		intake.LeadName(lead), lead.GetString("postal_code"), lead.GetString("city"),
		lead.GetString("segment"), lead.GetInt("score"), lead.GetString("interest"), acceptBy.UTC().Format("2006-01-02 15:04"))
}

// notifyOffer tells the assignee and the partner managers of a new offer.
func notifyOffer(tx core.App, lead, partner, assignee *core.Record, acceptBy time.Time) error {
	title := "Nouvelle offre / New offer: " + intake.LeadName(lead) + " (" + lead.GetString("city") + ")"
	body := offerText(lead, acceptBy)
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
	for _, u := range recipients {
		if err := notify.Send(tx, u, "offer", lead.Id, title, body); err != nil {
			return err
		}
	}
	return nil
}

// notifyChannelManagers alerts the channel managers of the lead's territory
// (all admins when nobody manages it).
func notifyChannelManagers(tx core.App, lead *core.Record, kind, title string) error {
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
		if err := notify.Send(tx, r.ID, kind, lead.Id, title, intake.LeadName(lead)+" — "+lead.GetString("city")); err != nil {
			return err
		}
	}
	return nil
}
