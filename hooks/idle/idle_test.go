package idle

import (
	"testing"

	"github.com/pocketbase/pocketbase/tools/store"
)

func TestWatchReleasesOncePerIdlePeriod(t *testing.T) {
	cases := []struct {
		name  string
		quiet int
		count []uint64
		want  []bool
	}{
		{"start-up memory released after the quiet ticks", 3, []uint64{0, 0, 0, 0, 0}, []bool{false, false, true, false, false}},
		{"busy: nothing released", 2, []uint64{1, 5, 9, 12}, []bool{false, false, false, false}},
		{"released after the last request", 2, []uint64{4, 7, 7, 7, 7}, []bool{false, false, false, true, false}},
		{"a request before the end of the quiet ticks starts again", 3, []uint64{2, 2, 2, 3, 3, 3, 3}, []bool{false, false, false, false, false, false, true}},
		{"busy again, then quiet again: a second release", 1, []uint64{0, 1, 1, 1, 2, 2}, []bool{true, false, true, false, false, true}},
		{"quiet 0 or 1: the first tick without a request", 0, []uint64{1, 1, 1}, []bool{false, true, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := Watch{Quiet: c.quiet}
			for i, n := range c.count {
				if got := w.Tick(n); got != c.want[i] {
					t.Fatalf("tick %d (count %d): release %v, want %v", i, n, got, c.want[i])
				}
			}
		})
	}
}

func TestRequestsOfOneStore(t *testing.T) {
	a, b := store.New[string, any](nil), store.New[string, any](nil)
	RequestsOf(a).Add()
	RequestsOf(a).Add()
	RequestsOf(b).Add()
	if RequestsOf(a).Load() != 2 || RequestsOf(b).Load() != 1 {
		t.Fatalf("counts %d and %d, want 2 and 1: one Requests per store", RequestsOf(a).Load(), RequestsOf(b).Load())
	}
}
