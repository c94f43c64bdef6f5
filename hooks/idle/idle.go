// Package idle decides when the served appliance has gone idle, so that
// its memory can be given back to the system: the count of requests
// (Requests, added to by the API's middleware) and the decision (Watch)
// are here; the binding that samples the count and frees the memory is in
// package hooks (idle_memory.go).
package idle

import (
	"sync/atomic"

	"github.com/pocketbase/pocketbase/tools/store"
)

// Requests counts the HTTP requests an app has received.
type Requests struct{ n atomic.Uint64 }

// Add counts one request.
func (r *Requests) Add() { r.n.Add(1) }

// Load is the number of requests counted.
func (r *Requests) Load() uint64 { return r.n.Load() }

// storeKey is the key of an app's Requests in its store.
const storeKey = "relais.idle.requests"

// RequestsOf is the Requests of the app whose store is given (app.Store()),
// made on first use.
func RequestsOf(s *store.Store[string, any]) *Requests {
	r, _ := s.GetOrSet(storeKey, func() any { return &Requests{} }).(*Requests)
	return r
}

// Watch follows the count of requests sampled at each tick: the server
// is idle after Quiet ticks in a row without a new request. The zero
// count at the start counts as a request, so the memory of the start-up
// is released too.
type Watch struct {
	// Quiet is the number of ticks without a request before a release.
	Quiet int

	last     uint64
	still    int
	released bool
}

// Tick takes the count of requests at this tick and tells whether to
// release memory now: true once per idle period, at its Quiet-th tick
// without a new request; a new request starts a busy period again.
func (w *Watch) Tick(requests uint64) bool {
	if requests != w.last {
		w.last, w.still, w.released = requests, 0, false
		return false
	}
	w.still++
	if w.released || w.still < w.Quiet {
		return false
	}
	w.released = true
	return true
}

// Released reports whether the memory was released in the current idle
// period: true from the release until the next request.
func (w *Watch) Released() bool { return w.released }
