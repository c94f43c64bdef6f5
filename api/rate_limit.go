package api

import (
	"errors"
	"math"
	"net/netip"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/throttle"
)

// UserRateLimitMiddlewareID is the id of limitPerUser on the router.
const UserRateLimitMiddlewareID = "relaisUserRateLimit"

// limitPerUser applies userRateLimitRules to the requests of a signed-in
// user (token or UI session), counted per account: thirty people behind
// one address (an office NAT, a reverse proxy whose headers are not
// trusted) each get their own allowance. PocketBase's limiter, which counts
// per address, keeps the anonymous requests (its rules are all "@guest").
// Like PocketBase's, it is off when the rate limits are off, and skips
// superusers and the excluded addresses.
func limitPerUser(counts *throttle.Window) func(e *core.RequestEvent) error {
	limits := core.RateLimitsConfig{Rules: userRateLimitRules}
	return func(e *core.RequestEvent) error {
		settings := e.App.Settings().RateLimits
		if e.Auth == nil || e.HasSuperuserAuth() || !settings.Enabled || ipExcluded(settings.ExcludedIPs, e.RealIP()) {
			return e.Next()
		}
		rule, ok := limits.FindRateLimitRule([]string{e.Request.Method + " " + e.Request.URL.Path, e.Request.URL.Path})
		if !ok {
			return e.Next()
		}
		key := e.Auth.Collection().Id + ":" + e.Auth.Id + "|" + rule.Label
		if ok, retry := counts.Allow(key, rule.MaxRequests, time.Duration(rule.Duration)*time.Second, time.Now()); !ok {
			e.Response.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(retry.Seconds())))))
			return e.TooManyRequestsError("", errors.New("triggered per-user rate limit rule: "+rule.String()))
		}
		return e.Next()
	}
}

// ipExcluded reports whether ip is in the rate limits' excluded addresses
// or subnets (as PocketBase's limiter reads them).
func ipExcluded(list []string, ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, item := range list {
		if p, err := netip.ParsePrefix(item); err == nil && p.Contains(addr) {
			return true
		}
		if a, err := netip.ParseAddr(item); err == nil && a == addr {
			return true
		}
	}
	return false
}
