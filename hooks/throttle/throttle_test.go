package throttle

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPolicyDelay(t *testing.T) {
	p := Policy{Free: 5, First: time.Second, Max: time.Minute, Forget: time.Hour}
	for failures, want := range map[int]time.Duration{
		0: 0, 5: 0, 6: time.Second, 7: 2 * time.Second, 8: 4 * time.Second, 11: 32 * time.Second, 12: time.Minute, 40: time.Minute,
	} {
		assert.Equal(t, want, p.Delay(failures), "failures %d", failures)
	}
}

func TestBackoff(t *testing.T) {
	b := NewBackoff(Policy{Free: 2, First: 10 * time.Second, Max: time.Minute, Forget: time.Hour})
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Fail("a", t0)
	b.Fail("a", t0)
	assert.Zero(t, b.Wait("a", t0), "within the free allowance")
	b.Fail("a", t0)
	assert.Equal(t, 10*time.Second, b.Wait("a", t0))
	assert.Equal(t, 4*time.Second, b.Wait("a", t0.Add(6*time.Second)))
	assert.Zero(t, b.Wait("a", t0.Add(10*time.Second)))
	b.Fail("a", t0.Add(10*time.Second))
	assert.Equal(t, 20*time.Second, b.Wait("a", t0.Add(10*time.Second)), "the wait doubles")
	assert.Zero(t, b.Wait("b", t0), "keys are apart")
	b.Reset("a")
	assert.Zero(t, b.Wait("a", t0.Add(10*time.Second)), "a success forgets the failures")

	for range 3 {
		b.Fail("c", t0)
	}
	assert.Zero(t, b.Wait("c", t0.Add(2*time.Hour)), "forgotten after an idle hour")
	b.Fail("c", t0.Add(2*time.Hour))
	assert.Zero(t, b.Wait("c", t0.Add(2*time.Hour)), "and starts afresh")
}

func TestWindow(t *testing.T) {
	w := NewWindow()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		ok, _ := w.Allow("u1", 3, 10*time.Second, t0.Add(time.Duration(i)*time.Second))
		assert.True(t, ok)
	}
	ok, retry := w.Allow("u1", 3, 10*time.Second, t0.Add(4*time.Second))
	assert.False(t, ok)
	assert.Equal(t, 6*time.Second, retry)
	ok, _ = w.Allow("u2", 3, 10*time.Second, t0.Add(4*time.Second))
	assert.True(t, ok, "keys are apart")
	ok, _ = w.Allow("u1", 3, 10*time.Second, t0.Add(10*time.Second))
	assert.True(t, ok, "a new window")
}
