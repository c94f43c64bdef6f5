package api

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/team"
)

// userJSON is what the team routes answer about an account (never its
// password or token key).
func userJSON(u *core.Record) map[string]any {
	return map[string]any{
		"id": u.Id, "email": u.Email(), "name": u.GetString("name"), "role": u.GetString("role"), "partner": u.GetString("partner"),
		"active": u.GetBool("active"), "verified": u.Verified(), "access_expires": u.GetDateTime("access_expires"), "locale": u.GetString("locale"),
	}
}

// inviteUser serves POST /api/prm/users/invite {email, name, role,
// partner, locale, territories, access_expires}: the account and its
// invitation e-mail (team.Invite: the users CreateRule for internal users,
// the team ceiling for partner managers). 201 with the account; 409
// invite_not_sent when the account exists but the e-mail failed.
func inviteUser(e *core.RequestEvent) error {
	var body struct {
		Email       string   `json:"email"`
		Name        string   `json:"name"`
		Role        string   `json:"role"`
		Partner     string   `json:"partner"`
		Locale      string   `json:"locale"`
		Territories []string `json:"territories"`
		Expires     string   `json:"access_expires"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	in := team.NewUser{Email: body.Email, Name: body.Name, Role: body.Role, Partner: body.Partner, Locale: body.Locale, Territories: body.Territories}
	if body.Expires != "" {
		t, err := parseTime("access_expires", body.Expires)
		if err != nil {
			return APIError(e, err)
		}
		in.Expires = t
	}
	u, err := team.Invite(e.App, access.ByRequest(e), in, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, userJSON(u))
}

// resendInvite serves POST /api/prm/users/{id}/invite: the invitation
// again, for an account that has not chosen its password (team.Resend).
func resendInvite(e *core.RequestEvent) error {
	u, err := team.Resend(e.App, access.ByRequest(e), e.Request.PathValue("id"), time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, userJSON(u))
}

// setUserActive serves POST /api/prm/users/{id}/active {active}: a
// deactivation or reactivation (team.SetActive: the users UpdateRule for
// internal users, the team ceiling for partner managers).
func setUserActive(e *core.RequestEvent) error {
	var body struct {
		Active *bool `json:"active"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if body.Active == nil {
		return e.BadRequestError("active (true or false) is required.", nil)
	}
	u, err := team.SetActive(e.App, access.ByRequest(e), e.Request.PathValue("id"), *body.Active, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, userJSON(u))
}
