package reports

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The hooks of the rollups: every write of a lead or an offer applies its
// change to the rollups in the same transaction (rollups.go).

// RollupCreate, RollupUpdate and RollupDelete keep the rollups exact for
// one write of a leads or lead_offers record (RolledUp), in the write's
// transaction, opening one around a lone save: bind them to the record's
// Execute events, so that they run in the transaction of the change.
func RollupCreate(e *core.RecordEvent) error {
	cols := rolledUpCols(e.Record)
	return inTx(e, func(db dbx.Builder) error {
		if err := e.Next(); err != nil {
			return err
		}
		return rollupChange(db, e.Record.Collection().Name, e.Record.Id, nil, recordRow(e.Record, cols), nil, "")
	})
}

// RollupUpdate is RollupCreate for an update.
func RollupUpdate(e *core.RecordEvent) error {
	table := e.Record.Collection().Name
	cols := rolledUpCols(e.Record)
	return inTx(e, func(db dbx.Builder) error {
		old, oldTerr, err := readBefore(db, table, cols, e.Record.Id)
		if err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		return rollupChange(db, table, e.Record.Id, old, recordRow(e.Record, cols), nil, oldTerr)
	})
}

// RollupDelete is RollupCreate for a deletion.
func RollupDelete(e *core.RecordEvent) error {
	table := e.Record.Collection().Name
	cols := rolledUpCols(e.Record)
	return inTx(e, func(db dbx.Builder) error {
		old, oldTerr, err := readBefore(db, table, cols, e.Record.Id)
		if err != nil {
			return err
		}
		var keys []offerKey
		if table == "leads" {
			if keys, err = leadOfferKeys(db, e.Record.Id); err != nil {
				return err
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		return rollupChange(db, table, e.Record.Id, old, nil, keys, oldTerr)
	})
}

// RolledUp are the collections whose writes the rollups follow.
var RolledUp = []string{"leads", "lead_offers"}

// rolledUpCols are the columns the rollups read from a leads or
// lead_offers record.
func rolledUpCols(r *core.Record) []string {
	if r.Collection().Name == "leads" {
		return leadRollupCols
	}
	return offerRollupCols
}

// rollupChange applies one row's change (old and new nil for a creation
// and a deletion).
func rollupChange(db dbx.Builder, table, id string, old, new rowRecord, keys []offerKey, oldTerr string) error {
	if table == "leads" {
		return leadRollupChange(db, id, old, new, keys)
	}
	return offerRollupChange(db, old, new, oldTerr)
}

// inTx runs f on the write's transaction, or in a new one around a lone
// save.
func inTx(e *core.RecordEvent, f func(db dbx.Builder) error) error {
	if e.App.IsTransactional() {
		return f(e.App.NonconcurrentDB())
	}
	// The write runs in the transaction, but the event outlives it:
	// PocketBase triggers the after-success hooks (realtime broadcast,
	// distribution, mail) with the event's App once this hook returns,
	// i.e. after the commit. Give them back the app they came with, or
	// every query they run fails on the finished transaction.
	orig := e.App
	defer func() { e.App = orig }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return f(tx.NonconcurrentDB())
	})
}

// readBefore reads a row before its change and, for an offer, its lead's
// territory.
func readBefore(db dbx.Builder, table string, cols []string, id string) (rowRecord, string, error) {
	old, err := readRollupRow(db, table, cols, id)
	if err != nil || old == nil || table != "lead_offers" {
		return old, "", err
	}
	t, err := leadTerritory(db, old.str("lead"))
	return old, t, err
}
