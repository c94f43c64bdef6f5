package hooks_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
)

// The notification e-mails keep their bytes: the assignee's in their
// language with the link to the notification, the copy to the partner's
// address in the language of the user who has it (matched whatever the
// case of the address), the link to the lead.
func TestNotificationMailBytes(t *testing.T) {
	w := newWorld(t)
	en := w.users["partner_user_b"]
	en.Set("locale", "en")
	require.NoError(t, w.app.Save(en))
	p1, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	p1.Set("notify_email", strings.ToUpper(en.Email()))
	require.NoError(t, w.app.Save(p1))
	s := w.app.Settings()
	s.Meta.AppURL, s.Meta.SenderName, s.Meta.SenderAddress = "https://relais.example/", "Relais", "relais@relais.example"
	require.NoError(t, w.app.Save(s))
	lead := w.lead(leadShape{territory: "T1", status: "ready"})
	m := notify.Msg("back_to_pool", "lead", "Ferme <Kerlann> & fils", "city", "Rennes")
	m.CopyPartner = w.P1
	before := len(w.app.TestMailer.Messages())
	require.NoError(t, notify.Send(w.app, w.uid("partner_user"), "offer", lead.Id, m))
	flushMail(t, w)
	n, err := w.app.FindFirstRecordByData("notifications", "user", w.uid("partner_user"))
	require.NoError(t, err)
	msgs := w.app.TestMailer.Messages()[before:]
	require.Len(t, msgs, 2)
	type mail struct{ From, To, Subject, Text, HTML string }
	got := func(i int) mail {
		return mail{msgs[i].From.String(), msgs[i].To[0].String(), msgs[i].Subject, msgs[i].Text, msgs[i].HTML}
	}
	nlink := "https://relais.example/notifications/" + n.Id + "/open"
	assert.Equal(t, mail{
		From: `"Relais" <relais@relais.example>`, To: "<" + w.users["partner_user"].Email() + ">",
		Subject: "Lead revenu au pool : Ferme <Kerlann> & fils (Rennes)",
		Text:    "Ferme <Kerlann> & fils — Rennes\nAucun partenaire ne l'a accepté : à redistribuer.\n\nOuvrir dans Relais :\n" + nlink + "\n",
		HTML: "<p>Ferme &lt;Kerlann&gt; &amp; fils — Rennes<br>\nAucun partenaire ne l&#39;a accepté : à redistribuer.</p>\n<p>Ouvrir dans Relais : <a href=\"" +
			nlink + "\">" + nlink + "</a></p>",
	}, got(0))
	llink := "https://relais.example/leads/" + lead.Id
	assert.Equal(t, mail{
		From: `"Relais" <relais@relais.example>`, To: "<" + strings.ToUpper(en.Email()) + ">",
		Subject: "Lead back to the pool: Ferme <Kerlann> & fils (Rennes)",
		Text:    "Ferme <Kerlann> & fils — Rennes\nNo partner accepted it: to be distributed again.\n\nOpen in Relais:\n" + llink + "\n",
		HTML: "<p>Ferme &lt;Kerlann&gt; &amp; fils — Rennes<br>\nNo partner accepted it: to be distributed again.</p>\n<p>Open in Relais: <a href=\"" +
			llink + "\">" + llink + "</a></p>",
	}, got(1))
}
