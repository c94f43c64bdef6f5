// Package beforerow reads, once per write, the row that an update or a
// deletion of a lead or an offer is about to change, for the hooks of that
// write that keep derived data exact (the report rollups, the distribution
// counters): the first of them reads it, the others of the same write get
// it from memory while the first one waits for the write (its e.Next()).
package beforerow

import (
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Row is a row before its write: text columns as strings, the numeric
// ones (won_amount, estimated_value) as float64. A nil Row is a row that
// does not exist.
type Row map[string]any

// Str is a text column of the row ("" when absent).
func (r Row) Str(k string) string {
	s, _ := r[k].(string)
	return s
}

// LeadTerritory is the column of an offer's row holding its lead's
// territory (read with the offer).
const LeadTerritory = "lead_territory"

// selects are the columns read per table: the union of what the write's
// hooks need (rollups and counters).
var selects = map[string][]string{
	"leads": {"partner", "territory", "department", "status", "created", "accepted_at", "won_amount", "estimated_value", "assignee"},
	"lead_offers": {"lead", "partner", "offered_at", "outcome", "decided_at", "reason_code",
		"COALESCE((SELECT l.territory FROM leads l WHERE l.id = lead_offers.lead), '') AS " + LeadTerritory},
}

// numeric are the numeric columns.
var numeric = map[string]bool{"won_amount": true, "estimated_value": true}

// inflight holds the row of each write event whose first hook read it,
// while that hook runs.
var inflight sync.Map // *core.RecordEvent -> Row

// With calls fn with the row of e's record as it is before the write (nil
// when it does not exist). Call it before e.Next(): the first hook of the
// event reads the row with db, the others of the same event reuse it.
func With(e *core.RecordEvent, db dbx.Builder, fn func(Row) error) error {
	if v, ok := inflight.Load(e); ok {
		return fn(v.(Row))
	}
	var row Row
	if v, ok := loaded.LoadAndDelete(e.Record); ok {
		row = FromOriginal(e.Record.Original(), v.(map[string]string))
	} else {
		var err error
		if row, err = Read(db, e.Record.Collection().Name, e.Record.Id); err != nil {
			return err
		}
	}
	inflight.Store(e, row)
	defer inflight.Delete(e)
	return fn(row)
}

// loaded holds the records marked by Loaded until their next write.
var loaded sync.Map // *core.Record -> map[string]string (extra columns)

// Loaded marks records read in the transaction that writes them next,
// with nothing written to their rows in between (the caller knows: it
// holds the writer and wrote nothing else to them): the next write of each
// takes its row from the record's Original() instead of reading it again.
// extra are the columns not in the record (an offer's LeadTerritory). Call
// Forget (deferred) for the records that may not be written.
func Loaded(rec *core.Record, extra map[string]string) {
	if extra == nil {
		extra = map[string]string{}
	}
	loaded.Store(rec, extra)
}

// Forget drops the marks of records that were not written.
func Forget(recs ...*core.Record) {
	for _, r := range recs {
		if r != nil {
			loaded.Delete(r)
		}
	}
}

// FromOriginal is the row of a record as loaded (its Original), in the
// format read uses (dates in their stored form).
func FromOriginal(orig *core.Record, extra map[string]string) Row {
	out := Row{}
	for _, c := range selects[orig.Collection().Name] {
		if strings.Contains(c, " AS ") {
			name := c[strings.LastIndex(c, " ")+1:]
			out[name] = extra[name]
			continue
		}
		switch orig.Collection().Fields.GetByName(c).(type) {
		case *core.NumberField:
			out[c] = orig.GetFloat(c)
		case *core.DateField, *core.AutodateField:
			out[c] = orig.GetDateTime(c).String() // the stored format
		default:
			out[c] = orig.GetString(c)
		}
	}
	return out
}

// Read reads one row (nil when it does not exist).
func Read(db dbx.Builder, table, id string) (Row, error) {
	cols := selects[table]
	sel := make([]string, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		switch {
		case strings.Contains(c, " AS "):
			sel[i], names[i] = c, c[strings.LastIndex(c, " ")+1:]
		case numeric[c]:
			sel[i], names[i] = "COALESCE("+c+", 0)", c
		default:
			sel[i], names[i] = "COALESCE("+c+", '')", c
		}
	}
	rows, err := db.NewQuery("SELECT " + strings.Join(sel, ", ") + " FROM " + table + " WHERE id = {:id}").Bind(dbx.Params{"id": id}).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	vals := make([]any, len(names))
	for i, c := range names {
		if numeric[c] {
			vals[i] = new(float64)
		} else {
			vals[i] = new(string)
		}
	}
	if err := rows.Scan(vals...); err != nil {
		return nil, err
	}
	out := Row{}
	for i, c := range names {
		switch v := vals[i].(type) {
		case *float64:
			out[c] = *v
		case *string:
			out[c] = *v
		}
	}
	return out, rows.Err()
}
