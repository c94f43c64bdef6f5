package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A notification keeps its message (a catalogue id and its values, JSON)
// beside the title and body written in its recipient's language, so that
// the page and the e-mail are written in their reader's language. Hidden:
// never written by a client, never listed by the API (the title and body
// are the text the API shows); notifications stored before have none and
// keep their stored text.

func init() {
	m.Register(notificationMessage(true), notificationMessage(false))
}

func notificationMessage(up bool) func(app core.App) error {
	return func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("notifications")
		if err != nil {
			return err
		}
		if up {
			c.Fields.Add(&core.JSONField{Name: "message", MaxSize: 1 << 16, Hidden: true})
		} else {
			c.Fields.RemoveByName("message")
		}
		return app.Save(c)
	}
}
