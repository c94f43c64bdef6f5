package ui

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/domain"
)

// secondFactorOf fills the second-factor section of the profile page.
func secondFactorOf(app core.App, u *core.Record, p *profilePage) error {
	may, err := account.MaySetSecondFactor(app, u)
	if err != nil || !may {
		return err
	}
	p.MFAChoice, p.MFAOn = true, u.GetBool("mfa")
	p.MFAForced, err = account.RequiredBySetting(app, u)
	return err
}

// setSecondFactor turns the user's own second factor on or off with the
// current password (account.SetSecondFactor, audited). Attempts are rate
// limited per account, as the change of password.
func (h *handlers) setSecondFactor(e *core.RequestEvent) error {
	s := sess(e)
	fail := func(status int, msg func(*profilePage) string) error {
		p, err := h.profilePage(e)
		if err != nil {
			return err
		}
		p.MFAError = msg(p)
		return h.render(e, status, "profile", p)
	}
	on, err := formBool(e, "on")
	if err != nil {
		return err
	}
	if e.App.Settings().RateLimits.Enabled && !h.allowed("mfa:"+s.user.Id, 5, 15*time.Minute) {
		return fail(http.StatusTooManyRequests, func(p *profilePage) string { return p.T("profile.too_many") })
	}
	err = account.SetSecondFactor(e.App, access.ByRequest(e), e.Request.FormValue("password"), on)
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		return fail(htmlStatusInvalid, func(p *profilePage) string { return p.T("mfa.error." + de.Code) })
	}
	if err != nil {
		return err
	}
	if on {
		setFlash(e, "flash.mfa_on")
	} else {
		setFlash(e, "flash.mfa_off")
	}
	return e.Redirect(http.StatusSeeOther, "/profile#second-factor")
}

// securityPage is the data of the sign-in security page (admins).
type securityPage struct {
	*page
	Required bool
}

// security shows the sign-in security settings.
func (h *handlers) security(e *core.RequestEvent) error {
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "security", &securityPage{page: h.page(e, "security", "security.title"), Required: settings.MFARequired})
}

// setMFARequired turns the second factor required of admins and channel
// managers on or off (account.SetSecondFactorRequired: admins, audited).
func (h *handlers) setMFARequired(e *core.RequestEvent) error {
	on, err := formBool(e, "on")
	if err != nil {
		return err
	}
	if err := account.SetSecondFactorRequired(e.App, access.ByRequest(e), on); err != nil {
		return err
	}
	setFlash(e, "flash.mfa_required_saved")
	return e.Redirect(http.StatusSeeOther, "/security")
}
