// Package notify owns the notifications collection: in-app notifications
// (Send) and the e-mail sent for the kinds that are mailed: recorded in
// the durable outbox (mail_outbox) in the transaction that creates the
// notification and sent after its commit by a sender outside the writer
// (outbox.go, sender.go). A
// notification's text is a Message (a catalogue id and its values) stored
// with it and written in its reader's language (Render): the recipient's
// `locale` for the stored title, body and e-mail, the viewer's on the
// page. It is built by its sender from what the recipient may see, never
// with contact details.
package notify

import (
	"html"
	"net/mail"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"github.com/relais/relais/hooks/roles"
)

// mailedKinds are the notification kinds also sent by e-mail.
var mailedKinds = map[string]bool{"offer": true, "lead_back_to_pool": true, "offer_accepted": false, "offer_reminder": true}

// Mailed reports whether notifications of kind are also sent by e-mail.
func Mailed(kind string) bool { return mailedKinds[kind] }

// Link is the path a notification leads to, in the app and in its
// e-mail: the UI's /notifications/{id}/open, which goes on to the lead's
// page while the reader may see the lead, else to the notifications page
// (a link never ends on a 404, even after the offer went elsewhere).
func Link(notificationID string) string { return "/notifications/" + notificationID + "/open" }

// LeadLink is the path of a lead's page, for the e-mail sent to a company
// address (no user: the reader signs in first).
func LeadLink(leadID string) string { return "/leads/" + leadID }

// Send creates one in-app notification for userID (leadID may be ""),
// written in the user's language; the message is stored with it, and
// the e-mail of a mailed kind is sent from it after the commit (the
// outbox: Enqueue, SendDue).
func Send(tx core.App, userID, kind, leadID string, m Message) error {
	c, err := tx.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	u, err := tx.FindRecordById("users", userID)
	if err != nil {
		return err
	}
	title, body, err := Render(u.GetString("locale"), m)
	if err != nil {
		return err
	}
	raw, err := m.encode()
	if err != nil {
		return err
	}
	n := core.NewRecord(c)
	n.Set("user", userID)
	n.Set("kind", kind)
	n.Set("lead", leadID)
	n.Set("title", title)
	n.Set("body", body)
	n.Set("message", raw)
	return tx.Save(n)
}

// Text is a notification's title and body for a reader of language lang:
// rendered from its stored message, or as stored when it has none (or
// when the message no longer renders).
func Text(n *core.Record, lang string) (title, body string) {
	if m, ok := decodeMessage(n.GetString("message")); ok {
		if t, b, err := Render(lang, m); err == nil {
			return t, b
		}
	}
	return n.GetString("title"), n.GetString("body")
}

// userMail is the e-mail of notification n to its user, in their
// language: its title, its body and a link to its page; ok is false when
// the user chose to get its kind in the app only (Wanted).
func userMail(app core.App, n *core.Record) (msg *mailer.Message, ok bool, err error) {
	if wanted, err := Wanted(app, n); err != nil || !wanted {
		return nil, false, err
	}
	u, err := app.FindRecordById("users", n.GetString("user"))
	if err != nil {
		return nil, false, err
	}
	lang := Lang(u.GetString("locale"))
	title, body := Text(n, lang)
	return mailMessage(app, u.Email(), lang, title, body, Link(n.Id)), true, nil
}

// copyMail is the copy of an offer's e-mail to the partner's
// notify_email (in the language of the user with that address, else of
// the company's partner managers), linking to the lead; ok is false when
// there is none to send: no copy asked, no address, the address is the
// user's own, or the user gets this kind in the app only.
func copyMail(app core.App, n *core.Record) (msg *mailer.Message, ok bool, err error) {
	m, decoded := decodeMessage(n.GetString("message"))
	if !decoded || m.CopyPartner == "" {
		return nil, false, nil
	}
	if wanted, err := Wanted(app, n); err != nil || !wanted {
		return nil, false, err
	}
	u, err := app.FindRecordById("users", n.GetString("user"))
	if err != nil {
		return nil, false, err
	}
	p, err := app.FindRecordById("partners", m.CopyPartner)
	if err != nil {
		return nil, false, err
	}
	to := strings.TrimSpace(p.GetString("notify_email"))
	if to == "" || strings.EqualFold(to, u.Email()) {
		return nil, false, nil
	}
	lang, err := addressLang(app, p.Id, to)
	if err != nil {
		return nil, false, err
	}
	title, body, err := Render(lang, m)
	if err != nil {
		return nil, false, err
	}
	return mailMessage(app, to, lang, title, body, LeadLink(n.GetString("lead"))), true, nil
}

// AddressLangSQL reads the locales that decide the language of a company
// address ({:a}), best first: the user with that address, whatever its
// case (served by idx_users_email_nocase), then the company's ({:p})
// active partner managers ({:role}), oldest first.
const AddressLangSQL = `SELECT locale FROM users WHERE email = {:a} COLLATE NOCASE
		UNION ALL SELECT * FROM (SELECT locale FROM users WHERE partner = {:p} AND role = {:role} AND active = 1 ORDER BY created, id)`

// addressLang is the language of a company address: the locale of the
// user who has it, else of the company's first active partner manager,
// else French.
func addressLang(app core.App, partnerID, address string) (string, error) {
	var locales []string
	err := app.DB().NewQuery(AddressLangSQL).
		Bind(dbx.Params{"a": address, "p": partnerID, "role": roles.PartnerManager}).Column(&locales)
	if err != nil || len(locales) == 0 {
		return "fr", err
	}
	return Lang(locales[0]), nil
}

// mailMessage is one notification e-mail: the body's lines kept in the
// text part and as <br> in the HTML part, then the link to the page.
func mailMessage(app core.App, to, lang, title, body, path string) *mailer.Message {
	s := app.Settings()
	link := strings.TrimRight(s.Meta.AppURL, "/") + path
	open := catalogue[Lang(lang)]["mail.open"]
	return &mailer.Message{
		From:    mail.Address{Name: s.Meta.SenderName, Address: s.Meta.SenderAddress},
		To:      []mail.Address{{Address: to}},
		Subject: title,
		Text:    body + "\n\n" + open + "\n" + link + "\n",
		HTML: "<p>" + strings.ReplaceAll(html.EscapeString(body), "\n", "<br>\n") + "</p>\n<p>" + html.EscapeString(open) +
			` <a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>",
	}
}
