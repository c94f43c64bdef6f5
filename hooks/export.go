package hooks

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/filterguard"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// Exports (SPEC §3.3.7, §6): GET /api/prm/export/{resource} streams CSV
//
//   - only where the matrix grants `export` to the caller's role on that
//     resource, or where the caller holds a running, unused export grant
//     (which the export uses up), or for superusers; anyone else gets 403
//     and the refusal is audited (export.denied);
//   - through ListFor, page by page: the same List rule as the REST API,
//     the same `filter`/`sort` syntax (hidden fields refused);
//   - with the same field visibility as the API: each page goes through
//     apis.EnrichRecords, so the OnRecordEnrich hooks of visibility.go
//     decide which Hidden fields a role sees, and a cell is written only
//     when the record's public export contains it;
//   - capped at settings_prm.export_row_cap rows (header
//     X-Export-Capped: true when the cap cut the export);
//   - with spreadsheet formulas neutralised (NeutraliseCell);
//   - audited before the first row is sent (one `export` entry: who,
//     resource, filter, sort, rows, capped, grant used), in the same
//     transaction that uses up an export grant.
//
// The list API gets a per-page cap for partner roles (partnerPageCap) so
// that listing is not a bulk export.

// Audit actions of exports.
const (
	ActionExport       = "export"
	ActionExportDenied = "export.denied"
)

// exportPage is the number of records read per ListFor page.
const exportPage = access.MaxPerPage

// NeutraliseCell defuses spreadsheet formulas: a cell starting with = + - @
// tab or carriage return gets a leading apostrophe, so spreadsheet software
// shows it as text instead of evaluating it.
func NeutraliseCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvCell renders a record value. Numbers and booleans are written as is
// (a number cannot carry a formula); every text is neutralised.
func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return NeutraliseCell(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case types.DateTime:
		return x.String()
	case []string:
		return NeutraliseCell(strings.Join(x, ";"))
	case types.JSONRaw:
		return NeutraliseCell(string(x))
	case fmt.Stringer:
		return NeutraliseCell(x.String())
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return NeutraliseCell(string(b))
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

// exportHandler serves GET /api/prm/export/{resource}.
func exportHandler(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("", nil)
	}
	resource := e.Request.PathValue("resource")
	if !exportableResource(e.App, resource) {
		return e.NotFoundError("", nil)
	}
	now := time.Now()
	q := e.Request.URL.Query()
	filter, sortBy := q.Get("filter"), q.Get("sort")
	actor := audit.ActorOf(e)
	ok, grant, err := ExportRight(e.App, e.Auth, resource, now)
	if err != nil {
		return APIError(e, err)
	}
	deny := func() error {
		if err := audit.Append(e.App, actor, ActionExportDenied, resource, "", audit.ClientQuery(filter, sortBy)); err != nil {
			return APIError(e, err)
		}
		return e.ForbiddenError("Your role may not export "+resource+".", nil)
	}
	if !ok {
		return deny()
	}
	var denied *filterguard.Denied
	if err := access.CheckClientQuery(e.App, e.Auth, resource, filter, sortBy); errors.As(err, &denied) {
		return filterDenied(e.App, actor, "export", resource, filter, sortBy, denied)
	} else if err != nil {
		return APIError(e, err)
	}
	// the sort gets a tie-breaker so that pages never overlap
	order := "id"
	if sortBy != "" {
		order = sortBy + ",id"
	}
	_, first, err := access.ListFor(e.App, e.Auth, resource, access.ListQuery{Filter: filter, Sort: order, PerPage: 1, Count: true})
	if errors.Is(err, domain.ErrForbidden) {
		return deny()
	}
	if err != nil {
		return e.BadRequestError("Invalid filter or sort.", nil)
	}
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return APIError(e, err)
	}
	rowCap := settings.ExportRowCap
	rows := min(first.TotalItems, rowCap)
	capped := first.TotalItems > rowCap
	changes := audit.ClientQuery(filter, sortBy)
	changes["rows"], changes["capped"] = rows, capped
	if grant != nil {
		changes["grant"] = grant.Id
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if grant != nil {
			if err := useExportGrant(tx, grant.Id, now); err != nil {
				return err
			}
		}
		return audit.Append(tx, actor, ActionExport, resource, "", changes)
	})
	if err != nil {
		return APIError(e, err)
	}

	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, resource, now.UTC().Format("20060102-150405")))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Export-Rows", strconv.Itoa(rows))
	h.Set("X-Export-Capped", strconv.FormatBool(capped))
	e.Response.WriteHeader(http.StatusOK)
	return streamExport(e, resource, filter, order, rows)
}

// streamExport writes the header and up to limit rows, page by page.
func streamExport(e *core.RequestEvent, resource, filter, order string, limit int) error {
	coll, err := e.App.FindCachedCollectionByNameOrId(resource)
	if err != nil {
		return err
	}
	w := csv.NewWriter(e.Response)
	var columns []string
	writeHeader := func(sample map[string]any) error {
		for _, f := range coll.Fields {
			name := f.GetName()
			if f.Type() == core.FieldTypePassword || name == core.FieldNameTokenKey {
				continue
			}
			if sample == nil {
				if !f.GetHidden() {
					columns = append(columns, name)
				}
			} else if _, ok := sample[name]; ok {
				columns = append(columns, name)
			}
		}
		return w.Write(columns)
	}
	written := 0
	for page := 1; written < limit; page++ {
		recs, _, err := access.ListFor(e.App, e.Auth, resource, access.ListQuery{Filter: filter, Sort: order, Page: page, PerPage: exportPage})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		if err := apis.EnrichRecords(e, recs); err != nil {
			return err
		}
		for _, r := range recs {
			if written == limit {
				break
			}
			data := r.PublicExport()
			if columns == nil {
				if err := writeHeader(data); err != nil {
					return err
				}
			}
			line := make([]string, len(columns))
			for i, c := range columns {
				if v, ok := data[c]; ok {
					line[i] = csvCell(v)
				}
			}
			if err := w.Write(line); err != nil {
				return err
			}
			written++
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		if len(recs) < exportPage {
			break
		}
	}
	if columns == nil {
		if err := writeHeader(nil); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// PageCapMiddlewareID identifies the middleware that caps list pages for
// partner roles.
const PageCapMiddlewareID = "relaisPartnerPageCap"

// bindPageCap caps `perPage` of the collection list API for partner-kind
// roles (SPEC §3.3.7): a partner pages through its records, it does not
// download them in one request.
func (g *governance) bindPageCap(se *core.ServeEvent) {
	se.Router.Bind(&hook.Handler[*core.RequestEvent]{
		Id:       PageCapMiddlewareID,
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 3,
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil || e.Request.Method != http.MethodGet || !isRecordsList(e.Request.URL.Path) {
				return e.Next()
			}
			partner, err := access.HasKind(e.App, e.Auth, roles.Partner)
			if err != nil {
				return APIError(e, err) // no list without its cap
			}
			if !partner {
				return e.Next()
			}
			settings, err := access.LoadSettings(e.App)
			if err != nil {
				return APIError(e, err)
			}
			limit := settings.PartnerPageCap
			q := e.Request.URL.Query()
			n, err := strconv.Atoi(q.Get("perPage"))
			if !q.Has("perPage") || err != nil || n <= 0 {
				n = search.DefaultPerPage
			}
			if n > limit {
				q.Set("perPage", strconv.Itoa(limit))
				e.Request.URL.RawQuery = q.Encode()
			}
			return e.Next()
		},
	})
}

// isRecordsList matches /api/collections/{collection}/records.
func isRecordsList(path string) bool {
	rest, ok := strings.CutPrefix(path, "/api/collections/")
	if !ok {
		return false
	}
	coll, tail, ok := strings.Cut(rest, "/")
	if !ok || coll == "" {
		return false
	}
	tail = strings.TrimSuffix(tail, "/")
	return tail == "records"
}
