package writerhold

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummarise(t *testing.T) {
	ms := time.Millisecond
	var ss []Sample
	for i := 1; i <= 100; i++ {
		ss = append(ss, Sample{Work: time.Duration(i) * ms, Commit: time.Duration(101-i) * ms / 10})
	}
	f := Summarise(ss)
	assert.Equal(t, 100, f.N)
	assert.Equal(t, Percentiles{P50: 51 * ms, P95: 96 * ms, Max: 100 * ms}, f.Work)
	assert.Equal(t, Percentiles{P50: 5100 * time.Microsecond, P95: 9600 * time.Microsecond, Max: 10 * ms}, f.Commit)
	assert.Equal(t, 100*ms+100*time.Microsecond, f.Hold.Max, "the longest whole hold")
	assert.Equal(t, Figures{}, Summarise(nil))
}
