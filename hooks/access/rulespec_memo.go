package access

import (
	"sync"
	"time"
	"weak"

	"github.com/pocketbase/pocketbase/core"
)

// The caller's values of SpecializeRule, remembered for the auth record
// they were read for. A page reads through ListFor several times for the
// same caller (names, contacts, counts…) and each read would otherwise
// repeat the query of the caller's users and partner rows. An entry is
// keyed by the auth record itself (a weak pointer: the request's own copy,
// never another object at the same address), used only while nothing that
// empties the auth record cache happened since it was read (any committed
// change of an account, a partner, a role or a collection), nor any
// committed change of a grant or a territory, and for at
// most callerMemoTTL (a raw-SQL write by another process), never inside a
// transaction (cachesOf).

// callerMemoTTL bounds how long an entry is used.
const callerMemoTTL = time.Second

// callerMemoMax bounds the entries; beyond it the stale ones are dropped.
const callerMemoMax = 256

type callerEntry struct {
	row authRow
	gen memoGen // the generations when row was read
	at  time.Time
}

// memoGen are the generations an entry depends on: the auth record
// cache's, the grants' and the territories'.
type memoGen struct{ auth, grants, territories uint64 }

type callerMemo struct {
	mu sync.Mutex
	m  map[weak.Pointer[core.Record]]callerEntry
}

var callers callerMemo

// memoGen returns the generations of the auth record cache, of the
// grants and of the territories (each moved by every reset).
func (c *caches) memoGen() memoGen {
	c.auth.mu.Lock()
	a := c.auth.gen
	c.auth.mu.Unlock()
	return memoGen{auth: a, grants: c.grants.generation(), territories: c.territories.generation()}
}

// get returns the remembered values of auth, if still good.
func (m *callerMemo) get(auth *core.Record, gen memoGen, now time.Time) (authRow, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[weak.Make(auth)]
	if !ok || e.gen != gen || now.Sub(e.at) >= callerMemoTTL || now.Before(e.at) {
		return authRow{}, false
	}
	return e.row, true
}

// put remembers the values read for auth.
func (m *callerMemo) put(auth *core.Record, e callerEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[weak.Pointer[core.Record]]callerEntry{}
	}
	if len(m.m) >= callerMemoMax {
		for k, old := range m.m {
			if k.Value() == nil || e.at.Sub(old.at) >= callerMemoTTL || old.gen != e.gen {
				delete(m.m, k)
			}
		}
		if len(m.m) >= callerMemoMax {
			clear(m.m)
		}
	}
	m.m[weak.Make(auth)] = e
}
