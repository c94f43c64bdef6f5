package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// IngestRateLimitLabel is the rate-limit rule of the single-lead ingest
// route. PocketBase matches a request's "METHOD /path" label exactly before
// any path prefix ("/api/"), so this rule replaces the general /api/ limit
// for that route only; the batch route, the web form and the auth routes
// keep theirs.
const IngestRateLimitLabel = "POST /api/prm/leads/ingest"

// ingestRateLimit is the rule: 6,000 requests per 10 s per IP for
// authenticated callers (SPEC §7: one integration must be able to push
// ≥ 500 leads/s; the /api/ rule of 600 per 10 s capped it at 60/s).
// Guests are not matched by an "@auth" rule and stay under /api/.
var ingestRateLimit = core.RateLimitRule{Label: IngestRateLimitLabel, Audience: core.RateLimitRuleAudienceAuth, MaxRequests: 6000, Duration: 10}

func init() {
	m.Register(addIngestRateLimit, removeIngestRateLimit)
}

// addIngestRateLimit inserts the ingest rule before the other rules unless
// an administrator already set a rule with that label.
func addIngestRateLimit(app core.App) error {
	settings := app.Settings()
	if slices.ContainsFunc(settings.RateLimits.Rules, func(r core.RateLimitRule) bool { return r.Label == IngestRateLimitLabel }) {
		return nil
	}
	settings.RateLimits.Rules = append([]core.RateLimitRule{ingestRateLimit}, settings.RateLimits.Rules...)
	return app.Save(settings)
}

// removeIngestRateLimit removes the rule this migration added (left alone
// if an administrator changed it).
func removeIngestRateLimit(app core.App) error {
	settings := app.Settings()
	settings.RateLimits.Rules = slices.DeleteFunc(settings.RateLimits.Rules, func(r core.RateLimitRule) bool { return r == ingestRateLimit })
	return app.Save(settings)
}
