package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The SIREN search of the leads lists (internal roles only: the SIRET is
// an internal lead field): an index on leads.siret, so that a SIREN (the
// SIRET's first nine digits) is a range of the index rather than a scan
// of every lead.
func init() {
	m.Register(func(app core.App) error {
		return siretIndex(app, true)
	}, func(app core.App) error {
		return siretIndex(app, false)
	})
}

// siretIndex adds (up) or removes (down) idx_leads_siret.
func siretIndex(app core.App, up bool) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	if up {
		leads.AddIndex("idx_leads_siret", false, "siret", "")
	} else {
		leads.RemoveIndex("idx_leads_siret")
	}
	return app.Save(leads)
}
