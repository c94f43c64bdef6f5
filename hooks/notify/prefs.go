package notify

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// Wanted reports whether the recipient of notification n wants its kind
// by e-mail: users.mail_off lists the kinds a user chose to get in the
// app only (the profile page). The in-app notification is kept either way.
func Wanted(app core.App, n *core.Record) (bool, error) {
	u, err := app.FindRecordById("users", n.GetString("user"))
	if err != nil {
		return false, err
	}
	return !slices.Contains(u.GetStringSlice("mail_off"), n.GetString("kind")), nil
}
