package beforerow

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// InTx runs f on the transaction of the write of e (a hook that keeps
// derived data exact writes it with the row), or in a new transaction
// around a lone save. The write runs in that transaction, but the event
// outlives it: PocketBase triggers the after-success hooks (realtime
// broadcast, distribution, mail) with the event's App once the hook
// returns, after the commit, so e.App is given back the app it came with,
// or every query they run would fail on the finished transaction.
func InTx(e *core.RecordEvent, f func(tx core.App) error) error {
	if e.App.IsTransactional() {
		return f(e.App)
	}
	orig := e.App
	defer func() { e.App = orig }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return f(tx)
	})
}

// InTxDB is InTx for f writing on the transaction's database.
func InTxDB(e *core.RecordEvent, f func(db dbx.Builder) error) error {
	return InTx(e, func(tx core.App) error { return f(tx.NonconcurrentDB()) })
}
