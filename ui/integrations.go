package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/webhooks"
)

// integrationsPage is the admin page of the lead sources (integration
// accounts): their API keys (created, shown once, revoked), their status
// webhook (URL, state, secret shown once), and the setting that refuses
// their password logins. The delivery log is a page of its own
// (integration_deliveries.go).
type integrationsPage struct {
	*page
	Rows        []integrationRow
	Scopes      []string
	PasswordOff bool
	// NewKey / NewSecret: shown once, right after their creation, for
	// the account NewFor.
	NewKey, NewSecret, NewFor string
	Error, ErrorFor           string
}

// integrationRow is one integration account on the page.
type integrationRow struct {
	ID, Name, Email string
	Active          bool
	Keys            []keyRow
	Endpoint        webhooks.Endpoint
	HasEndpoint     bool
}

// keyRow is one API key (never the key: its prefix).
type keyRow struct {
	ID, Name, Prefix           string
	Scopes                     []string
	Created, LastUsed, Revoked string
}

// integrations renders the page.
func (h *handlers) integrations(e *core.RequestEvent) error {
	p, err := h.integrationsData(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "integrations", p)
}

// integrationsData builds the page: the integration accounts the admin
// reads through the read path, with their keys and endpoint.
func (h *handlers) integrationsData(e *core.RequestEvent) (*integrationsPage, error) {
	s := sess(e)
	users, _, err := access.ListFor(e.App, s.user, "users", access.ListQuery{
		Where:   dbx.NewExp("[[users.role]] IN (SELECT id FROM roles WHERE kind = 'integration')"),
		Sort:    "name",
		PerPage: access.MaxPerPage,
	})
	if err != nil {
		return nil, err
	}
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return nil, err
	}
	p := &integrationsPage{page: h.page(e, "integrations", "integrations.title"), Scopes: apikeys.Scopes(), PasswordOff: settings.IntegrationPasswordOff}
	for _, u := range users {
		row := integrationRow{ID: u.Id, Name: u.GetString("name"), Email: u.Email(), Active: u.GetBool("active")}
		keys, err := apikeys.KeysOf(e.App, u.Id)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			row.Keys = append(row.Keys, keyRow{
				ID: k.Id, Name: k.GetString("name"), Prefix: k.GetString("prefix"), Scopes: k.GetStringSlice("scopes"),
				Created: k.GetString("created"), LastUsed: k.GetString("last_used_at"), Revoked: k.GetString("revoked_at"),
			})
		}
		if row.Endpoint, row.HasEndpoint, err = webhooks.EndpointOf(e.App, u.Id); err != nil {
			return nil, err
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// integrationFormError re-renders the page with a domain error next to
// the account's forms; any other error is returned.
func (h *handlers) integrationFormError(e *core.RequestEvent, userID string, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p, perr := h.integrationsData(e)
	if perr != nil {
		return perr
	}
	p.Error, p.ErrorFor = p.Err(de), userID
	return h.render(e, htmlStatusInvalid, "integrations", p)
}

// createAPIKey makes a key for an integration account and shows it once.
func (h *handlers) createAPIKey(e *core.RequestEvent) error {
	userID := e.Request.PathValue("id")
	if err := e.Request.ParseForm(); err != nil {
		return &uiError{status: http.StatusBadRequest, msg: "form.invalid"}
	}
	key, _, err := apikeys.Create(e.App, access.ByRequest(e).Actor, userID, e.Request.FormValue("name"), e.Request.Form["scopes"])
	if err != nil {
		return h.integrationFormError(e, userID, err)
	}
	p, err := h.integrationsData(e)
	if err != nil {
		return err
	}
	p.NewKey, p.NewFor = key, userID
	return h.render(e, http.StatusOK, "integrations", p)
}

// revokeAPIKey revokes a key at once.
func (h *handlers) revokeAPIKey(e *core.RequestEvent) error {
	if err := apikeys.Revoke(e.App, access.ByRequest(e).Actor, e.Request.PathValue("id")); err != nil {
		return err
	}
	setFlash(e, "flash.key_revoked")
	return e.Redirect(http.StatusSeeOther, "/integrations")
}

// saveWebhook sets an integration's webhook URL and state; a new secret
// (the first save, or "new secret" ticked) is shown once.
func (h *handlers) saveWebhook(e *core.RequestEvent) error {
	userID := e.Request.PathValue("id")
	f := e.Request
	secret, err := webhooks.SaveEndpoint(e.App, access.ByRequest(e).Actor, userID, f.FormValue("url"), f.FormValue("active") == "on", f.FormValue("rotate") == "on")
	if err != nil {
		return h.integrationFormError(e, userID, err)
	}
	if secret == "" {
		setFlash(e, "flash.webhook_saved")
		return e.Redirect(http.StatusSeeOther, "/integrations")
	}
	p, err := h.integrationsData(e)
	if err != nil {
		return err
	}
	p.NewSecret, p.NewFor = secret, userID
	return h.render(e, http.StatusOK, "integrations", p)
}

// setIntegrationPasswordLogin turns the refusal of integration password
// logins on or off.
func (h *handlers) setIntegrationPasswordLogin(e *core.RequestEvent) error {
	off, err := formBool(e, "off")
	if err != nil {
		return err
	}
	if err := apikeys.SetPasswordLoginOff(e.App, access.ByRequest(e).Actor, off); err != nil {
		return err
	}
	setFlash(e, "flash.password_login_saved")
	return e.Redirect(http.StatusSeeOther, "/integrations")
}
