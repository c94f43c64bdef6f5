package ui

import (
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/team"
)

// userFormPage is the form that creates and invites an account (admins:
// role, partner, territories, expiry, language).
type userFormPage struct {
	*page
	Form        inviteForm
	Roles       []option
	Partners    []option
	Territories []option
}

func (h *handlers) userFormPage(e *core.RequestEvent) (*userFormPage, error) {
	p := &userFormPage{page: h.page(e, "users", "user_new.title")}
	p.Form.Locale = p.Lang
	var err error
	if p.Roles, err = roleOptions(e, p.page); err != nil {
		return nil, err
	}
	if p.Partners, err = listOptions(e, "partners"); err != nil {
		return nil, err
	}
	if p.Territories, err = listOptions(e, "territories"); err != nil {
		return nil, err
	}
	p.Form.Partner = e.Request.URL.Query().Get("partner")
	return p, nil
}

// newUser renders the invitation form of an account.
func (h *handlers) newUser(e *core.RequestEvent) error {
	p, err := h.userFormPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "user_new", p)
}

// createUser creates an account and sends its invitation (team.Invite:
// the users CreateRule), then shows it in the users list.
func (h *handlers) createUser(e *core.RequestEvent) error {
	f, in, perr := parseInvite(e)
	p, err := h.userFormPage(e)
	if err != nil {
		return err
	}
	created, err := inviteResult(e, p.page, &f, in, perr, h.now())
	if err != nil {
		return err
	}
	if created {
		if f.Error == "" {
			setFlash(e, "flash.invited")
		} else {
			setFlash(e, "flash.invite_not_sent")
		}
		return e.Redirect(http.StatusSeeOther, "/users?q="+url.QueryEscape(f.Email))
	}
	p.Form = f
	return h.render(e, inviteStatus(f), "user_new", p)
}

// resendInvite sends an account's invitation again (team.Resend).
func (h *handlers) resendInvite(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if _, err := team.Resend(e.App, access.ByRequest(e), id, h.now()); err != nil {
		return err
	}
	setFlash(e, "flash.invited")
	return e.Redirect(http.StatusSeeOther, "/users")
}
