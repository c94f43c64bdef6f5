package throttle

import (
	"sync"
	"time"
)

// Window counts events per key in fixed windows of Period: at most Max per
// window. The zero value is not usable; use NewWindow.
type Window struct {
	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start  time.Time
	period time.Duration
	n      int
}

// NewWindow returns an empty counter.
func NewWindow() *Window { return &Window{windows: map[string]*window{}} }

// Allow counts one event for key at now and reports whether it is within
// max per period; when it is not, retry is the time left in the window.
func (w *Window) Allow(key string, max int, period time.Duration, now time.Time) (ok bool, retry time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sweep(now)
	c := w.windows[key]
	if c == nil || now.Sub(c.start) >= period || now.Before(c.start) {
		c = &window{start: now, period: period}
		w.windows[key] = c
	}
	if c.n >= max {
		return false, c.start.Add(period).Sub(now)
	}
	c.n++
	return true, 0
}

// sweep forgets the windows that ended, at most once a minute.
func (w *Window) sweep(now time.Time) {
	if now.Sub(w.swept) < time.Minute {
		return
	}
	w.swept = now
	for k, c := range w.windows {
		if now.Sub(c.start) >= c.period {
			delete(w.windows, k)
		}
	}
}
