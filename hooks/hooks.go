// Package hooks is the Relais domain glued to PocketBase: it binds the
// policy compiler, account lifecycle, and the other concerns (one file
// each) to PocketBase events. Pure logic lives in the sub-packages
// (policy, geo, dedup, assign, lifecycle, auditchain, csvimport).
package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Register binds every Relais hook to the app. It must be called before
// the app starts (and in tests, right after tests.NewTestApp).
func Register(app core.App) {
	// at start-up, before the other serve handlers: rebuilds and policy
	// drift repair that the frozen migrations leave to the code (bootstrap.go)
	bindBootstrap(app)
	// first: the in-memory caches and their resets (caches.go)
	// (role kinds are read from the cached matrix: roleKind in caches.go)
	bindCaches(app)
	bindPolicy(app)
	bindAccounts(app)
	bindSessions(app)
	// lifecycle checks run before (outside) the audit wrapper so that the
	// audited diff includes the fields they set
	bindLeadHooks(app)
	// private customers: no person's name in a lead (private_leads.go)
	bindPrivateLeads(app)
	// report rollups, in the transaction of each lead and offer write
	bindRollups(app)
	bindAudit(app)
	// superusers' collection and settings changes (`/_/`): governed
	// collections refused, everything audited
	bindCollectionGuard(app)
	bindSettingsAudit(app)
	bindLeadRoutes(app)
	// client filters and sorts: refused unless every path is allowed
	bindFilterGuard(app)
	bindListHints(app)
	bindReportRoutes(app)
	bindMail(app)
	bindVisibility(app)
	bindGovernance(app)
	bindDeals(app)
	// relation ids a client writes must name records it may view (priority -10)
	bindRelationGuard(app)
	// Hidden file fields (call recordings) only for those who see the field
	bindHiddenFiles(app)
	// a partner role needs a partner, other roles have none (every write path)
	bindUserPartner(app)
}

// DBConnect opens the SQLite databases like PocketBase does, but with
// synchronous=FULL (an acknowledged lead survives a power loss) and 256 MB
// of memory-mapped reads: a read connection whose page cache a write just
// invalidated (every write invalidates every connection's cache) reads the
// pages from the OS cache in place instead of copying them one by one
// (measured at 1M leads: single ingest ~260 -> ~300 req/s).
func DBConnect(dbPath string) (*dbx.DB, error) {
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)&_pragma=mmap_size(268435456)"
	return dbx.Open("sqlite", dbPath+pragmas)
}
