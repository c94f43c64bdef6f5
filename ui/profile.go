package ui

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/sessions"
)

// profilePage is the data of the account page: the profile form, the
// password change and the user's sessions.
type profilePage struct {
	*page
	Editable      bool
	Name, Phone   string
	Locale        string
	MailOff       []string
	MailKinds     []string
	Digest        bool
	Devices       []deviceView
	ProfileError  string
	PasswordError string
	// the second factor: whether the user may choose it, their choice,
	// whether the setting requires it of their role
	MFAChoice, MFAOn, MFAForced bool
	MFAError                    string
}

// deviceView is one session in the list.
type deviceView struct {
	sessions.Device
	Label string
}

// profile renders the account page of the signed-in user.
func (h *handlers) profile(e *core.RequestEvent) error {
	p, err := h.profilePage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "profile", p)
}

func (h *handlers) profilePage(e *core.RequestEvent) (*profilePage, error) {
	s := sess(e)
	p := &profilePage{page: h.page(e, "profile", "profile.title"), MailKinds: account.MailKinds}
	u, err := access.ViewFor(e.App, s.user, "users", s.user.Id)
	if err != nil {
		return nil, err
	}
	p.Name, p.Phone, p.Locale, p.MailOff = u.GetString("name"), u.GetString("phone"), u.GetString("locale"), u.GetStringSlice("mail_off")
	p.Digest = u.GetBool("digest")
	if p.Locale == "" {
		p.Locale = p.Lang
	}
	if p.Editable, err = account.MayEditProfile(e.App, s.user); err != nil {
		return nil, err
	}
	if err := secondFactorOf(e.App, u, p); err != nil {
		return nil, err
	}
	devices, err := sessions.Devices(e.App, s.user, s.token, h.now())
	if err != nil {
		return nil, err
	}
	for _, d := range devices {
		label := deviceLabel(d.UserAgent)
		if label == "" {
			label = p.T("profile.device_unknown")
		}
		p.Devices = append(p.Devices, deviceView{Device: d, Label: label})
	}
	return p, nil
}

// saveProfile saves the profile form (account.UpdateProfile: only the
// form's fields, through the write path and the users UpdateRule).
func (h *handlers) saveProfile(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	f := e.Request.PostForm
	off := []string{}
	for _, k := range account.MailKinds {
		on := false
		for _, v := range f["mail_on"] {
			on = on || v == k
		}
		if !on {
			off = append(off, k)
		}
	}
	in := account.Profile{Name: f.Get("name"), Phone: f.Get("phone"), Locale: f.Get("locale"), MailOff: off, Digest: f.Get("digest") == "on"}
	_, err := account.UpdateProfile(e.App, access.ByRequest(e), in)
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		p, perr := h.profilePage(e)
		if perr != nil {
			return perr
		}
		p.Name, p.Phone, p.Locale, p.MailOff, p.Digest = in.Name, in.Phone, in.Locale, in.MailOff, in.Digest
		p.ProfileError = p.Err(de)
		return h.render(e, htmlStatusInvalid, "profile", p)
	}
	if err != nil {
		return err
	}
	setFlash(e, "flash.profile_saved")
	return e.Redirect(http.StatusSeeOther, "/profile")
}

// changePassword changes the user's password with the current one
// (account.ChangePassword). Every session of the account ends; this
// browser gets a new one. Attempts are rate limited per account.
func (h *handlers) changePassword(e *core.RequestEvent) error {
	s := sess(e)
	fail := func(status int, msg func(*profilePage) string) error {
		p, err := h.profilePage(e)
		if err != nil {
			return err
		}
		p.PasswordError = msg(p)
		return h.render(e, status, "profile", p)
	}
	if e.App.Settings().RateLimits.Enabled && !h.allowed("password:"+s.user.Id, 5, 15*time.Minute) {
		return fail(http.StatusTooManyRequests, func(p *profilePage) string { return p.T("profile.too_many") })
	}
	err := account.ChangePassword(e.App, access.ByRequest(e), e.Request.FormValue("oldPassword"),
		e.Request.FormValue("password"), e.Request.FormValue("passwordConfirm"))
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		return fail(htmlStatusInvalid, func(p *profilePage) string { return p.Err(de) })
	}
	if err != nil {
		return err
	}
	if err := h.renewSession(e, s.user.Id); err != nil {
		return err
	}
	setFlash(e, "flash.password_changed")
	return e.Redirect(http.StatusSeeOther, "/profile")
}

// renewSession gives this browser a new session of user id (after its
// token key rotated), as a login does.
func (h *handlers) renewSession(e *core.RequestEvent, id string) error {
	u, err := e.App.FindRecordById("users", id)
	if err != nil {
		return err
	}
	token, err := sessions.NewToken(e.App, u, sessions.ViaUI)
	if err != nil {
		return err
	}
	if err := sessions.SetDevice(e.App, token, e.Request.UserAgent(), e.RealIP()); err != nil {
		return err
	}
	limits, err := sessions.LoadLimits(e.App)
	if err != nil {
		return err
	}
	setSessionCookie(e, token, min(time.Duration(u.Collection().AuthToken.Duration)*time.Second, limits.Max))
	return nil
}

// logoutEverywhere ends every session of the account, this one included
// (account.LogoutEverywhere: token key rotation, audited), and sends the
// browser to the login page.
func (h *handlers) logoutEverywhere(e *core.RequestEvent) error {
	if _, err := account.LogoutEverywhere(e.App, access.ByRequest(e)); err != nil {
		return err
	}
	rememberLang(e, sess(e).user.GetString("locale"))
	clearCookie(e, sessionCookie)
	setFlash(e, "flash.logged_out_everywhere")
	if isHX(e) {
		e.Response.Header().Set("HX-Redirect", "/login")
		return e.NoContent(http.StatusNoContent)
	}
	return e.Redirect(http.StatusSeeOther, "/login")
}

// allowed counts one attempt under key in the UI's throttle window and
// reports whether it stays within max per period.
func (h *handlers) allowed(key string, max int, period time.Duration) bool {
	ok, _ := h.logins.Allow(key, max, period, h.now())
	return ok
}

// rememberLang keeps the language of an account for the signed-out pages
// that follow (the login page after "log out everywhere", the reset page
// and the login after it), as the footer's switch does for guests.
func rememberLang(e *core.RequestEvent, lang string) {
	if lang != "fr" && lang != "en" {
		return
	}
	e.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", HttpOnly: true, Secure: e.IsTLS(), SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	e.Request.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
}
