package hooks

import (
	"slices"
	"sort"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
)

// cacheResetPriority runs the resets of the in-memory caches before every
// other after-success hook of the same change (the recompilation of the
// rules reads the matrix).
const cacheResetPriority = -100

// bindCaches resets each in-memory cache of package access after every
// committed change of its collections (access.CacheResets).
func bindCaches(app core.App) {
	resets := access.CacheResets(app)
	names := make([]string, 0, len(resets))
	for name := range resets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		reset := resets[name]
		h := func(e *core.RecordEvent) error { reset(); return e.Next() }
		for _, ev := range []*hook.TaggedHook[*core.RecordEvent]{
			app.OnRecordAfterCreateSuccess(name), app.OnRecordAfterUpdateSuccess(name), app.OnRecordAfterDeleteSuccess(name),
		} {
			ev.Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisCacheReset_" + name, Priority: cacheResetPriority, Func: h})
		}
	}
	// the distribution's candidates, marked changing from inside each
	// write's transaction until it completes (distribution.WatchCandidates)
	watch := distribution.WatchCandidates(app)
	for _, name := range distribution.CandidateCollections {
		for _, ev := range []*hook.TaggedHook[*core.RecordEvent]{
			app.OnRecordCreateExecute(name), app.OnRecordUpdateExecute(name), app.OnRecordDeleteExecute(name),
		} {
			ev.Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisCandidates_" + name, Priority: cacheResetPriority, Func: watch})
		}
	}
	bindAuthCache(app)
}

// bindAuthCache empties the auth record cache (access.AuthByToken) after
// every committed change of an account (any auth collection: its token
// key, password, activity, role, partner, deletion), of a partner or a
// role, and of any collection (token secrets, fields).
func bindAuthCache(app core.App) {
	forget := func(e *core.RecordEvent) error {
		if e.Record.Collection().IsAuth() || slices.Contains(access.AuthCacheResets, e.Record.Collection().Name) {
			access.ForgetAuthRecords(e.App)
		}
		return e.Next()
	}
	for _, ev := range []*hook.TaggedHook[*core.RecordEvent]{
		app.OnRecordAfterCreateSuccess(), app.OnRecordAfterUpdateSuccess(), app.OnRecordAfterDeleteSuccess(),
	} {
		ev.Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAuthCacheReset", Priority: cacheResetPriority, Func: forget})
	}
	forgetAll := func(e *core.CollectionEvent) error {
		access.ForgetAuthRecords(e.App)
		return e.Next()
	}
	app.OnCollectionAfterUpdateSuccess().Bind(&hook.Handler[*core.CollectionEvent]{Id: "relaisAuthCacheReset", Priority: cacheResetPriority, Func: forgetAll})
	app.OnCollectionAfterDeleteSuccess().Bind(&hook.Handler[*core.CollectionEvent]{Id: "relaisAuthCacheReset", Priority: cacheResetPriority, Func: forgetAll})
}
