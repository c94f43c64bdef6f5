package account

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/sessions"
)

// Audit actions of the second factor.
const (
	// ActionSecondFactor: a user turned their own second factor on or off.
	ActionSecondFactor = "auth.second_factor"
	// ActionSecondFactorRequired: an admin changed the setting that
	// requires it of admins and channel managers.
	ActionSecondFactorRequired = "settings.mfa_required"
	// ActionSecondStep: the right password of an account that needs the
	// second factor; no session is opened until the code is given.
	ActionSecondStep = "auth.second_step"
)

// SecondFactorRequired reports whether u must give an e-mailed code after
// the password: PocketBase's MFA of the users collection is on and u
// matches its MFA rule (the user's own choice, users.mfa, or
// settings_prm.mfa_required for the admin and channel manager roles). The
// rule is evaluated by PocketBase (app.CanAccessRecord), as its own
// auth-with-password does; an empty rule means every account.
func SecondFactorRequired(app core.App, u *core.Record) (bool, error) {
	c := u.Collection()
	if c.Name != "users" || !c.MFA.Enabled {
		return false, nil
	}
	rule := c.MFA.Rule
	return app.CanAccessRecord(u, &core.RequestInfo{Context: core.RequestInfoContextDefault}, &rule)
}

// RequiredBySetting reports whether the setting alone makes u give the
// second factor (an admin or channel manager while
// settings_prm.mfa_required is on): the user may not turn it off.
func RequiredBySetting(app core.App, u *core.Record) (bool, error) {
	s, err := access.LoadSettings(app)
	if err != nil || !s.MFARequired {
		return false, err
	}
	r := u.GetString("role")
	return r == roles.Admin || r == roles.ChannelManager, nil
}

// MaySetSecondFactor reports whether u may choose a second factor: every
// person's account (integrations use API keys and no password login).
func MaySetSecondFactor(app core.App, u *core.Record) (bool, error) {
	integ, err := access.HasKind(app, u, roles.Integration)
	return !integ, err
}

// SetSecondFactor turns by.User's own second factor on or off after
// checking the current password (one bcrypt comparison). Turning it off
// while the setting requires it for the user's role is refused. Audited.
func SetSecondFactor(app core.App, by access.By, password string, on bool) error {
	if by.User == nil || by.User.Collection().Name != "users" {
		return domain.ErrForbidden
	}
	u, err := access.ViewFor(app, by.User, "users", by.User.Id)
	if err != nil {
		return err
	}
	if ok, err := MaySetSecondFactor(app, u); err != nil || !ok {
		if err != nil {
			return err
		}
		return domain.Forbidden("not_allowed", "integration accounts have no second factor")
	}
	if !sessions.CheckPassword(app, "users", u, password) {
		return domain.Invalid("wrong_password", "password", "the current password is wrong")
	}
	if forced, err := RequiredBySetting(app, u); err != nil || (forced && !on) {
		if err != nil {
			return err
		}
		return domain.Invalid("mfa_required", "mfa", "the second factor is required for your role")
	}
	return audit.SetFlag(app, by.Actor, ActionSecondFactor, "users", u.Id, "mfa", on)
}

// SetSecondFactorRequired turns settings_prm.mfa_required on or off (the
// admin role only), audited in the same transaction.
func SetSecondFactorRequired(app core.App, by access.By, on bool) error {
	if by.User == nil || by.User.GetString("role") != roles.Admin {
		return domain.ErrForbidden
	}
	return audit.SetFlag(app, by.Actor, ActionSecondFactorRequired, "settings_prm", access.SettingsID, "mfa_required", on)
}

// LiveMFA returns the unexpired PocketBase MFA session id of u opened by a
// password (the first step of a login), or nil.
func LiveMFA(app core.App, u *core.Record, id string, now time.Time) (*core.MFA, error) {
	mfa, err := app.FindMFAById(id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !liveFor(mfa, u, now) {
		return nil, nil
	}
	return mfa, nil
}

// liveFor reports whether mfa is a password step of u that has not expired.
func liveFor(mfa *core.MFA, u *core.Record, now time.Time) bool {
	c := u.Collection()
	return mfa.RecordRef() == u.Id && mfa.CollectionRef() == c.Id && mfa.Method() == core.MFAMethodPassword &&
		now.Before(mfa.Created().Time().Add(c.MFA.DurationTime()))
}

// HasLiveMFA reports whether u has a password step waiting for its code
// (an OTP is sent only then).
func HasLiveMFA(app core.App, u *core.Record, now time.Time) (bool, error) {
	all, err := app.FindAllMFAsByRecord(u)
	if err != nil {
		return false, err
	}
	for _, m := range all {
		if liveFor(m, u, now) {
			return true, nil
		}
	}
	return false, nil
}
