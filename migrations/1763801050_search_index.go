package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The full-text index of the leads search box (hooks/textindex keeps it in
// step with every write of leads, in the write's transaction). A plain
// table holds the leads' searched texts (company, town, postal code) under
// an INTEGER PRIMARY KEY (stable across VACUUM, unlike the implicit rowid
// of PocketBase's tables), with an external-content FTS5 index using the
// trigram tokenizer: a search word matches any part of a text, like the
// LIKE '%word%' it replaces, without case or accents. The index holds no
// rule: the search only ever uses it inside the rule-aware read path, as a
// condition on records the user may list. Contact details are not copied
// here: they live in lead_contacts only (SPEC §3.3.3).
func init() {
	m.Register(searchIndexUp, func(app core.App) error {
		return execSearchIndex(app, []string{
			"DROP TABLE IF EXISTS lead_search_fts", "DROP TABLE IF EXISTS lead_search",
		})
	})
}

// searchIndexTables are the index's tables and triggers, as they were
// defined when this migration was written.
var searchIndexTables = []string{
	`CREATE TABLE lead_search (id INTEGER PRIMARY KEY, lead TEXT NOT NULL UNIQUE,
		company TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '', postal_code TEXT NOT NULL DEFAULT '')`,
	`CREATE VIRTUAL TABLE lead_search_fts USING fts5(company, city, postal_code,
		content='lead_search', content_rowid='id', tokenize='trigram remove_diacritics 1')`,
	// the existing rows, then the indexes built in one pass
	`INSERT INTO lead_search (lead, company, city, postal_code) SELECT id, company, city, postal_code FROM leads`,
	`INSERT INTO lead_search_fts (lead_search_fts) VALUES ('rebuild')`,
	// the FTS5 index follows its table (the external-content triggers of the SQLite manual)
	`CREATE TRIGGER lead_search_ai AFTER INSERT ON lead_search BEGIN
		INSERT INTO lead_search_fts (rowid, company, city, postal_code) VALUES (new.id, new.company, new.city, new.postal_code);
	END`,
	`CREATE TRIGGER lead_search_ad AFTER DELETE ON lead_search BEGIN
		INSERT INTO lead_search_fts (lead_search_fts, rowid, company, city, postal_code) VALUES ('delete', old.id, old.company, old.city, old.postal_code);
	END`,
	`CREATE TRIGGER lead_search_au AFTER UPDATE ON lead_search BEGIN
		INSERT INTO lead_search_fts (lead_search_fts, rowid, company, city, postal_code) VALUES ('delete', old.id, old.company, old.city, old.postal_code);
		INSERT INTO lead_search_fts (rowid, company, city, postal_code) VALUES (new.id, new.company, new.city, new.postal_code);
	END`,
}

// searchIndexUp creates the search index and fills it from the existing
// leads.
func searchIndexUp(app core.App) error { return execSearchIndex(app, searchIndexTables) }

// execSearchIndex runs statements in order.
func execSearchIndex(app core.App, stmts []string) error {
	for _, q := range stmts {
		if _, err := app.DB().NewQuery(q).Execute(); err != nil {
			return err
		}
	}
	return nil
}
