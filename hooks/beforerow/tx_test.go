package beforerow_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/beforerow"
)

// A lone save's hook runs in a new transaction that the event sees while
// it runs, and gets its app back afterwards; a hook of a write already in
// a transaction runs on that transaction; an error rolls back.
func TestInTxRunsOnTheWritesTransaction(t *testing.T) {
	app, err := tests.NewTestApp()
	require.NoError(t, err)
	t.Cleanup(app.Cleanup)
	_, err = app.NonconcurrentDB().NewQuery("CREATE TABLE intx_t (v TEXT)").Execute()
	require.NoError(t, err)
	count := func() int {
		var n int
		require.NoError(t, app.DB().NewQuery("SELECT count(*) FROM intx_t").Row(&n))
		return n
	}

	e := &core.RecordEvent{}
	e.App = app
	require.NoError(t, beforerow.InTxDB(e, func(db dbx.Builder) error {
		assert.True(t, e.App.IsTransactional(), "a lone save: a new transaction")
		_, err := db.NewQuery("INSERT INTO intx_t VALUES ('a')").Execute()
		return err
	}))
	assert.Same(t, app, e.App, "the event gets its app back")
	assert.Equal(t, 1, count())

	assert.Error(t, beforerow.InTx(e, func(tx core.App) error {
		if _, err := tx.NonconcurrentDB().NewQuery("INSERT INTO intx_t VALUES ('b')").Execute(); err != nil {
			return err
		}
		return assert.AnError
	}))
	assert.Same(t, app, e.App)
	assert.Equal(t, 1, count(), "rolled back")

	require.NoError(t, app.RunInTransaction(func(txApp core.App) error {
		e.App = txApp
		return beforerow.InTx(e, func(tx core.App) error {
			assert.Same(t, txApp, tx, "the write's own transaction")
			return nil
		})
	}))
}
