package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/account"
)

// bindSelfService words PocketBase's password-reset e-mail of users (sent
// by the UI's "forgot password" and by the REST API's
// request-password-reset) in the user's language, with a link to the
// Relais page that sets the new password.
func bindSelfService(app core.App) {
	app.OnMailerRecordPasswordResetSend("users").Bind(&hook.Handler[*core.MailerRecordEvent]{Id: "relaisResetMail", Func: account.LocalizeResetMail})
	// the invitation of a new account (and a verification asked through
	// the REST API): PocketBase's verification e-mail, linking to /welcome
	app.OnMailerRecordVerificationSend("users").Bind(&hook.Handler[*core.MailerRecordEvent]{Id: "relaisInviteMail", Func: account.LocalizeInviteMail})
	// the sign-in code of the second factor (UI and REST request-otp)
	app.OnMailerRecordOTPSend("users").Bind(&hook.Handler[*core.MailerRecordEvent]{Id: "relaisCodeMail", Func: account.LocalizeOTPMail})
}
