package bench

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/hooks/groupcommit"
)

// IngestConcurrency are the numbers of concurrent clients of the
// concurrent single-ingest figures.
var IngestConcurrency = []int{1, 4, 16}

// concurrentRounds is the number of alternated rounds (Relais, raw) of a
// concurrent single-ingest figure.
const concurrentRounds = 4

// concurrently runs n calls of f over c goroutines and returns the
// elapsed time.
func concurrently(c, n int, f func() error) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, c)
	t := time.Now()
	for w := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := f(); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return time.Since(t), nil
}

// runConcurrentIngest measures single ingests (below the threshold: no
// distribution) posted by c clients at once, for each c of
// IngestConcurrency, against the raw single-lead transaction run by the
// same number of clients (on the one write connection, as SQLite
// allows one writer); rounds of Relais and raw alternate.
func (e *Env) runConcurrentIngest(figs []Figure, o RunOptions) ([]Figure, error) {
	for _, c := range IngestConcurrency {
		n := max(c, o.Iterations/concurrentRounds)
		var rest, raw time.Duration
		st := groupcommit.For(e.App).Stats()
		for range concurrentRounds {
			d, err := concurrently(c, n, func() error { return e.IngestREST(false) })
			if err != nil {
				return figs, err
			}
			rest += d
			d, err = concurrently(c, n, func() error { return e.IngestRaw(false) })
			if err != nil {
				return figs, err
			}
			raw += d
		}
		total := float64(n * concurrentRounds)
		now := groupcommit.For(e.App).Stats()
		commits := now.Commits - st.Commits
		f := Figure{Name: fmt.Sprintf("ingest: single lead (new), %d concurrent clients", c), Unit: "req/s",
			Value: total / rest.Seconds(), Raw: total / raw.Seconds(), Target: "≥ 500 req/s",
			Note: fmt.Sprintf("FULL sync; %d leads in %d commits; raw: one transaction per lead", n*concurrentRounds, commits), Runs: n * concurrentRounds}
		f.Met = met(f.Value >= 500)
		figs = append(figs, f)
	}
	return figs, nil
}
