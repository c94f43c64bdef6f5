package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The contact side of the leads search box: the beginning of a contact's
// e-mail, last or first name, ASCII case ignored, seeks one of these
// indexes (hooks/textindex.ContactPrefix) instead of reading every
// contact. They are indexes of lead_contacts itself: no contact text is
// copied out of the collection, whose rules still decide who matches
// what (SPEC §3.3.3).
func init() {
	m.Register(srchContactSearchUp, srchContactSearchDown)
}

// srchContactSearchIndexes are the indexes: name, column.
var srchContactSearchIndexes = [][2]string{
	{"idx_lead_contacts_email_nocase", "`email` COLLATE NOCASE"},
	{"idx_lead_contacts_last_name_nocase", "`last_name` COLLATE NOCASE"},
	{"idx_lead_contacts_first_name_nocase", "`first_name` COLLATE NOCASE"},
}

func srchContactSearchUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("lead_contacts")
	if err != nil {
		return err
	}
	for _, ix := range srchContactSearchIndexes {
		c.AddIndex(ix[0], false, ix[1], "")
	}
	return app.Save(c)
}

func srchContactSearchDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("lead_contacts")
	if err != nil {
		return err
	}
	for _, ix := range srchContactSearchIndexes {
		c.RemoveIndex(ix[0])
	}
	return app.Save(c)
}
