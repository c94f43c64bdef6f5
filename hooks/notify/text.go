package notify

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Text is a notification text in the two languages of the UI.
type Text struct{ FR, EN string }

// In returns the text in locale ("en"; French otherwise, the default
// language of the users).
func (t Text) In(locale string) string {
	if locale == "en" {
		return t.EN
	}
	return t.FR
}

// SendText sends a notification written in its recipient's language
// (users.locale), never both.
func SendText(tx core.App, userID, kind, leadID string, title, body Text) error {
	var locale string
	if err := tx.DB().NewQuery("SELECT locale FROM users WHERE id = {:id}").Bind(dbx.Params{"id": userID}).Row(&locale); err != nil {
		return err
	}
	return Send(tx, userID, kind, leadID, title.In(locale), body.In(locale))
}
