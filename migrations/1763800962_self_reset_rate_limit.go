package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// resetRateLimit limits the REST API's password-reset requests
// (POST /api/collections/{auth}/request-password-reset, PocketBase's tag
// requestPasswordReset) to 5 per minute per IP for guests (the audience of every per-IP rule
// since 1763800950), like the UI's form:
// PocketBase itself sends one e-mail per account every two minutes, but
// without this rule only the general /api/ limit (600 per 10 s) bounds how
// many addresses one client can have mailed.
var resetRateLimit = core.RateLimitRule{Label: "*:requestPasswordReset", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60}

func init() {
	m.Register(func(app core.App) error {
		settings := app.Settings()
		if slices.ContainsFunc(settings.RateLimits.Rules, func(r core.RateLimitRule) bool { return r.Label == resetRateLimit.Label }) {
			return nil
		}
		// right after the login rule, before the general ones
		at := slices.IndexFunc(settings.RateLimits.Rules, func(r core.RateLimitRule) bool { return r.Label == "*:auth" }) + 1
		settings.RateLimits.Rules = slices.Insert(settings.RateLimits.Rules, at, resetRateLimit)
		return app.Save(settings)
	}, func(app core.App) error {
		settings := app.Settings()
		settings.RateLimits.Rules = slices.DeleteFunc(settings.RateLimits.Rules, func(r core.RateLimitRule) bool { return r == resetRateLimit })
		return app.Save(settings)
	})
}
