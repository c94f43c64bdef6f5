package governance

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
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

// ClearInactivityFlag ends the inactivity flag of a user who just logged
// in (a direct update: not a change of the account, nothing to audit).
func ClearInactivityFlag(app core.App, user *core.Record) error {
	if user.Collection().Name != "users" || user.GetDateTime("inactive_flagged_at").IsZero() {
		return nil
	}
	_, err := app.DB().NewQuery("UPDATE users SET inactive_flagged_at = '' WHERE id = {:id}").
		Bind(dbx.Params{"id": user.Id}).Execute()
	return err
}

// RecordLastLogin stores the time of a user's password login (a direct
// update: recording a login is not a change of the account).
func RecordLastLogin(app core.App, user *core.Record) error {
	now := types.NowDateTime()
	if _, err := app.DB().NewQuery("UPDATE users SET last_login = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": now.String(), "id": user.Id}).Execute(); err != nil {
		return err
	}
	user.SetRaw("last_login", now)
	return nil
}

// DefaultLocale gives a new user the default language (fr) when none is
// set.
func DefaultLocale(user *core.Record) {
	if user.GetString("locale") == "" {
		user.Set("locale", "fr")
	}
}

// PartnerLeft reports whether an update of a partner makes it stop being
// active (its users' sessions end: RevokePartnerSessions).
func PartnerLeft(partner *core.Record) bool {
	return partner.Original().GetString("status") == "active" && partner.GetString("status") != "active"
}
