package account

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// ActionPasswordReset is the audit action of a password set through a
// reset link.
const ActionPasswordReset = "auth.password_reset"

// ResendEvery is how often one account may be sent a reset e-mail: a
// second request within this period sends nothing (and says nothing).
const ResendEvery = 2 * time.Minute

// resendKey is the app store key of an account's last reset e-mail.
func resendKey(u *core.Record) string { return "relais.reset." + u.Collection().Id + "." + u.Id }

// RequestReset sends the password-reset e-mail of the users account with
// this e-mail address, if there is one that may log in and none was sent
// within ResendEvery. It reports whether an e-mail was sent; callers must
// not tell the requester (the answer is the same whether the address has
// an account or not). The e-mail is PocketBase's (mails.
// SendRecordPasswordReset: its token, its mailer hook), worded by
// LocalizeResetMail.
func RequestReset(app core.App, email string, now time.Time) (bool, error) {
	email = strings.TrimSpace(strings.ToLower(email))
	if email == "" || len(email) > 254 {
		return false, nil
	}
	u, err := app.FindAuthRecordByEmail("users", email)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if access.AccountBlock(app, u, now) != "" {
		return false, nil
	}
	key := resendKey(u)
	if last, ok := app.Store().Get(key).(time.Time); ok && now.Sub(last) < ResendEvery {
		return false, nil
	}
	app.Store().Set(key, now)
	if err := mails.SendRecordPasswordReset(app, u); err != nil {
		app.Store().Remove(key)
		return false, err
	}
	return true, nil
}

// ErrResetLink refuses a reset link that is invalid, expired, already used
// or of an account that may no longer log in (one message for all).
var ErrResetLink = domain.Invalid("reset_link", "", "this link is invalid or has expired")

// ResetAccount returns the account a reset token was issued to, while the
// token is valid and the account may log in (ErrResetLink otherwise).
func ResetAccount(app core.App, token string, now time.Time) (*core.Record, error) {
	u, err := app.FindAuthRecordByToken(token, core.TokenTypePasswordReset)
	if err != nil || u.Collection().Name != "users" || access.AccountBlock(app, u, now) != "" {
		return nil, ErrResetLink
	}
	return u, nil
}

// ConfirmReset sets the password of the account of a reset token, as
// PocketBase's confirm-password-reset does: the token key rotates, so the
// link cannot be used twice and every session of the account ends. It is
// audited (auth.password_reset, by the account itself).
func ConfirmReset(app core.App, token, password, confirm string, a audit.Actor, now time.Time) (*core.Record, error) {
	u, err := ResetAccount(app, token, now)
	if err != nil {
		return nil, err
	}
	if err := checkNewPassword(u, password, confirm); err != nil {
		return nil, err
	}
	u.SetPassword(password)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(u); err != nil {
			return err
		}
		a.ID, a.Role, a.Partner = audit.ActorFields(u)
		return audit.Append(tx, a, ActionPasswordReset, "users", u.Id, map[string]any{"email": u.Email()})
	})
	if err != nil {
		return nil, err
	}
	app.Store().Remove(resendKey(u))
	return u, nil
}

// checkNewPassword checks a new password against its confirmation and the
// length limits of the collection's password field.
func checkNewPassword(u *core.Record, password, confirm string) error {
	if password != confirm {
		return domain.Invalid("password_mismatch", "passwordConfirm", "the two passwords differ")
	}
	lo, hi := 8, 71
	if f, ok := u.Collection().Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok {
		if f.Min > 0 {
			lo = f.Min
		}
		if f.Max > 0 {
			hi = f.Max
		}
	}
	if n := len([]rune(password)); n < lo || len(password) > hi {
		return domain.Invalid("password_length", "password", "the password must have 8 to 71 characters")
	}
	return nil
}
