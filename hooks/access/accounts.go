package access

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// AccountBlock explains why an account may not be used, or "" when it may.
func AccountBlock(app core.App, user *core.Record, now time.Time) string {
	if !user.GetBool("active") {
		return "account_inactive"
	}
	if exp := user.GetDateTime("access_expires"); !exp.IsZero() && !exp.Time().After(now) {
		return "account_expired"
	}
	if pid := user.GetString("partner"); pid != "" {
		// from memory outside transactions (reset on any change of a
		// partner, see caches.go)
		if st, err := PartnerStatus(app, pid); err != nil || st != "active" {
			return "partner_inactive"
		}
	}
	return ""
}
