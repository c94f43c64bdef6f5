package hooks

import (
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
}
