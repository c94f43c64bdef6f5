package distribution

import (
	"strconv"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/hooks/writerhold"
)

// DefaultAcceptBatch is the largest group of accepts committed together
// when AcceptBatch is not set. An accept holds the writer for its work
// (~3 ms at 1M) and then its commit (an fsync, ~1–4 ms): alone, 20
// accepts at once queue 20 commits; in one group of 20 every caller waits
// for all 20 accepts' work. Small groups do both: measured at 1M with 20
// partners accepting at once, alternated round by round (BENCHMARKS.md,
// "Writer hold time"), groups of at most 4 had the lowest median and p95
// (alone, 8 and 20 measured too).
const DefaultAcceptBatch = 4

// AcceptBatch is the largest number of concurrent accepts committed in
// one transaction (hooks/groupcommit): 0 means DefaultAcceptBatch, 1
// commits each accept alone. The benchmarks set it to compare.
var AcceptBatch atomic.Int32

// acceptTx runs an accept's transaction: alone, or in a group of at most
// AcceptBatch accepts (each in its savepoint, run again alone when the
// group cannot commit; fn is safe to run again: it reads everything it
// writes inside its transaction).
func acceptTx(app core.App, fn func(tx core.App) error) error {
	n := int(AcceptBatch.Load())
	if n == 0 {
		n = DefaultAcceptBatch
	}
	if n <= 1 || app.IsTransactional() {
		return writerhold.Run(app, writerhold.Accept, fn)
	}
	return groupcommit.Named(app, "accept"+strconv.Itoa(n), n, writerhold.Accept).Run(fn)
}
