package access

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/geo"
)

// loadTerritories reads every territory for geo.Match.
func loadTerritories(app core.App) ([]geo.Territory, error) {
	recs, err := app.FindAllRecords("territories")
	if err != nil {
		return nil, err
	}
	out := make([]geo.Territory, 0, len(recs))
	for _, t := range recs {
		out = append(out, geo.Territory{
			ID: t.Id, Code: t.GetString("code"), Kind: t.GetString("kind"),
			Departements: t.GetStringSlice("departments"), PostalPrefixes: t.GetStringSlice("postal_prefixes"),
		})
	}
	return out, nil
}

// CachedTerritories returns every territory like a fresh read of the
// territories collection, from memory when it can (caches.go: an ingest
// must not read the whole table). The slice and its elements are shared
// with the cache: callers must only read them.
func CachedTerritories(app core.App) ([]geo.Territory, error) {
	c := cachesOf(app)
	if c == nil {
		return loadTerritories(app)
	}
	return c.territories.get(func() ([]geo.Territory, error) { return loadTerritories(app) })
}
