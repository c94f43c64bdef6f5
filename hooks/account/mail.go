package account

import (
	"fmt"
	"html"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// resetTexts are the words of the password-reset e-mail per language.
var resetTexts = map[string]mailWords{
	"fr": {
		Subject: "Relais : choisir un nouveau mot de passe",
		Hello:   "Bonjour,",
		Intro:   "Vous avez demandé à changer votre mot de passe Relais. Ouvrez ce lien pour en choisir un nouveau (il est valable %d minutes et ne sert qu'une fois) :",
		Note:    "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.",
		Thanks:  "L'équipe Relais",
	},
	"en": {
		Subject: "Relais: choose a new password",
		Hello:   "Hello,",
		Intro:   "You asked to change your Relais password. Open this link to choose a new one (it is valid for %d minutes and works once):",
		Note:    "If you did not ask for it, ignore this message: your password stays the same.",
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
	esc := html.EscapeString
	return composeMail(wordsIn(resetTexts, lang), minutes, "<p><a href=\""+esc(link)+"\">"+esc(link)+"</a></p>", link)
}

// mailWords are the words of an account e-mail in one language; Intro
// takes the validity in minutes.
type mailWords struct{ Subject, Hello, Intro, Note, Thanks string }

// wordsIn returns the words in lang, French when lang is not known.
func wordsIn(texts map[string]mailWords, lang string) mailWords {
	if w, ok := texts[lang]; ok {
		return w
	}
	return texts["fr"]
}

// composeMail builds an account e-mail: greeting, introduction with the
// validity, the part that matters (htmlPart is HTML, textPart its text),
// the note in italics and the signature.
func composeMail(w mailWords, minutes int, htmlPart, textPart string) (subject, htmlBody, text string) {
	intro := fmt.Sprintf(w.Intro, minutes)
	esc := html.EscapeString
	htmlBody = "<p>" + esc(w.Hello) + "</p>\n<p>" + esc(intro) + "</p>\n" + htmlPart + "\n<p><i>" + esc(w.Note) + "</i></p>\n<p>" + esc(w.Thanks) + "</p>"
	text = w.Hello + "\n\n" + intro + "\n\n" + textPart + "\n\n" + w.Note + "\n\n" + w.Thanks + "\n"
	return w.Subject, htmlBody, text
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
