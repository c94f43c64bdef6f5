package distribution

import (
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/writerhold"
)

// The jobs of the distribution (reminders, expiry, the distribution of
// ready leads) work one lead per transaction, so that no job holds the
// single writer for long: a request waiting for it gets it between two
// leads (database/sql hands a released connection to a waiting caller).
// jobTx runs each of these transactions, with the candidates' cache
// loaded beforehand (outside the writer), and records how long it held
// the writer: from the start of the transaction's function, once the
// write connection is taken, to the end of its commit.

// Holds are the writer holds of the distribution jobs' transactions since
// the last TakeHolds.
type Holds struct {
	// N is the number of transactions.
	N int
	// Max and Total are the longest hold and the sum of the holds.
	Max, Total time.Duration
	// P50 and P95 are the median and 95th percentile of the holds.
	P50, P95 time.Duration
}

// maxHolds bounds the holds kept for the percentiles between two
// TakeHolds (a minute of the job is a few thousand).
const maxHolds = 100_000

// holdsKey is the app.Store() key of the holds recorder.
const holdsKey = "relais.distribution.holds"

// holdRecorder accumulates Holds.
type holdRecorder struct {
	mu    sync.Mutex
	h     Holds
	holds []time.Duration
}

func recorderOf(app core.App) *holdRecorder {
	r, _ := app.Store().GetOrSet(holdsKey, func() any { return &holdRecorder{} }).(*holdRecorder)
	return r
}

// TakeHolds returns the holds recorded since the last call and starts
// again from none.
func TakeHolds(app core.App) Holds {
	r := recorderOf(app)
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.h
	if len(r.holds) > 0 {
		slices.Sort(r.holds)
		h.P50, h.P95 = r.holds[len(r.holds)/2], r.holds[len(r.holds)*95/100]
	}
	r.h, r.holds = Holds{}, r.holds[:0]
	return h
}

// jobTx runs fn in a transaction of a job (see the top of this file).
func jobTx(app core.App, fn func(tx core.App) error) error {
	if _, err := candidates(app); err != nil {
		return err
	}
	var start time.Time
	err := writerhold.Run(app, writerhold.Job, func(tx core.App) error {
		start = time.Now()
		return fn(tx)
	})
	if !start.IsZero() {
		d := time.Since(start)
		r := recorderOf(app)
		r.mu.Lock()
		r.h.N++
		r.h.Total += d
		r.h.Max = max(r.h.Max, d)
		if len(r.holds) < maxHolds {
			r.holds = append(r.holds, d)
		}
		r.mu.Unlock()
	}
	return err
}
