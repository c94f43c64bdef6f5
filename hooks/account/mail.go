package account

import (
	"fmt"
	"html"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// resetTexts are the words of the password-reset e-mail per language.
var resetTexts = map[string]struct{ Subject, Hello, Intro, Ignore, Thanks string }{
	"fr": {
		Subject: "Relais : choisir un nouveau mot de passe",
		Hello:   "Bonjour,",
		Intro:   "Vous avez demandé à changer votre mot de passe Relais. Ouvrez ce lien pour en choisir un nouveau (il est valable %d minutes et ne sert qu'une fois) :",
		Ignore:  "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.",
		Thanks:  "L'équipe Relais",
	},
	"en": {
		Subject: "Relais: choose a new password",
		Hello:   "Hello,",
		Intro:   "You asked to change your Relais password. Open this link to choose a new one (it is valid for %d minutes and works once):",
		Ignore:  "If you did not ask for it, ignore this message: your password stays the same.",
		Thanks:  "The Relais team",
	},
}

// ResetLink is the Relais page that sets a new password for a reset token.
func ResetLink(appURL, token string) string {
	return strings.TrimRight(appURL, "/") + "/reset-password/" + token
}

// ResetMail returns the subject, HTML and text of the password-reset
// e-mail in lang (fr when unknown) with the link and its validity.
func ResetMail(lang, link string, minutes int) (subject, htmlBody, text string) {
	t, ok := resetTexts[lang]
	if !ok {
		t = resetTexts["fr"]
	}
	intro := fmt.Sprintf(t.Intro, minutes)
	esc := html.EscapeString
	htmlBody = "<p>" + esc(t.Hello) + "</p>\n<p>" + esc(intro) + "</p>\n<p><a href=\"" + esc(link) + "\">" + esc(link) + "</a></p>\n<p><i>" +
		esc(t.Ignore) + "</i></p>\n<p>" + esc(t.Thanks) + "</p>"
	text = t.Hello + "\n\n" + intro + "\n\n" + link + "\n\n" + t.Ignore + "\n\n" + t.Thanks + "\n"
	return t.Subject, htmlBody, text
}

// LocalizeResetMail rewrites PocketBase's password-reset e-mail of a users
// account (OnMailerRecordPasswordResetSend) in the account's language,
// linking to the Relais page (ResetLink) instead of the admin panel.
// Other auth collections (superusers) keep PocketBase's e-mail.
func LocalizeResetMail(e *core.MailerRecordEvent) error {
	token, _ := e.Meta["token"].(string)
	if e.Record == nil || e.Record.Collection().Name != "users" || token == "" {
		return e.Next()
	}
	minutes := int(e.Record.Collection().PasswordResetToken.Duration / 60)
	link := ResetLink(e.App.Settings().Meta.AppURL, token)
	e.Message.Subject, e.Message.HTML, e.Message.Text = ResetMail(e.Record.GetString("locale"), link, minutes)
	return e.Next()
}
