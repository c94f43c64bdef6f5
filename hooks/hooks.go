// Package hooks binds the Relais domain to PocketBase's events: what must
// happen on every write, whoever makes it (the REST API, the UI, the
// commands, Go code), and the jobs that run under `serve`. The domain is
// in the sub-packages, one per concern (ARCHITECTURE.md); everything bound
// to an HTTP request is in package api.
//
// Where the order of two handlers of one event matters, both carry an
// explicit priority, documented where it is declared; every handler has an
// id (relais…) so that /_/ and the logs name it.
package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Register binds every Relais event handler to the app. It must be called
// before the app starts (and in tests, right after tests.NewTestApp), with
// api.Register for the routes.
func Register(app core.App) {
	// at start-up, before the other serve handlers: rebuilds and policy
	// drift repair that the frozen migrations leave to the code (bootstrap.go)
	bindBootstrap(app)
	// the in-memory caches of package access, reset before any other
	// after-success hook of a change (caches.go)
	bindCaches(app)
	// the permission matrix: validated, recompiled, drift logged (policy.go)
	bindPolicy(app)
	// accounts: revocation, sessions, partners (accounts.go)
	bindAccounts(app)
	// a partner that stops being active: offers withdrawn, leads to
	// reassign (partners.go)
	bindPartnerLeads(app)
	// leads, offers, accounts, opportunities, documents, access requests,
	// the audit log (records.go)
	bindRecords(app)
	// the e-mail of a notification, after its commit (mail.go)
	bindMail(app)
	// the password-reset e-mail in the user's language (self_service.go)
	bindSelfService(app)
	// offer expiry and distribution, session purge, suspensions, access
	// reviews (jobs.go)
	bindJobs(app)
	// the audit anchor recorded with every backup (backups.go)
	bindBackups(app)
}

// DBConnect opens the SQLite databases like PocketBase does, but with
// synchronous=FULL (an acknowledged lead survives a power loss) and 256 MB
// of memory-mapped reads: a read connection whose page cache a write just
// invalidated (every write invalidates every connection's cache) reads the
// pages from the OS cache in place instead of copying them one by one
// (measured at 1M leads: single ingest ~260 -> ~300 req/s).
func DBConnect(dbPath string) (*dbx.DB, error) {
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)&_pragma=mmap_size(268435456)&_txlock=immediate"
	return dbx.Open("sqlite", dbPath+pragmas)
}
