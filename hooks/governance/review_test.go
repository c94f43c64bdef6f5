package governance

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/roles"
)

func TestReviewFlags(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	stored := func(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
	for _, tc := range []struct {
		name string
		a    AccountFacts
		days int
		want []string
	}{
		{"an active user who logged in yesterday", AccountFacts{Role: roles.Sales, Active: true, LastLogin: stored(ago(1)), Created: ago(400)}, 90, []string{}},
		{"an admin", AccountFacts{Role: roles.Admin, Active: true, LastLogin: stored(ago(1)), Created: ago(400)}, 90, []string{FlagAdmin}},
		{"a superuser never logged in", AccountFacts{Superuser: true, Active: true, Created: ago(1)}, 90, []string{FlagSuperuser, FlagNeverLoggedIn}},
		{"deactivated", AccountFacts{Role: roles.Sales, LastLogin: stored(ago(1)), Created: ago(400)}, 90, []string{FlagDeactivated}},
		{"temporary", AccountFacts{Role: roles.Sales, Active: true, AccessExpires: now.Add(time.Hour), LastLogin: stored(ago(1))}, 90, []string{FlagTemporary}},
		{"expired", AccountFacts{Role: roles.Sales, Active: true, AccessExpires: now, LastLogin: stored(ago(1))}, 90, []string{FlagExpired}},
		{"partner ended", AccountFacts{Role: roles.PartnerUser, Active: true, PartnerStatus: "ended", LastLogin: stored(ago(1))}, 90, []string{FlagPartnerEnded}},
		{"partner suspended", AccountFacts{Role: roles.PartnerUser, Active: true, PartnerStatus: "suspended", LastLogin: stored(ago(1))}, 90, []string{FlagPartnerSuspended}},
		{"certificate lapsed", AccountFacts{Role: roles.PartnerManager, Active: true, PartnerStatus: "active", CertificateLapsed: true, LastLogin: stored(ago(1))}, 90, []string{FlagCertificateLapsed}},
		{"suspended with a lapsed certificate", AccountFacts{Role: roles.PartnerUser, Active: true, PartnerStatus: "suspended", CertificateLapsed: true, LastLogin: stored(ago(1))}, 90, []string{FlagPartnerSuspended, FlagCertificateLapsed}},
		{"an active partner", AccountFacts{Role: roles.PartnerUser, Active: true, PartnerStatus: "active", LastLogin: stored(ago(1))}, 90, []string{}},
		{"no login for 91 days", AccountFacts{Role: roles.Sales, Active: true, LastLogin: stored(ago(91)), Created: ago(400)}, 90, []string{FlagInactive}},
		{"no login for 89 days", AccountFacts{Role: roles.Sales, Active: true, LastLogin: stored(ago(89)), Created: ago(400)}, 90, []string{}},
		{"never logged in, created long ago", AccountFacts{Role: roles.Sales, Active: true, Created: ago(100)}, 90, []string{FlagNeverLoggedIn, FlagInactive}},
		{"never logged in, created recently", AccountFacts{Role: roles.Sales, Active: true, Created: ago(10)}, 90, []string{FlagNeverLoggedIn}},
		{"inactivity check off", AccountFacts{Role: roles.Sales, Active: true, LastLogin: stored(ago(900)), Created: ago(1000)}, 0, []string{}},
		{"an unreadable last login is not inactivity", AccountFacts{Role: roles.Sales, Active: true, LastLogin: "yesterday", Created: ago(1000)}, 90, []string{}},
		{"everything at once", AccountFacts{Role: roles.Admin, AccessExpires: ago(1), PartnerStatus: "ended", Created: ago(100)}, 90,
			[]string{FlagAdmin, FlagDeactivated, FlagExpired, FlagPartnerEnded, FlagNeverLoggedIn, FlagInactive}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ReviewFlags(tc.a, tc.days, now))
		})
	}
}
