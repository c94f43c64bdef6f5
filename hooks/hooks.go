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
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/stmtcache"

	// SQLite's memory statistics, turned on before any connection opens
	// (the soft heap limit of cli.LimitMemory depends on them)
	_ "github.com/relais/relais/hooks/sqlmem"
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
	// idle database connections closed, memory given back when idle
	// (idle_memory.go)
	bindIdle(app)
	// the prepared statements of our hot queries closed, and their
	// background preparations stopped, before the databases close
	stmtcache.BindClose(app)
}

// DBConnect opens the SQLite databases like PocketBase does, but with
// synchronous=FULL (an acknowledged lead survives a power loss) and a
// bounded memory per connection: a page cache of PageCacheKiB and no
// memory-mapped reads. Both count in the process's resident memory once
// per connection (each connection has its own cache and its own mapping
// of the file), so 32 MB of cache plus 256 MB of mapping per connection
// of the read pool took the server to 805 MB after a minute of list
// traffic at 1M leads; the OS page cache, shared and not counted in the
// process, keeps the file's hot pages anyway. See ReadPool for the number
// of connections.
func DBConnect(dbPath string) (*dbx.DB, error) {
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_pragma=temp_store(FILE)" +
		fmt.Sprintf("&_pragma=cache_size(-%d)&_pragma=mmap_size(0)&_txlock=immediate", PageCacheKiB)
	return dbx.Open("sqlite", dbPath+pragmas)
}

// PageCacheKiB is the page cache of each SQLite connection (KiB). The
// pages live in the slots shared by all connections (package sqlmem,
// sqlmem.PageSlots of about 4.3 KiB each, 17.9 MB together): 4 MB on 6
// read connections plus the writer asks for more than the slots hold, and
// past the slots the connections reuse the least recently used pages of
// all of them instead of allocating. 2 MB per connection cost throughput
// at 1M leads (pages read again from the OS cache).
const PageCacheKiB = 4000

// ReadPool bounds the read connections of the data database (PocketBase's
// default: 120 open, 15 idle): with 2 to 4 cores more connections only
// queue for the CPU while each holds its own page cache. All of them may
// stay idle under load (a connection closed and opened again frees and
// maps its cache again); they close after IdleConnTime unused.
const (
	ReadPoolOpen = 6
	ReadPoolIdle = 6
)
