package webhooks

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/stmtcache"
)

// ActionConfigure is the audit action of an endpoint's change (its URL,
// its state, a new secret; never the secret itself).
const ActionConfigure = "webhook.configure"

// Endpoint is an integration's webhook endpoint.
type Endpoint struct {
	ID, User, URL string
	Active        bool
}

// EndpointOf returns the endpoint of an integration account (ok false when
// it has none).
func EndpointOf(app core.App, userID string) (Endpoint, bool, error) {
	var row struct {
		ID     string `db:"id"`
		URL    string `db:"url"`
		Active bool   `db:"active"`
	}
	err := stmtcache.Query(app.ConcurrentDB(), "SELECT id, url, active FROM integration_webhooks WHERE user = {:u}").Bind(dbx.Params{"u": userID}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return Endpoint{}, false, nil
	}
	if err != nil {
		return Endpoint{}, false, err
	}
	return Endpoint{ID: row.ID, User: userID, URL: row.URL, Active: row.Active}, true, nil
}

// ValidURL reports whether raw is an absolute http or https URL with a
// host.
func ValidURL(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil && len(raw) <= 500
}

// SaveEndpoint creates or changes the endpoint of an integration account,
// audited in the same transaction. It returns the new secret when it made
// one (the endpoint's creation, or rotate): the only time it is shown.
func SaveEndpoint(app core.App, actor audit.Actor, userID, rawURL string, active, rotate bool) (string, error) {
	rawURL = strings.TrimSpace(rawURL)
	if !ValidURL(rawURL) {
		return "", domain.Invalid("webhook_url", "url", "The webhook URL must be an http or https URL.")
	}
	u, err := app.FindRecordById("users", userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.ErrNotVisible
	}
	if err != nil {
		return "", err
	}
	if ok, err := access.HasKind(app, u, roles.Integration); err != nil || !ok {
		return "", errors.Join(err, domain.Invalid("webhook_user", "user", "Webhooks are for integration accounts only."))
	}
	secret := ""
	err = app.RunInTransaction(func(tx core.App) error {
		rec, err := tx.FindFirstRecordByData("integration_webhooks", "user", userID)
		if errors.Is(err, sql.ErrNoRows) {
			c, cerr := tx.FindCachedCollectionByNameOrId("integration_webhooks")
			if cerr != nil {
				return cerr
			}
			rec, err, rotate = core.NewRecord(c), nil, true
			rec.Set("user", userID)
		}
		if err != nil {
			return err
		}
		if rotate {
			if secret, err = newSecret(); err != nil {
				return err
			}
			rec.Set("secret", secret)
		}
		rec.Set("url", rawURL)
		rec.Set("active", active)
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, actor, ActionConfigure, "integration_webhooks", rec.Id, map[string]any{
			"user": userID, "url": rawURL, "active": active, "new_secret": rotate,
		})
	})
	return secret, err
}

// newSecret returns a new signing secret: "whsec_" and 32 random bytes in
// hex.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "whsec_" + hex.EncodeToString(b), nil
}
