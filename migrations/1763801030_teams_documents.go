package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The document library is managed on pages: a document has a category
// (partners browse the library by category), and channel managers upload,
// replace and withdraw documents as admins do (matrix cell
// channel_manager/documents: create no → yes, update none → all). An
// administrator's own choice for that cell is kept.

func init() {
	m.Register(teamsDocuments(true), teamsDocuments(false))
}

// documentCategories are the categories of a document.
var documentCategories = []string{"price_list", "guide", "marketing", "contract", "training", "other"}

// teamsDocumentsRule is the edit the policy compiler made to the
// documents create and update rules for that cell: a clause for channel
// managers right after the admin's.
var teamsDocumentsRule = []ruleEdit{{
	old: "(@request.auth.role = 'admin')\n)",
	new: "(@request.auth.role = 'admin') ||\n  (@request.auth.role = 'channel_manager')\n)",
}}

func teamsDocuments(up bool) func(app core.App) error {
	return func(app core.App) error {
		docs, err := app.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		from, to, edits := dbx.Params{"c": false, "u": "none"}, dbx.Params{"c": true, "u": "all"}, teamsDocumentsRule
		if up {
			docs.Fields.Add(selectOne("category", documentCategories))
		} else {
			docs.Fields.RemoveByName("category")
			from, to, edits = to, from, undoEdits(teamsDocumentsRule)
		}
		res, err := app.DB().NewQuery("UPDATE permissions SET [[create]] = {:tc}, [[update]] = {:tu} " +
			"WHERE role = 'channel_manager' AND resource = 'documents' AND [[create]] = {:fc} AND [[update]] = {:fu}").
			Bind(dbx.Params{"tc": to["c"], "tu": to["u"], "fc": from["c"], "fu": from["u"]}).Execute()
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n > 0 {
			docs.CreateRule = editRule(docs.CreateRule, edits)
			docs.UpdateRule = editRule(docs.UpdateRule, edits)
		}
		return app.Save(docs)
	}
}
