package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The default backup schedule: every day at 03:00 (UTC, the cron's clock),
// the last 7 kept, in pb_data/backups unless `/_/` → Settings → Backups
// sends them to S3. Set only where no schedule is set: an operator's own
// schedule (or its deliberate absence after this migration ran) stays.
const (
	defaultBackupCron = "0 3 * * *"
	defaultBackupKeep = 7
)

func init() {
	m.Register(addBackupSchedule, removeBackupSchedule)
}

// addBackupSchedule sets the daily schedule when none is set.
func addBackupSchedule(app core.App) error {
	s := app.Settings()
	if s.Backups.Cron != "" {
		return nil
	}
	s.Backups.Cron = defaultBackupCron
	s.Backups.CronMaxKeep = defaultBackupKeep
	return app.Save(s)
}

// removeBackupSchedule removes the schedule this migration set (left alone
// if an operator changed it).
func removeBackupSchedule(app core.App) error {
	s := app.Settings()
	if s.Backups.Cron != defaultBackupCron || s.Backups.CronMaxKeep != defaultBackupKeep {
		return nil
	}
	s.Backups.Cron = ""
	s.Backups.CronMaxKeep = 0
	return app.Save(s)
}
