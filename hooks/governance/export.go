package governance

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
)

// Exports (SPEC §3.3.7, §6): GET /api/prm/export/{resource} streams CSV
//
//   - only where the matrix grants `export` to the caller's role on that
//     resource, or where the caller holds a running, unused export grant
//     (which the export uses up), or for superusers; anyone else gets 403
//     and the refusal is audited (export.denied);
//   - through access.ListFor, page by page: the same List rule as the REST
//     API, the same `filter`/`sort` syntax (hidden fields refused);
//   - with the same field visibility as the API: each page is enriched
//     like an API answer (the api package streams it), so a cell is
//     written only when the record's public export contains it;
//   - capped at settings_prm.export_row_cap rows (header
//     X-Export-Capped: true when the cap cut the export);
//   - with spreadsheet formulas neutralised (NeutraliseCell);
//   - audited before the first row is sent (one `export` entry: who,
//     resource, filter, sort, rows, capped, grant used), in the same
//     transaction that uses up an export grant.
//
// The list API gets a per-page cap for partner roles (access.PageCapFor)
// so that listing is not a bulk export.

// Audit actions of exports.
const (
	ActionExport       = "export"
	ActionExportDenied = "export.denied"
)

// ActionExportReports records the download of a report as CSV.
const ActionExportReports = "export.reports"

// NeutraliseCell defuses spreadsheet formulas: a cell starting with = + - @
// tab or carriage return gets a leading apostrophe, so spreadsheet software
// shows it as text instead of evaluating it.
func NeutraliseCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ExportRight tells whether auth may export resource now, and through which
// grant (nil: by the matrix or as a superuser).
func ExportRight(app core.App, auth *core.Record, resource string, now time.Time) (bool, *core.Record, error) {
	if auth == nil {
		return false, nil, nil
	}
	if auth.IsSuperuser() {
		return true, nil, nil
	}
	if auth.Collection().Name != "users" || access.AccountBlock(app, auth, now) != "" {
		return false, nil, nil
	}
	cell, ok, err := access.RoleCell(app, auth.GetString("role"), resource)
	if err != nil {
		return false, nil, err
	}
	if ok && cell.Export && cell.Read != policy.None {
		return true, nil, nil
	}
	g, err := usableExportGrant(app, auth.Id, resource, now)
	if err != nil || g == nil {
		return false, nil, err
	}
	return true, g, nil
}

// exportableResource reports whether name is a matrix resource backed by
// a collection.
func exportableResource(app core.App, name string) bool {
	if !policy.IsResource(name) {
		return false
	}
	_, err := app.FindCachedCollectionByNameOrId(name)
	return err == nil
}

// usableExportGrant returns a running, unused export grant of user on
// resource (nil when there is none).
func usableExportGrant(app core.App, userID, resource string, now time.Time) (*core.Record, error) {
	g, err := app.FindFirstRecordByFilter("grants",
		"user = {:u} && kind = 'export' && resource = {:r} && (starts = '' || starts <= {:now}) && expires > {:now} && used_at = ''",
		dbx.Params{"u": userID, "r": resource, "now": now.UTC().Format(types.DefaultDateLayout)})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return g, err
}

// useExportGrant marks an export grant used, refusing a grant that is no
// longer usable (used by a concurrent export, or expired meanwhile).
func useExportGrant(tx core.App, id string, now time.Time) error {
	res, err := tx.DB().NewQuery("UPDATE grants SET used_at = {:now}, updated = {:now} WHERE id = {:id} AND used_at = '' AND expires > {:now}").
		Bind(dbx.Params{"id": id, "now": now.UTC().Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.KindConflict, "grant_used", "", "this export grant has already been used")
	}
	return nil
}

// ExportDenied refuses an export; the refusal has been audited
// (export.denied).
type ExportDenied struct{ Resource string }

// Error implements error.
func (d *ExportDenied) Error() string { return "the export of " + d.Resource + " is not allowed" }

// ErrInvalidQuery refuses an export whose filter or sort cannot run.
var ErrInvalidQuery = errors.New("invalid filter or sort")

// Exportable reports whether resource can be exported at all (a matrix
// resource backed by a collection).
func Exportable(app core.App, resource string) bool { return exportableResource(app, resource) }

// AllowExport tells whether auth may export resource now (ExportRight) and
// returns the export grant it would use (nil: by the matrix or as a
// superuser); a refusal is recorded (export.denied, with the masked query)
// and returned as *ExportDenied.
func AllowExport(app core.App, auth *core.Record, actor audit.Actor, resource, filter, sort string, now time.Time) (*core.Record, error) {
	ok, grant, err := ExportRight(app, auth, resource, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, denyExport(app, actor, resource, filter, sort)
	}
	return grant, nil
}

// denyExport records a refused export and returns the refusal.
func denyExport(app core.App, actor audit.Actor, resource, filter, sort string) error {
	if err := audit.Append(app, actor, ActionExportDenied, resource, "", audit.ClientQuery(filter, sort)); err != nil {
		return err
	}
	return &ExportDenied{Resource: resource}
}

// Export is an export that may start: what it lists, the order of its
// pages (the client's sort with the id as tie-breaker, so that pages never
// overlap) and how many rows it sends (capped at export_row_cap).
type Export struct {
	Resource, Filter, Order string
	Rows                    int
	Capped                  bool
}

// StartExport counts what an allowed export lists (through the rules:
// access.ListFor), caps it at settings_prm.export_row_cap, and records the
// export — using up the grant, if any, in the same transaction — before
// the first row is sent. A collection closed to auth is *ExportDenied
// (audited), a filter or sort that cannot run ErrInvalidQuery.
func StartExport(app core.App, auth *core.Record, actor audit.Actor, resource, filter, sort string, grant *core.Record, now time.Time) (Export, error) {
	x := Export{Resource: resource, Filter: filter, Order: "id"}
	if sort != "" {
		x.Order = sort + ",id"
	}
	_, first, err := access.ListFor(app, auth, resource, access.ListQuery{Filter: filter, Sort: x.Order, PerPage: 1, Count: true})
	if errors.Is(err, domain.ErrForbidden) {
		return x, denyExport(app, actor, resource, filter, sort)
	}
	if err != nil {
		return x, ErrInvalidQuery
	}
	settings, err := access.LoadSettings(app)
	if err != nil {
		return x, err
	}
	rowCap := settings.ExportRowCap
	x.Rows = min(first.TotalItems, rowCap)
	x.Capped = first.TotalItems > rowCap
	changes := audit.ClientQuery(filter, sort)
	changes["rows"], changes["capped"] = x.Rows, x.Capped
	if grant != nil {
		changes["grant"] = grant.Id
	}
	err = app.RunInTransaction(func(tx core.App) error {
		if grant != nil {
			if err := useExportGrant(tx, grant.Id, now); err != nil {
				return err
			}
		}
		return audit.Append(tx, actor, ActionExport, resource, "", changes)
	})
	return x, err
}

// AllowReportExport tells whether auth may download a report (the matrix
// export flag of `reports`, or an export grant on it); a refusal is
// recorded (export.denied, naming the report) and returned as
// *ExportDenied.
func AllowReportExport(app core.App, auth *core.Record, actor audit.Actor, report string, now time.Time) error {
	ok, _, err := ExportRight(app, auth, "reports", now)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	// a refusal that cannot be recorded is an error, not a quiet 403
	if err := audit.Append(app, actor, ActionExportDenied, "reports", "", map[string]any{"report": report}); err != nil {
		return err
	}
	return &ExportDenied{Resource: "reports"}
}
