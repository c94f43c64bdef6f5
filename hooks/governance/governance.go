package governance

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/roles"
)

// Package governance holds the governance features of SPEC §5: grants
// (grants.go), access requests (requests.go), automatic suspension
// (suspensions.go) and account revocation (accounts.go), access reviews
// (review.go), exports (export.go), GDPR helpers (gdpr.go), and the guard
// of the collections Relais governs (collections.go).

// Cron job ids (visible in /_/ → Settings → Crons).
const (
	SuspensionsCronID  = "relaisSuspensions"
	AccessReviewCronID = "relaisAccessReview"
)

// IsAdmin reports whether auth is a superuser or an active user of the
// admin role.
func IsAdmin(app core.App, auth *core.Record) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	return auth.Collection().Name == "users" && auth.GetString("role") == roles.Admin &&
		access.AccountBlock(app, auth, time.Now()) == ""
}
