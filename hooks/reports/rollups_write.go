package reports

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/beforerow"
)

// The hooks of the rollups: every write of a lead or an offer applies its
// change to the rollups in the same transaction (rollups.go).

// RollupCreate, RollupUpdate and RollupDelete keep the rollups exact for
// one write of a leads or lead_offers record (RolledUp), in the write's
// transaction, opening one around a lone save: bind them to the record's
// Execute events, so that they run in the transaction of the change.
func RollupCreate(e *core.RecordEvent) error {
	cols := rolledUpCols(e.Record)
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
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
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		return beforerow.With(e, db, func(before beforerow.Row) error {
			old, oldTerr := fromBefore(before, cols)
			if err := e.Next(); err != nil {
				return err
			}
			return rollupChange(db, table, e.Record.Id, old, recordRow(e.Record, cols), nil, oldTerr)
		})
	})
}

// RollupDelete is RollupCreate for a deletion.
func RollupDelete(e *core.RecordEvent) error {
	table := e.Record.Collection().Name
	cols := rolledUpCols(e.Record)
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		return beforerow.With(e, db, func(before beforerow.Row) error {
			old, oldTerr := fromBefore(before, cols)
			var keys []offerKey
			if table == "leads" {
				var err error
				if keys, err = leadOfferKeys(db, e.Record.Id); err != nil {
					return err
				}
			}
			if err := e.Next(); err != nil {
				return err
			}
			return rollupChange(db, table, e.Record.Id, old, nil, keys, oldTerr)
		})
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

// fromBefore is the rolled-up columns of a row before its write (nil when
// it did not exist) and, for an offer, its lead's territory, read with it.
func fromBefore(before beforerow.Row, cols []string) (rowRecord, string) {
	if before == nil {
		return nil, ""
	}
	old := make(rowRecord, len(cols))
	for _, c := range cols {
		old[c] = before[c]
	}
	return old, before.Str(beforerow.LeadTerritory)
}
