// Package notify owns the notifications collection: in-app notifications
// (Send) and the e-mail sent for the kinds that are mailed (Mail), after
// the commit of the transaction that created the notification. A
// notification's text is built by its sender from what the recipient may
// see, never with contact details.
package notify

import (
	"html"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// mailedKinds are the notification kinds also sent by e-mail.
var mailedKinds = map[string]bool{"offer": true, "lead_back_to_pool": true, "offer_accepted": false, "offer_reminder": true}

// Mailed reports whether notifications of kind are also sent by e-mail.
func Mailed(kind string) bool { return mailedKinds[kind] }

// Send creates one in-app notification for userID (leadID may be ""). Its
// text is built only from what the recipient may see; the e-mail of a
// mailed kind is sent from it after the commit (Mail).
func Send(tx core.App, userID, kind, leadID, title, body string) error {
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

// Mail sends the e-mail of notification n to its user: its title, its body
// and a link to the lead's page.
func Mail(app core.App, n *core.Record) error {
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
