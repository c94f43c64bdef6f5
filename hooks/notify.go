package hooks

import (
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/roles"
)

// mailedKinds are the notification kinds also sent by e-mail.
var mailedKinds = map[string]bool{"offer": true, "lead_back_to_pool": true, "offer_accepted": false}

// notify creates one in-app notification. Its text is built only from what
// the recipient may see; e-mails are sent from it after the commit.
func notify(tx core.App, userID, kind, leadID, title, body string) error {
	c, err := tx.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	n := core.NewRecord(c)
	n.Set("user", userID)
	n.Set("kind", kind)
	n.Set("lead", leadID)
	n.Set("title", title)
	n.Set("body", body)
	return tx.Save(n)
}

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
		if err := notify(tx, u, "offer", lead.Id, title, body); err != nil {
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
		if err := notify(tx, r.ID, kind, lead.Id, title, intake.LeadName(lead)+" — "+lead.GetString("city")); err != nil {
			return err
		}
	}
	return nil
}

// bindMail sends the e-mail of a notification once its transaction has
// committed (PocketBase runs after-success hooks after the commit).
func bindMail(app core.App) {
	app.OnRecordAfterCreateSuccess("notifications").BindFunc(func(e *core.RecordEvent) error {
		if mailedKinds[e.Record.GetString("kind")] {
			if err := mailNotification(e.App, e.Record); err != nil {
				e.App.Logger().Warn("notification e-mail not sent", "notification", e.Record.Id, "error", err)
			}
		}
		return e.Next()
	})
}

func mailNotification(app core.App, n *core.Record) error {
	u, err := app.FindRecordById("users", n.GetString("user"))
	if err != nil {
		return err
	}
	s := app.Settings()
	link := strings.TrimRight(s.Meta.AppURL, "/") + "/ui/leads/" + n.GetString("lead")
	text := n.GetString("body") + "\n\n" + link + "\n"
	msg := &mailer.Message{
		From:    mail.Address{Name: s.Meta.SenderName, Address: s.Meta.SenderAddress},
		To:      []mail.Address{{Address: u.Email()}},
		Subject: n.GetString("title"),
		Text:    text,
		HTML:    "<p>" + strings.ReplaceAll(html.EscapeString(n.GetString("body")), "\n", "<br>") + `</p><p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>",
	}
	return app.NewMailClient().Send(msg)
}
