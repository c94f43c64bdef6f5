package access

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// In-memory caches of the small, rarely changed tables that every request
// reads: the permission matrix (roles + permissions), the
// settings_prm record and the status of partners.
//
// Each cache is reset by a hook bound in hooks.Register (CacheResets)
// whenever a record of its collections is created, updated or deleted.
// PocketBase runs these "after success" hooks once the change is committed
// (after the commit of the enclosing transaction), before the saving call
// returns: any read that starts after a change returns sees it.
//
// Races: a load that read the database before a change committed must not
// be stored after the reset that follows the change. Every reset bumps a
// generation counter; a load remembers the generation it started under and
// stores its result only if no reset happened meanwhile (it still returns
// the result to its own caller, which raced with the change anyway).
//
// The caches are bypassed inside a transaction (app.IsTransactional()): a
// transaction must see its own uncommitted changes, and nothing it reads
// may be stored for others. They exist only for an app on which Register
// was called (the reset hooks are what make them correct); without it the
// helpers read the database. A change made by another process (a CLI
// command on the same data dir) is not seen until the next change made
// through this one or a restart, like PocketBase's own collection cache.

// cachesKey is the app.Store() key of the app's caches.
const cachesKey = "relais.caches"

// genCache holds one value guarded by a generation counter.
type genCache[T any] struct {
	mu    sync.Mutex
	gen   uint64
	val   T
	valid bool
}

// get returns the cached value or loads it; the loaded value is stored
// only if no reset happened since the load started.
func (c *genCache[T]) get(load func() (T, error)) (T, error) {
	c.mu.Lock()
	if c.valid {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.val, c.valid = v, true
	}
	c.mu.Unlock()
	return v, nil
}

// reset forgets the value and makes the loads in flight unstorable.
func (c *genCache[T]) reset() {
	c.mu.Lock()
	c.gen++
	var zero T
	c.val, c.valid = zero, false
	c.mu.Unlock()
}

// generation returns the number of resets so far.
func (c *genCache[T]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// genMap is genCache for values loaded one key at a time.
type genMap[V any] struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]V
}

func (c *genMap[V]) get(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.m[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.m == nil {
			c.m = map[string]V{}
		}
		c.m[key] = v
	}
	c.mu.Unlock()
	return v, nil
}

func (c *genMap[V]) reset() {
	c.mu.Lock()
	c.gen++
	c.m = nil
	c.mu.Unlock()
}

// caches are the per-app caches.
type caches struct {
	matrix   genCache[policy.Matrix]
	settings genCache[Settings]
	// partnerStatus is partner id → status ("" when the partner does not
	// exist).
	partnerStatus genMap[string]
	// territories are matched against every ingested lead (geo.Match only
	// reads them).
	territories genCache[[]geo.Territory]
	// auth is token → verified auth record (authcache.go).
	auth authCache
	// grants holds no value: its generation invalidates the caller memo
	// of the per-caller rules (rulespec_memo.go) at each grant change.
	grants genCache[struct{}]
}

// CacheResets creates the app's caches and returns, per collection, the
// reset of the cache that holds its records: the hooks package binds each
// to the after-success events of its collection (first of all of them:
// whatever the other after-success hooks of the change read must be
// fresh).
func CacheResets(app core.App) map[string]func() {
	c, _ := app.Store().GetOrSet(cachesKey, func() any { return &caches{} }).(*caches)
	if c == nil {
		return nil
	}
	return map[string]func(){
		"roles": c.matrix.reset, "permissions": c.matrix.reset, "settings_prm": c.settings.reset,
		"partners": c.partnerStatus.reset, "territories": c.territories.reset, "grants": c.grants.reset,
	}
}

// cachesOf returns the app's caches, nil inside a transaction or when
// Register was not called.
func cachesOf(app core.App) *caches {
	if app == nil || app.IsTransactional() {
		return nil
	}
	c, _ := app.Store().Get(cachesKey).(*caches)
	return c
}

// ResetCaches forgets everything the app's caches hold. The hooks of
// Register call it for every change made through PocketBase; code that
// writes roles, permissions, settings_prm, partners or territories with raw SQL (tests,
// data generators) must call it afterwards.
func ResetCaches(app core.App) {
	c, _ := app.Store().Get(cachesKey).(*caches)
	if c == nil {
		return
	}
	c.matrix.reset()
	c.settings.reset()
	c.partnerStatus.reset()
	c.territories.reset()
	c.grants.reset()
	c.auth.reset()
}

// CachedMatrix returns the permission matrix like LoadMatrix, from memory
// when it can (see the top of this file): for the hot read paths (list hints, ingest,
// report and assignment checks). Code that validates a change of the
// matrix must use LoadMatrix. The result is the caller's own copy.
func CachedMatrix(app core.App) (policy.Matrix, error) {
	m, err := SharedMatrix(app)
	if err != nil {
		return m, err
	}
	return policy.Matrix{Roles: slices.Clone(m.Roles), Cells: slices.Clone(m.Cells)}, nil
}

// SharedMatrix is CachedMatrix without the copy: the result may be the
// cached value itself and must only be read (Role, Cell), never modified.
func SharedMatrix(app core.App) (policy.Matrix, error) {
	c := cachesOf(app)
	if c == nil {
		return LoadMatrix(app)
	}
	return c.matrix.get(func() (policy.Matrix, error) { return LoadMatrix(app) })
}

// RoleKind returns the kind of a role ("" when the role does not exist),
// from the cached matrix (SharedMatrix: the generation-guarded cache reset
// on any change of roles or permissions and by ResetCaches). It is the one
// lookup of role kinds for every hook and route; an error reading the
// matrix is returned, never taken for "no kind".
func RoleKind(app core.App, roleID string) (roles.Kind, error) {
	if roleID == "" {
		return "", nil
	}
	m, err := SharedMatrix(app)
	if err != nil {
		return "", err
	}
	r, _ := m.Role(roleID) // a missing role has no kind
	return r.Kind, nil
}

// RoleKindOf returns the kind of a user's role ("" for guests, superusers
// and unknown roles).
func RoleKindOf(app core.App, u *core.Record) (roles.Kind, error) {
	if u == nil || u.Collection().Name != "users" {
		return "", nil
	}
	return RoleKind(app, u.GetString("role"))
}

// HasKind reports whether u is a user whose role is of kind k.
func HasKind(app core.App, u *core.Record, k roles.Kind) (bool, error) {
	got, err := RoleKindOf(app, u)
	return err == nil && got == k, err
}

// cachedSettings returns settings_prm, parsed, from memory when it can. A
// missing record gives the defaults; any other error is returned, never
// replaced by the defaults (a broken table must not silently widen the
// partner page cap or the export row cap, nor open the web form).
func cachedSettings(app core.App) (Settings, error) {
	load := func() (Settings, error) {
		r, err := app.FindRecordById("settings_prm", SettingsID)
		if errors.Is(err, sql.ErrNoRows) {
			return settingsFrom(nil), nil
		}
		if err != nil {
			return Settings{}, fmt.Errorf("settings_prm: %w", err)
		}
		return settingsFrom(r), nil
	}
	c := cachesOf(app)
	if c == nil {
		return load()
	}
	return c.settings.get(load)
}

// PartnerStatus returns the status of a partner ("" when it does not
// exist), from memory when it can.
func PartnerStatus(app core.App, id string) (string, error) {
	load := func() (string, error) {
		p, err := app.FindRecordById("partners", id)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return p.GetString("status"), nil
	}
	c := cachesOf(app)
	if c == nil {
		return load()
	}
	return c.partnerStatus.get(id, load)
}
