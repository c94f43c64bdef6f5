package migrations

import (
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fresh install backs up daily and keeps a week; an operator's own
// schedule is left as it is.
func TestDefaultBackupSchedule(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	require.NoError(t, err)
	defer app.Cleanup()
	assert.Equal(t, "0 3 * * *", app.Settings().Backups.Cron)
	assert.Equal(t, 7, app.Settings().Backups.CronMaxKeep)

	s := app.Settings()
	s.Backups.Cron, s.Backups.CronMaxKeep = "30 1 * * 0", 4
	require.NoError(t, app.Save(s))
	require.NoError(t, addBackupSchedule(app))
	assert.Equal(t, "30 1 * * 0", app.Settings().Backups.Cron)
	assert.Equal(t, 4, app.Settings().Backups.CronMaxKeep)
	require.NoError(t, removeBackupSchedule(app))
	assert.Equal(t, "30 1 * * 0", app.Settings().Backups.Cron, "down leaves an operator's schedule")
}
