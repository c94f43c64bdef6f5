package access

import (
	"sync"
	"sync/atomic"
	"testing"
)

// A load that started before a reset is returned to its caller but never
// stored: the next get loads again.
func TestGenCacheDropsLoadsOverlappingAReset(t *testing.T) {
	var c genCache[int]
	v, err := c.get(func() (int, error) {
		c.reset() // a change commits while the old value is being read
		return 1, nil
	})
	if err != nil || v != 1 {
		t.Fatalf("get = %d, %v", v, err)
	}
	if v, _ := c.get(func() (int, error) { return 2, nil }); v != 2 {
		t.Fatalf("a load that overlapped a reset was stored: got %d, want 2", v)
	}
	if v, _ := c.get(func() (int, error) { return 3, nil }); v != 2 {
		t.Fatalf("a load made after the reset is stored: got %d, want 2", v)
	}
	c.reset()
	if v, _ := c.get(func() (int, error) { return 4, nil }); v != 4 {
		t.Fatalf("after a reset: got %d, want 4", v)
	}

	var m genMap[string]
	m.get("p", func() (string, error) { m.reset(); return "active", nil })
	if v, _ := m.get("p", func() (string, error) { return "suspended", nil }); v != "suspended" {
		t.Fatalf("genMap stored a load that overlapped a reset: %q", v)
	}
}

// Under concurrent loads and resets, a get that starts after a reset never
// returns a value loaded before it (run with -race).
func TestGenCacheConcurrentResets(t *testing.T) {
	var c genCache[int64]
	var version atomic.Int64   // the "database"
	var published atomic.Int64 // the last version whose reset has returned
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				before := published.Load()
				v, _ := c.get(func() (int64, error) { return version.Load(), nil })
				if v < before {
					t.Errorf("stale value %d after the change to %d had been reset", v, before)
					return
				}
			}
		}()
	}
	for range 2000 {
		v := version.Add(1) // commit …
		c.reset()           // … then the after-success hook …
		published.Store(v)  // … then the saving call returns
	}
	close(stop)
	wg.Wait()
}
