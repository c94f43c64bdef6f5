package account

import (
	"html"

	"github.com/pocketbase/pocketbase/core"
)

// codeTexts are the words of the sign-in code e-mail per language.
var codeTexts = map[string]mailWords{
	"fr": {
		Subject: "Relais : votre code de connexion",
		Hello:   "Bonjour,",
		Intro:   "Voici le code pour terminer votre connexion à Relais (valable %d minutes, une seule fois) :",
		Note:    "Si vous n'êtes pas en train de vous connecter, quelqu'un connaît votre mot de passe : changez-le.",
		Thanks:  "L'équipe Relais",
	},
	"en": {
		Subject: "Relais: your sign-in code",
		Hello:   "Hello,",
		Intro:   "Here is the code to finish signing in to Relais (valid for %d minutes, once):",
		Note:    "If you are not signing in, someone knows your password: change it.",
		Thanks:  "The Relais team",
	},
}

// CodeMail returns the subject, HTML and text of the sign-in code e-mail
// in lang (fr when unknown).
func CodeMail(lang, code string, minutes int) (subject, htmlBody, text string) {
	return composeMail(wordsIn(codeTexts, lang), minutes, "<p style=\"font-size:1.5em\"><strong>"+html.EscapeString(code)+"</strong></p>", code)
}

// LocalizeOTPMail rewrites PocketBase's one-time code e-mail of a users
// account (OnMailerRecordOTPSend) in the account's language. Other auth
// collections keep PocketBase's e-mail.
func LocalizeOTPMail(e *core.MailerRecordEvent) error {
	code, _ := e.Meta["password"].(string)
	if e.Record == nil || e.Record.Collection().Name != "users" || code == "" {
		return e.Next()
	}
	minutes := int(e.Record.Collection().OTP.Duration / 60)
	e.Message.Subject, e.Message.HTML, e.Message.Text = CodeMail(e.Record.GetString("locale"), code, minutes)
	return e.Next()
}
