package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// PocketBase's limiter counts per address. Behind one address (an office
// NAT, a reverse proxy whose headers are not trusted) thirty users shared
// one allowance, so its rules now apply to anonymous requests only
// ("@guest"); signed-in users are counted per account by the api package
// (the ingest rule moves there), and logins get 120 a minute per address
// (guessing is slowed per account and address by the login throttle). Only
// rules still as Relais set them change; an operator's own rules stay.
var perAddressRuleChanges = []struct{ from, to core.RateLimitRule }{
	{core.RateLimitRule{Label: "*:auth", MaxRequests: 10, Duration: 60}, core.RateLimitRule{Label: "*:auth", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 120, Duration: 60}},
	{core.RateLimitRule{Label: "POST /api/prm/webform/", MaxRequests: 5, Duration: 60}, core.RateLimitRule{Label: "POST /api/prm/webform/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60}},
	{core.RateLimitRule{Label: "*:create", MaxRequests: 50, Duration: 5}, core.RateLimitRule{Label: "*:create", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 50, Duration: 5}},
	{core.RateLimitRule{Label: "/api/batch", MaxRequests: 3, Duration: 1}, core.RateLimitRule{Label: "/api/batch", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 3, Duration: 1}},
	{core.RateLimitRule{Label: "/api/", MaxRequests: 600, Duration: 10}, core.RateLimitRule{Label: "/api/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 600, Duration: 10}},
}

// perAddressIngestRule is the ingest rule of 1763800600 (per address,
// signed-in callers), removed: the per-account rule replaces it.
var perAddressIngestRule = core.RateLimitRule{Label: "POST /api/prm/leads/ingest", Audience: core.RateLimitRuleAudienceAuth, MaxRequests: 6000, Duration: 10}

func init() {
	m.Register(guestRateLimits, restoreRateLimits)
}

// guestRateLimits makes the Relais rules per-address rules of anonymous
// requests.
func guestRateLimits(app core.App) error {
	return rewriteRateLimits(app, func(r core.RateLimitRule) (core.RateLimitRule, bool) {
		if r == perAddressIngestRule {
			return r, false
		}
		for _, c := range perAddressRuleChanges {
			if r == c.from {
				return c.to, true
			}
		}
		return r, true
	})
}

// restoreRateLimits puts the rules back as they were (the ingest rule
// first, as 1763800600 placed it).
func restoreRateLimits(app core.App) error {
	if err := rewriteRateLimits(app, func(r core.RateLimitRule) (core.RateLimitRule, bool) {
		for _, c := range perAddressRuleChanges {
			if r == c.to {
				return c.from, true
			}
		}
		return r, true
	}); err != nil {
		return err
	}
	s := app.Settings()
	s.RateLimits.Rules = append([]core.RateLimitRule{perAddressIngestRule}, s.RateLimits.Rules...)
	return app.Save(s)
}

// rewriteRateLimits maps every stored rule (keep false drops it).
func rewriteRateLimits(app core.App, f func(core.RateLimitRule) (core.RateLimitRule, bool)) error {
	s := app.Settings()
	rules := make([]core.RateLimitRule, 0, len(s.RateLimits.Rules))
	for _, r := range s.RateLimits.Rules {
		if nr, keep := f(r); keep {
			rules = append(rules, nr)
		}
	}
	s.RateLimits.Rules = rules
	return app.Save(s)
}
