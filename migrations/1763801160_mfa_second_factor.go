package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The second factor of a login (PocketBase's MFA with its e-mailed
// one-time codes, OTP): users.mfa is a user's own choice (Hidden, and a
// system field of the policy compiler: no API client may send it; the
// profile page sets it with the current password),
// settings_prm.mfa_required makes it compulsory for admins and channel
// managers. PocketBase's MFA rule of the users collection says who needs
// the second factor; the OTP e-mail below is the fallback text (package
// hooks/account sends it in the user's language).

// mfaRule is the literal MFA rule of this migration: the user's own
// choice, or the setting for the admin and channel manager roles.
const mfaRule = `mfa = true || (@collection.settings_prm.mfa_required = true && (role = "admin" || role = "channel_manager"))`

// mfaGuardRule is the policy compiler's change to the users write rules
// for mfa, a system field like guide_seen: no API client may send it (the
// guards are sorted by field name).
var mfaGuardRule = []ruleEdit{{
	old: "@request.body.last_login:isset = false",
	new: "@request.body.last_login:isset = false && @request.body.mfa:isset = false",
}}

// otpTemplate is the literal one-time code e-mail of this migration.
var otpTemplate = core.EmailTemplate{
	Subject: "Relais : code de connexion / sign-in code",
	Body: `<p>Bonjour,</p>
<p>Votre code de connexion Relais : <strong>{OTP}</strong> (valable 5 minutes).</p>
<p><i>Si vous n'essayez pas de vous connecter, changez votre mot de passe.</i></p>
<hr>
<p>Hello,</p>
<p>Your Relais sign-in code: <strong>{OTP}</strong> (valid for 5 minutes).</p>
<p><i>If you are not signing in, change your password.</i></p>`,
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(boolean("mfa", hidden))
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.Add(boolean("mfa_required"))
		if err := app.Save(sc); err != nil {
			return err
		}
		users.OTP.Enabled, users.OTP.Duration, users.OTP.Length = true, 300, 8
		users.OTP.EmailTemplate = otpTemplate
		users.MFA.Enabled, users.MFA.Duration, users.MFA.Rule = true, 600, mfaRule
		users.CreateRule = editRule(users.CreateRule, mfaGuardRule)
		users.UpdateRule = editRule(users.UpdateRule, mfaGuardRule)
		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.MFA.Enabled, users.MFA.Rule = false, ""
		users.OTP.Enabled = false
		users.Fields.RemoveByName("mfa")
		users.CreateRule = editRule(users.CreateRule, undoEdits(mfaGuardRule))
		users.UpdateRule = editRule(users.UpdateRule, undoEdits(mfaGuardRule))
		if err := app.Save(users); err != nil {
			return err
		}
		sc, err := app.FindCollectionByNameOrId("settings_prm")
		if err != nil {
			return err
		}
		sc.Fields.RemoveByName("mfa_required")
		return app.Save(sc)
	})
}
