package throttle

import (
	"sync"
	"time"
)

// Policy is how a Backoff slows a key: Free failures cost nothing; the
// next one makes the key wait First, and each further one doubles the
// wait, up to Max. A key with no failure for Forget starts afresh.
type Policy struct {
	Free   int
	First  time.Duration
	Max    time.Duration
	Forget time.Duration
}

// Delay is the wait a key owes after failures failures (0 within the free
// allowance).
func (p Policy) Delay(failures int) time.Duration {
	over := failures - p.Free
	if over <= 0 {
		return 0
	}
	d := p.First
	for i := 1; i < over && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Backoff counts failures per key under one Policy. The zero value is not
// usable; use NewBackoff.
type Backoff struct {
	policy Policy
	mu     sync.Mutex
	keys   map[string]*failures
	swept  time.Time
}

type failures struct {
	n    int
	last time.Time
}

// NewBackoff returns an empty counter under p.
func NewBackoff(p Policy) *Backoff { return &Backoff{policy: p, keys: map[string]*failures{}} }

// Wait is how long key must still wait at now before its next attempt (0:
// it may try now).
func (b *Backoff) Wait(key string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.current(key, now)
	if f == nil {
		return 0
	}
	return max(0, f.last.Add(b.policy.Delay(f.n)).Sub(now))
}

// Fail records a failure of key at now.
func (b *Backoff) Fail(key string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweep(now)
	f := b.current(key, now)
	if f == nil {
		f = &failures{}
		b.keys[key] = f
	}
	f.n++
	f.last = now
}

// Reset forgets the failures of key (a successful attempt).
func (b *Backoff) Reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.keys, key)
}

// current returns the failures of key, nil when it has none still
// remembered at now.
func (b *Backoff) current(key string, now time.Time) *failures {
	f := b.keys[key]
	if f != nil && now.Sub(f.last) >= b.policy.Forget+b.policy.Delay(f.n) {
		delete(b.keys, key)
		return nil
	}
	return f
}

// sweep forgets idle keys, at most once a minute.
func (b *Backoff) sweep(now time.Time) {
	if now.Sub(b.swept) < time.Minute {
		return
	}
	b.swept = now
	for k := range b.keys {
		b.current(k, now)
	}
}
