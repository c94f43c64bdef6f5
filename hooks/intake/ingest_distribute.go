package intake

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/hooks/lifecycle"
)

// Distributor offers a ready lead in the transaction that creates it
// (package distribution provides it; intake does not import it).
type Distributor interface {
	// Prepare loads what Distribute reads, before the writer is taken.
	Prepare(app core.App) error
	// Distribute offers the lead, in tx.
	Distribute(tx core.App, leadID string) error
}

// DistributeReady makes Ingest offer a lead that is ready and not held in
// the transaction that creates it: the lead, its offer and their audit
// entries are committed together (one commit, one fsync), so no ready lead
// is answered before its distribution. A distribution that fails is
// rolled back alone (a savepoint): the lead is still stored, ready, and
// the distribution job offers it later.
func (it *Intake) DistributeReady(d Distributor) { it.distributor = d }

// prepareDistribution tells whether Ingest distributes the lead in its
// transaction: a Distributor is set, the lead will be ready (its score)
// and the app is not already in a transaction (whose caller distributes).
// The Distributor's Prepare error is returned as the distribution's.
func (it *Intake) prepareDistribution(app core.App, in IngestInput) (bool, error) {
	if it.distributor == nil || app.IsTransactional() || initialStatus(in.Score, it.settings.ScoreThreshold) != lifecycle.StatusReady {
		return false, nil
	}
	if err := it.distributor.Prepare(app); err != nil {
		return false, err
	}
	return true, nil
}

// distributeCreated offers a lead just created by Ingest, in tx, in a
// savepoint of its own (groupcommit.Nested). A failure before any write
// that queued after-commit hooks rolls back the savepoint alone: the lead
// is kept, ready, for the distribution job (*distErr tells why). A failure
// after such a write fails the whole transaction and turns *distribute off
// and *aborted on: Ingest runs it again without the distribution.
func (it *Intake) distributeCreated(tx core.App, res *IngestResult, distErr *error, distribute, aborted *bool) error {
	if res.Held || res.Lead.GetString("status") != lifecycle.StatusReady {
		return nil
	}
	derr := groupcommit.Nested(tx, "distribute", func(tx core.App) error { return it.distributor.Distribute(tx, res.Lead.Id) })
	if derr == nil {
		res.Distributed = true
		return nil
	}
	*distErr = derr
	if errors.Is(derr, groupcommit.ErrAbort) {
		// its writes cannot be taken back alone: the whole transaction
		// fails and runs again without it
		*distribute, *aborted = false, true
		return derr
	}
	return nil // the lead is kept, ready, for the distribution job
}
