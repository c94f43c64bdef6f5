package governance

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Accounts stop being usable (SPEC §3.3.5) by a rotation of their token
// key: every session ends at once.

// EndsSessions reports whether an update of a user must end its sessions
// (the caller rotates its token key):
// deactivation, an expiry moved into the past, a new partner or role.
func EndsSessions(u *core.Record) bool {
	o := u.Original()
	if o.GetBool("active") && !u.GetBool("active") {
		return true
	}
	if exp := u.GetDateTime("access_expires"); !exp.IsZero() && exp.Time().Before(time.Now()) &&
		!exp.Equal(o.GetDateTime("access_expires")) {
		return true
	}
	return o.GetString("partner") != u.GetString("partner") || o.GetString("role") != u.GetString("role")
}

// RevokePartnerSessions rotates the token key of every user of a partner.
func RevokePartnerSessions(app core.App, partnerID string) error {
	users, err := app.FindAllRecords("users", dbx.HashExp{"partner": partnerID})
	if err != nil {
		return err
	}
	for _, u := range users {
		u.RefreshTokenKey()
		if err := app.Save(u); err != nil {
			return err
		}
	}
	return nil
}
