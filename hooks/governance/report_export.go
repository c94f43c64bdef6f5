package governance

import (
	"maps"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
)

// StartReportExport allows and records the download of a report as CSV,
// like a collection export (AllowExport, StartExport): the matrix's export
// flag on `reports`, or a running, unused export grant on `reports`, which
// this download uses up in the same transaction as its audit entry
// (export.reports: the report, details, the grant used). A refusal is
// audited (export.denied) and returned as *ExportDenied; a grant used by a
// concurrent download is a conflict (grant_used).
func StartReportExport(app core.App, auth *core.Record, actor audit.Actor, report string, details map[string]any, now time.Time) error {
	ok, grant, err := ExportRight(app, auth, "reports", now)
	if err != nil {
		return err
	}
	if !ok {
		if err := audit.Append(app, actor, ActionExportDenied, "reports", "", map[string]any{"report": report}); err != nil {
			return err
		}
		return &ExportDenied{Resource: "reports"}
	}
	changes := maps.Clone(details)
	if changes == nil {
		changes = map[string]any{}
	}
	changes["report"] = report
	if grant != nil {
		changes["grant"] = grant.Id
	}
	return app.RunInTransaction(func(tx core.App) error {
		if grant != nil {
			if err := useExportGrant(tx, grant.Id, now); err != nil {
				return err
			}
		}
		return audit.Append(tx, actor, ActionExportReports, "reports", "", changes)
	})
}
