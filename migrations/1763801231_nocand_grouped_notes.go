package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The unread notifications about no lead, per user and kind: the grouped
// alerts (one unread notification per user, kind and group, updated while
// unread) are found through it without reading the user's other unread
// notifications (a channel manager may hold thousands of per-lead ones).
func init() {
	m.Register(func(app core.App) error {
		return groupedNotesIndex(app, true)
	}, func(app core.App) error {
		return groupedNotesIndex(app, false)
	})
}

// groupedNotesIndex adds (up) or removes (down) idx_notifications_grouped.
func groupedNotesIndex(app core.App, up bool) error {
	c, err := app.FindCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	if up {
		c.AddIndex("idx_notifications_grouped", false, "user, kind, created", "read = 0 AND lead = ''")
	} else {
		c.RemoveIndex("idx_notifications_grouped")
	}
	return app.Save(c)
}
