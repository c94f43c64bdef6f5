package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The ROI report by source and campaign: campaigns get the lead source
// they bring leads through (the same values as leads.source when this was
// written), so that a source's cost is the budget of its campaigns. The
// campaigns' rules stay those of the matrix (partner roles: none; admins
// write). The report reads the leads created in a period grouped by source
// and campaign: idx_leads_roi covers that query in its group order, so
// that it reads the index alone, without the table's rows and without
// sorting them (led by the period's date, the index made SQLite sort a
// million rows for the GROUP BY: three times the CPU at 1M leads).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("campaigns")
		if err != nil {
			return err
		}
		c.Fields.Add(selectOne("source", []string{"web", "phone", "campaign", "import", "api", "partner"}))
		if err := app.Save(c); err != nil {
			return err
		}
		leads, err := app.FindCollectionByNameOrId("leads")
		if err != nil {
			return err
		}
		leads.AddIndex("idx_leads_roi", false, "source, campaign, created, status, offers_count, offered_at, accepted_at, won_amount", "")
		return app.Save(leads)
	}, func(app core.App) error {
		leads, err := app.FindCollectionByNameOrId("leads")
		if err != nil {
			return err
		}
		leads.RemoveIndex("idx_leads_roi")
		if err := app.Save(leads); err != nil {
			return err
		}
		c, err := app.FindCollectionByNameOrId("campaigns")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("source")
		return app.Save(c)
	})
}
