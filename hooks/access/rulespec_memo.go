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
// change of an account, a partner, a role or a collection) and for at
// most callerMemoTTL (a raw-SQL write by another process), never inside a
// transaction (cachesOf).

// callerMemoTTL bounds how long an entry is used.
const callerMemoTTL = time.Second

// callerMemoMax bounds the entries; beyond it the stale ones are dropped.
const callerMemoMax = 256

type callerEntry struct {
	row authRow
	gen uint64 // the auth record cache's generation when row was read
	at  time.Time
}

type callerMemo struct {
	mu sync.Mutex
	m  map[weak.Pointer[core.Record]]callerEntry
}

var callers callerMemo

// authGen is the auth record cache's generation (moved by every reset).
func (c *caches) authGen() uint64 {
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	return c.auth.gen
}

// get returns the remembered values of auth, if still good.
func (m *callerMemo) get(auth *core.Record, gen uint64, now time.Time) (authRow, bool) {
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
