package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Self-service account: a user's phone and the notification kinds they do
// not want by e-mail (mail_off: empty = every mailed kind is sent); the
// device (user agent) and address of a session, shown on the profile
// page; and the password-reset e-mail of users, whose link opens the
// Relais page that sets the new password instead of the admin panel (the
// text is the fallback: package hooks/account sends it in the user's
// language).
//
// The partner roles may write both new fields (the policy compiler lists
// them as partner-writable), internal roles are not constrained on them:
// the compiled rules do not change.

// resetTemplate is the literal password-reset e-mail of this migration.
var resetTemplate = core.EmailTemplate{
	Subject: "Relais : réinitialisation du mot de passe / password reset",
	Body: `<p>Bonjour,</p>
<p>Pour choisir un nouveau mot de passe Relais, ouvrez ce lien (valable 30 minutes) :</p>
<p><a href="{APP_URL}/reset-password/{TOKEN}">{APP_URL}/reset-password/{TOKEN}</a></p>
<p><i>Si vous n'avez rien demandé, ignorez ce message.</i></p>
<hr>
<p>Hello,</p>
<p>To choose a new Relais password, open this link (valid for 30 minutes):</p>
<p><a href="{APP_URL}/reset-password/{TOKEN}">{APP_URL}/reset-password/{TOKEN}</a></p>
<p><i>If you did not ask for it, ignore this message.</i></p>`,
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(text("phone", 40), selectMany("mail_off", []string{"offer", "lead_back_to_pool", "offer_reminder"}))
		users.ResetPasswordTemplate = resetTemplate
		if err := app.Save(users); err != nil {
			return err
		}
		for _, q := range []string{
			`ALTER TABLE relais_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE relais_sessions ADD COLUMN ip TEXT NOT NULL DEFAULT ''`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("phone")
		users.Fields.RemoveByName("mail_off")
		users.ResetPasswordTemplate = core.EmailTemplate{
			Subject: "Reset your {APP_NAME} password",
			Body: `<p>Hello,</p>
<p>Click on the button below to reset your password.</p>
<p>
  <a class="btn" href="{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}" target="_blank" rel="noopener">Reset password</a>
</p>
<p><i>If you didn't ask to reset your password, please ignore this email.</i></p>
<p>
  Thanks,<br/>
  {APP_NAME} team
</p>`,
		}
		if err := app.Save(users); err != nil {
			return err
		}
		for _, q := range []string{
			`ALTER TABLE relais_sessions DROP COLUMN user_agent`,
			`ALTER TABLE relais_sessions DROP COLUMN ip`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
