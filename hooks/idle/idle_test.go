package idle

import "testing"

func TestWatchReleasesOncePerIdlePeriod(t *testing.T) {
	cases := []struct {
		name string
		open []int
		want []bool
	}{
		{"start-up memory released at the first quiet tick", []int{0, 0, 0}, []bool{true, false, false}},
		{"busy: nothing released", []int{3, 1, 2}, []bool{false, false, false}},
		{"released when the last connection closed", []int{2, 1, 0, 0}, []bool{false, false, true, false}},
		{"busy again, then quiet again: a second release", []int{0, 4, 4, 0, 0, 1, 0}, []bool{true, false, false, true, false, false, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var w Watch
			for i, n := range c.open {
				if got := w.Tick(n); got != c.want[i] {
					t.Fatalf("tick %d (open %d): release %v, want %v", i, n, got, c.want[i])
				}
			}
		})
	}
}
