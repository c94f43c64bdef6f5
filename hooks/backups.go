package hooks

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/inflector"

	"github.com/relais/relais/hooks/audit"
)

// bindBackups records the audit anchor with every backup (the schedule's,
// `/_/`'s, the API's): before PocketBase archives the data dir, the backup
// is appended to the audit chain and the new head written to
// audit.AnchorFileName, which the archive then holds. A backup whose
// anchor cannot be recorded is not made.
func bindBackups(app core.App) {
	app.OnBackupCreate().Bind(&hook.Handler[*core.BackupEvent]{
		Id: "relaisBackupAnchor",
		Func: func(e *core.BackupEvent) error {
			if e.Name == "" {
				// the name PocketBase would give it, so that the entry names the file
				e.Name = backupName(e.App, time.Now())
			}
			if _, err := audit.RecordBackupAnchor(e.App, e.Name); err != nil {
				return fmt.Errorf("backup %s: %w", e.Name, err)
			}
			return e.Next()
		},
	})
}

// backupName is the name PocketBase gives a backup made without one
// (core.generateBackupName).
func backupName(app core.App, now time.Time) string {
	appName := inflector.Snakecase(app.Settings().Meta.AppName)
	if len(appName) > 50 {
		appName = appName[:50]
	}
	return fmt.Sprintf("pb_backup_%s_%s.zip", appName, now.UTC().Format("20060102150405"))
}
