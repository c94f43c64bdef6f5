package governance

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/distribution"
)

// The scan of every table for a data subject (GDPR erasure and its
// verification): the list of tables comes from sqlite_master, so tables
// added later are covered.

// scan modes of scanTables.
const (
	countMode  = iota // count the values mentioning the subject, in every table
	scrubMode         // rewrite them, in the tables that are not protected
	deleteMode        // delete the rows holding them (request logs)
)

// scanTables looks for the subject in every column of every table of db
// (the list comes from sqlite_master, so tables added later are covered)
// and counts, rewrites or deletes what it finds, per "table.column".
func scanTables(db dbx.Builder, m *subjectMatcher, counts map[string]int, mode int) error {
	var tables []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := db.NewQuery("SELECT name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE type = 'table' ORDER BY name").All(&tables); err != nil {
		return err
	}
	var virtual []string
	for _, t := range tables {
		if strings.HasPrefix(strings.ToUpper(t.SQL), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, t.Name)
		}
	}
	for _, tb := range tables {
		t := tb.Name
		if strings.HasPrefix(t, "rollup_") {
			// derived figures (package reports): rebuilt from the offers
			// after the scrub, never rewritten in place
			continue
		}
		if t == distribution.CountersTable || t == distribution.UserCountersTable {
			// derived counts of ids (package distribution), no person in them
			continue
		}
		if derivedIndex(t, virtual) {
			// a full-text index and its shadow tables (package textindex):
			// they follow their content table's rows, which are scanned
			continue
		}
		if mode == scrubMode && protectedTable(t) {
			continue
		}
		var cols []struct {
			Name string `db:"name"`
			Type string `db:"type"`
		}
		if err := db.NewQuery("SELECT name, type FROM pragma_table_info({:t})").Bind(dbx.Params{"t": t}).All(&cols); err != nil {
			return err
		}
		for _, c := range cols {
			if mode == scrubMode && (c.Name == "id" || !textual(c.Type)) {
				continue
			}
			if err := scanColumn(db, m, t, c.Name, counts, mode); err != nil {
				return err
			}
		}
	}
	return nil
}

// derivedIndex reports whether table t is a virtual table (a full-text
// index) or one of its shadow tables (named after it).
func derivedIndex(t string, virtual []string) bool {
	for _, v := range virtual {
		if t == v || strings.HasPrefix(t, v+"_") {
			return true
		}
	}
	return false
}

// scanColumn counts, rewrites or deletes the values of one column that
// mention the subject.
func scanColumn(db dbx.Builder, m *subjectMatcher, t, name string, counts map[string]int, mode int) error {
	col := "CAST(" + quoteIdent(name) + " AS TEXT)"
	params := dbx.Params{}
	var rows []struct {
		RowID int64  `db:"rid"`
		Val   string `db:"val"`
	}
	err := db.NewQuery("SELECT _rowid_ AS rid, COALESCE(" + col + ", '') AS val FROM " + quoteIdent(t) +
		" WHERE " + m.sqlCandidates(col, params)).Bind(params).All(&rows)
	if err != nil {
		return fmt.Errorf("%s.%s: %w", t, name, err)
	}
	for _, r := range rows {
		if !m.re.MatchString(r.Val) {
			continue
		}
		switch mode {
		case countMode:
			counts[t+"."+name]++
		case scrubMode:
			if err := scrubValue(db, m, t, name, r.RowID, r.Val); err != nil {
				return err
			}
			counts[t+"."+name]++
		case deleteMode:
			res, err := db.NewQuery("DELETE FROM " + quoteIdent(t) + " WHERE _rowid_ = {:rid}").
				Bind(dbx.Params{"rid": r.RowID}).Execute()
			if err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
			n, _ := res.RowsAffected() // SQLite always reports it
			counts[t] += int(n)
		}
	}
	return nil
}

// scrubValue rewrites one value mentioning the subject: the subject's
// mentions become ErasedMark; a duplicate key derived from the subject is
// dropped whole (a rewritten key would match every erased subject), and a
// row of a duplicate-key table deleted.
func scrubValue(db dbx.Builder, m *subjectMatcher, t, name string, rowID int64, val string) error {
	q := "UPDATE " + quoteIdent(t) + " SET " + quoteIdent(name) + " = {:v} WHERE _rowid_ = {:rid}"
	v := m.scrub(val)
	switch {
	case strings.Contains(t, "dedup"):
		q = "DELETE FROM " + quoteIdent(t) + " WHERE _rowid_ = {:rid}"
	case strings.Contains(strings.ToLower(name), "dedup") || strings.HasSuffix(name, "_key"):
		v = ""
	}
	if _, err := db.NewQuery(q).Bind(dbx.Params{"v": v, "rid": rowID}).Execute(); err != nil {
		return fmt.Errorf("%s.%s: %w", t, name, err)
	}
	return nil
}

// textual reports whether a declared SQLite column type holds text.
func textual(typ string) bool {
	t := strings.ToUpper(typ)
	return t == "" || strings.Contains(t, "TEXT") || strings.Contains(t, "CHAR") || strings.Contains(t, "JSON") || strings.Contains(t, "CLOB")
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
