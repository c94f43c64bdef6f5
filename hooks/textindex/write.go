package textindex

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/beforerow"
)

// source is one indexed collection: its index table, the key column and
// the indexed fields (same names in the collection and the table).
type source struct {
	table, key string
	fields     []string
}

// sources are the indexed collections, by name.
var sources = map[string]source{
	"leads": {table: "lead_search", key: "lead", fields: []string{"company", "city", "postal_code"}},
}

// Collections are the names of the indexed collections (bind [Create],
// [Update] and [Delete] to their Execute events).
func Collections() []string { return []string{"leads"} }

// Create indexes a new record, in the transaction of its insert.
func Create(e *core.RecordEvent) error {
	src := sources[e.Record.Collection().Name]
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		if err := e.Next(); err != nil {
			return err
		}
		return upsert(db, src, e.Record)
	})
}

// Update re-indexes a record whose indexed texts change, in the
// transaction of its update.
func Update(e *core.RecordEvent) error {
	src := sources[e.Record.Collection().Name]
	if !changed(src, e.Record) {
		return e.Next()
	}
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		if err := e.Next(); err != nil {
			return err
		}
		return upsert(db, src, e.Record)
	})
}

// Delete removes a record from the index, in the transaction of its
// deletion.
func Delete(e *core.RecordEvent) error {
	src := sources[e.Record.Collection().Name]
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		if err := e.Next(); err != nil {
			return err
		}
		_, err := db.Delete(src.table, dbx.HashExp{src.key: e.Record.Id}).Execute()
		return err
	})
}

// changed reports whether an update changes an indexed text.
func changed(src source, r *core.Record) bool {
	orig := r.Original()
	for _, f := range src.fields {
		if orig.GetString(f) != r.GetString(f) {
			return true
		}
	}
	return false
}

// upsert writes the record's texts (its index row, created or replaced;
// the table's triggers update the FTS5 index).
func upsert(db dbx.Builder, src source, r *core.Record) error {
	cols := dbx.Params{src.key: r.Id}
	set := ""
	for i, f := range src.fields {
		cols[f] = r.GetString(f)
		if i > 0 {
			set += ", "
		}
		set += f + " = excluded." + f
	}
	names, vals := "", ""
	for i, c := range append([]string{src.key}, src.fields...) {
		if i > 0 {
			names, vals = names+", ", vals+", "
		}
		names, vals = names+c, vals+"{:"+c+"}"
	}
	_, err := db.NewQuery("INSERT INTO " + src.table + " (" + names + ") VALUES (" + vals + ") ON CONFLICT (" + src.key + ") DO UPDATE SET " + set).
		Bind(cols).Execute()
	return err
}

// RebuildSQL are the statements that rebuild the whole index from the
// tables (after a load by raw SQL, like the bench generator's).
func RebuildSQL() []string {
	return []string{
		"DELETE FROM lead_search",
		"INSERT INTO lead_search (lead, company, city, postal_code) SELECT id, company, city, postal_code FROM leads",
	}
}
