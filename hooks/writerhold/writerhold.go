// Package writerhold measures how long write transactions hold the single
// writer, split into work (the transaction's function: its statements and
// the Go code between them) and commit (from the end of the function to
// the end of the commit, the fsync of synchronous=FULL included).
//
// Run wraps app.RunInTransaction; the figures are kept per kind of
// transaction in the app's store and read (and reset) by Take. The cost
// is two clock reads and one after-commit callback per transaction.
package writerhold

import (
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Kinds of transactions measured.
const (
	// Accept is an offer's acceptance.
	Accept = "accept"
	// Ingest is a group-commit transaction (single ingests, a ready
	// lead's distribution with it; a group or one alone).
	Ingest = "ingest"
	// Job is one transaction of the distribution jobs (one lead).
	Job = "job"
)

// maxSamples bounds the samples kept per kind between two Takes.
const maxSamples = 100_000

// storeKey is the app.Store() key of the recorder.
const storeKey = "relais.writerhold"

// Sample is one transaction's hold.
type Sample struct {
	Work, Commit time.Duration
}

// Hold is the sum of the work and the commit.
func (s Sample) Hold() time.Duration { return s.Work + s.Commit }

// Figures summarise the samples of one kind.
type Figures struct {
	// N is the number of transactions.
	N int
	// Work, Commit and Hold are the percentiles of each part and of the
	// whole hold.
	Work, Commit, Hold Percentiles
}

// Percentiles of a duration.
type Percentiles struct {
	P50, P95, Max time.Duration
}

type recorder struct {
	mu      sync.Mutex
	samples map[string][]Sample
}

func recorderOf(app core.App) *recorder {
	r, _ := app.Store().GetOrSet(storeKey, func() any { return &recorder{samples: map[string][]Sample{}} }).(*recorder)
	return r
}

// Record adds a sample of kind.
func Record(app core.App, kind string, s Sample) {
	r := recorderOf(app)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.samples[kind]) < maxSamples {
		r.samples[kind] = append(r.samples[kind], s)
	}
}

// Take returns the figures of every kind recorded since the last Take and
// starts again from none.
func Take(app core.App) map[string]Figures {
	r := recorderOf(app)
	r.mu.Lock()
	all := r.samples
	r.samples = map[string][]Sample{}
	r.mu.Unlock()
	out := make(map[string]Figures, len(all))
	for kind, ss := range all {
		out[kind] = Summarise(ss)
	}
	return out
}

// Summarise computes the figures of samples.
func Summarise(ss []Sample) Figures {
	f := Figures{N: len(ss)}
	if len(ss) == 0 {
		return f
	}
	pick := func(get func(Sample) time.Duration) Percentiles {
		d := make([]time.Duration, len(ss))
		for i, s := range ss {
			d[i] = get(s)
		}
		slices.Sort(d)
		return Percentiles{P50: d[len(d)/2], P95: d[len(d)*95/100], Max: d[len(d)-1]}
	}
	f.Work = pick(func(s Sample) time.Duration { return s.Work })
	f.Commit = pick(func(s Sample) time.Duration { return s.Commit })
	f.Hold = pick(Sample.Hold)
	return f
}

// Run runs fn in a transaction of app (app.RunInTransaction) and records
// its hold under kind when the transaction was opened here; inside an
// existing transaction fn just runs in it.
func Run(app core.App, kind string, fn func(tx core.App) error) error {
	if app.IsTransactional() {
		return app.RunInTransaction(fn)
	}
	var start, end, committed time.Time
	err := app.RunInTransaction(func(tx core.App) error {
		start = time.Now()
		// the first after-commit callback runs right after the commit,
		// before the hooks' own
		tx.TxInfo().OnComplete(func(error) error {
			committed = time.Now()
			return nil
		})
		err := fn(tx)
		end = time.Now()
		return err
	})
	if !start.IsZero() && !committed.IsZero() {
		Record(app, kind, Sample{Work: end.Sub(start), Commit: committed.Sub(end)})
	}
	return err
}
