package hooks_test

import "github.com/pocketbase/pocketbase/core"

// grantOf stores a grant of kind to user (an id) on territory, from starts
// to expires (dates, or an empty value for none), granted by the world's
// admin for reason.
func (w *world) grantOf(user, kind, territory string, starts, expires any, reason string) *core.Record {
	return w.mk("grants", map[string]any{"user": user, "kind": kind, "territory": territory,
		"starts": starts, "expires": expires, "reason": reason, "granted_by": w.uid("admin")})
}
