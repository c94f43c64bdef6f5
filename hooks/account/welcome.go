package account

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// ActionWelcome is the audit action of a password chosen from an
// invitation.
const ActionWelcome = "auth.welcome"

// inviteTexts are the words of the invitation e-mail per language.
var inviteTexts = map[string]struct{ Subject, Hello, Intro, Valid, Thanks string }{
	"fr": {
		Subject: "Relais : votre compte vous attend",
		Hello:   "Bonjour %s,",
		Intro:   "Un compte Relais a été créé pour vous (%s). Ouvrez ce lien pour choisir votre mot de passe et vous connecter :",
		Valid:   "Le lien est valable %d heures et ne sert qu'une fois. Passé ce délai, demandez un nouveau lien depuis « Mot de passe oublié ? ».",
		Thanks:  "L'équipe Relais",
	},
	"en": {
		Subject: "Relais: your account is waiting",
		Hello:   "Hello %s,",
		Intro:   "A Relais account was created for you (%s). Open this link to choose your password and log in:",
		Valid:   "The link is valid for %d hours and works once. After that, ask for a new link from \"Forgot your password?\".",
		Thanks:  "The Relais team",
	},
}

// WelcomeLink is the Relais page where an invited user chooses a password.
func WelcomeLink(appURL, token string) string {
	return strings.TrimRight(appURL, "/") + "/welcome/" + token
}

// InviteMail returns the subject, HTML and text of the invitation e-mail
// in lang (fr when unknown).
func InviteMail(lang, name, email, link string, hours int) (subject, htmlBody, text string) {
	t, ok := inviteTexts[lang]
	if !ok {
		t = inviteTexts["fr"]
	}
	hello, intro, valid := fmt.Sprintf(t.Hello, name), fmt.Sprintf(t.Intro, email), fmt.Sprintf(t.Valid, hours)
	esc := html.EscapeString
	htmlBody = "<p>" + esc(hello) + "</p>\n<p>" + esc(intro) + "</p>\n<p><a href=\"" + esc(link) + "\">" + esc(link) + "</a></p>\n<p><i>" +
		esc(valid) + "</i></p>\n<p>" + esc(t.Thanks) + "</p>"
	text = hello + "\n\n" + intro + "\n\n" + link + "\n\n" + valid + "\n\n" + t.Thanks + "\n"
	return t.Subject, htmlBody, text
}

// LocalizeInviteMail rewrites PocketBase's verification e-mail of a users
// account (OnMailerRecordVerificationSend: the invitation, or a
// verification asked through the REST API) in the account's language,
// linking to the Relais welcome page instead of the admin panel.
func LocalizeInviteMail(e *core.MailerRecordEvent) error {
	token, _ := e.Meta["token"].(string)
	if e.Record == nil || e.Record.Collection().Name != "users" || token == "" {
		return e.Next()
	}
	hours := int(e.Record.Collection().VerificationToken.Duration / 3600)
	link := WelcomeLink(e.App.Settings().Meta.AppURL, token)
	e.Message.Subject, e.Message.HTML, e.Message.Text = InviteMail(e.Record.GetString("locale"), e.Record.GetString("name"), e.Record.Email(), link, max(hours, 1))
	return e.Next()
}

// ErrWelcomeLink refuses an invitation link that is invalid, expired,
// already used or of an account that may not log in.
var ErrWelcomeLink = domain.Invalid("welcome_link", "", "this invitation link is invalid or has expired")

// WelcomeAccount returns the account an invitation token was issued to,
// while the token is valid, the account has not chosen its password yet
// (not verified) and may log in.
func WelcomeAccount(app core.App, token string, now time.Time) (*core.Record, error) {
	u, err := app.FindAuthRecordByToken(token, core.TokenTypeVerification)
	if err != nil || u.Collection().Name != "users" || u.Verified() || access.AccountBlock(app, u, now) != "" {
		return nil, ErrWelcomeLink
	}
	return u, nil
}

// ConfirmWelcome sets the password of an invited account and marks it
// verified: the token key rotates, so the link works once. It is audited
// (auth.welcome, by the account itself).
func ConfirmWelcome(app core.App, token, password, confirm string, a audit.Actor, now time.Time) (*core.Record, error) {
	u, err := WelcomeAccount(app, token, now)
	if err != nil {
		return nil, err
	}
	if err := checkNewPassword(u, password, confirm); err != nil {
		return nil, err
	}
	u.SetPassword(password)
	u.SetVerified(true)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(u); err != nil {
			return err
		}
		a.ID, a.Role, a.Partner = audit.ActorFields(u)
		return audit.Append(tx, a, ActionWelcome, "users", u.Id, map[string]any{"email": u.Email()})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
