package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/geo"
)

// The territories (codes, départements, postal prefixes) that every ingest
// matches a lead against, cached in memory like the caches of caches.go
// (issue 8: NewIntake read the whole table for every single ingest).
//
// Same rules as caches.go: bypassed inside a transaction and for an app on
// which Register was not called; reset by "after success" hooks on any
// create, update or delete of a territory (bound when the cache is first
// used, before its first load, so no committed change can be missed); a
// load that raced with a reset is returned but not stored (generation
// counter of genCache). ResetCaches, which cannot be extended from here,
// invalidates it too: an entry remembers the generation of the settings
// cache it was loaded under and is dropped when ResetCaches bumped it.

// territoriesCacheKey is the app.Store() key of the territory cache.
const territoriesCacheKey = "relais.caches.territories"

// territoryEntry is a cached list and the settings-cache generation it was
// loaded under.
type territoryEntry struct {
	list        []geo.Territory
	settingsGen uint64
}

// territoryCache holds the territories of one app.
type territoryCache struct {
	entry genCache[territoryEntry]
}

// territoryCacheOf returns the app's territory cache (creating it and
// binding its reset hooks on first use), nil inside a transaction or when
// Register was not called.
func territoryCacheOf(app core.App) *territoryCache {
	if cachesOf(app) == nil {
		return nil
	}
	tc, _ := app.Store().GetOrSet(territoriesCacheKey, func() any {
		tc := &territoryCache{}
		h := func(e *core.RecordEvent) error { tc.entry.reset(); return e.Next() }
		app.OnRecordAfterCreateSuccess("territories").BindFunc(h)
		app.OnRecordAfterUpdateSuccess("territories").BindFunc(h)
		app.OnRecordAfterDeleteSuccess("territories").BindFunc(h)
		return tc
	}).(*territoryCache)
	return tc
}

// settingsGen is the generation of caches.go's settings cache, which
// ResetCaches bumps.
func settingsGen(c *caches) uint64 {
	c.settings.mu.Lock()
	defer c.settings.mu.Unlock()
	return c.settings.gen
}

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
// territories collection, from memory when it can. The slice and its
// elements are shared with the cache: callers must only read them.
func CachedTerritories(app core.App) ([]geo.Territory, error) {
	tc := territoryCacheOf(app)
	if tc == nil {
		return loadTerritories(app)
	}
	c := cachesOf(app)
	for range 2 {
		gen := settingsGen(c)
		e, err := tc.entry.get(func() (territoryEntry, error) {
			list, err := loadTerritories(app)
			return territoryEntry{list: list, settingsGen: gen}, err
		})
		if err != nil {
			return nil, err
		}
		if e.settingsGen == settingsGen(c) {
			return e.list, nil
		}
		// ResetCaches ran since this entry was loaded
		tc.entry.reset()
	}
	return loadTerritories(app)
}
