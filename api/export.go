package api

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
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/filterguard"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/roles"
)

// exportPage is the number of records read per ListFor page.
const exportPage = access.MaxPerPage

// csvCell renders a record value. Numbers and booleans are written as is
// (a number cannot carry a formula); every text is neutralised.
func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return governance.NeutraliseCell(x)
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
		return governance.NeutraliseCell(strings.Join(x, ";"))
	case types.JSONRaw:
		return governance.NeutraliseCell(string(x))
	case fmt.Stringer:
		return governance.NeutraliseCell(x.String())
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return governance.NeutraliseCell(string(b))
}

// exportRecords serves GET /api/prm/export/{resource}: the right to
// export (governance.AllowExport), the filter guard, the count, cap and
// audit (governance.StartExport), then the rows as CSV.
func exportRecords(e *core.RequestEvent) error {
	if e.Auth == nil {
		return e.UnauthorizedError("", nil)
	}
	resource := e.Request.PathValue("resource")
	if !governance.Exportable(e.App, resource) {
		return e.NotFoundError("", nil)
	}
	now := time.Now()
	q := e.Request.URL.Query()
	filter, sortBy := q.Get("filter"), q.Get("sort")
	actor := audit.ActorOf(e)
	grant, err := governance.AllowExport(e.App, e.Auth, actor, resource, filter, sortBy, now)
	if err != nil {
		return exportError(e, err)
	}
	var denied *filterguard.Denied
	if err := access.CheckClientQuery(e.App, e.Auth, resource, filter, sortBy); errors.As(err, &denied) {
		return filterDenied(e.App, actor, "export", resource, filter, sortBy, denied)
	} else if err != nil {
		return APIError(e, err)
	}
	x, err := governance.StartExport(e.App, e.Auth, actor, resource, filter, sortBy, grant, now)
	if err != nil {
		return exportError(e, err)
	}
	return WriteExport(e, x, now)
}

// WriteExport sends an export that governance.StartExport allowed and
// recorded: the CSV headers, then the rows (the REST route and the web
// UI's export button share it).
func WriteExport(e *core.RequestEvent, x governance.Export, now time.Time) error {
	h := e.Response.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, x.Resource, now.UTC().Format("20060102-150405")))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Export-Rows", strconv.Itoa(x.Rows))
	h.Set("X-Export-Capped", strconv.FormatBool(x.Capped))
	e.Response.WriteHeader(http.StatusOK)
	return streamExport(e, x.Resource, x.Filter, x.Order, x.Rows)
}

// exportError answers a refused export: 403 naming the resource, 400 for
// a filter or sort that cannot run, else as any domain error.
func exportError(e *core.RequestEvent, err error) error {
	var denied *governance.ExportDenied
	switch {
	case errors.As(err, &denied):
		return e.ForbiddenError("Your role may not export "+denied.Resource+".", nil)
	case errors.Is(err, governance.ErrInvalidQuery):
		return e.BadRequestError("Invalid filter or sort.", nil)
	}
	return APIError(e, err)
}

// streamExport writes the header and up to limit rows, page by page
// (access.ListFor: the rules, the filter guard), each page enriched like an
// API answer so that a cell is written only when the caller may see it.
func streamExport(e *core.RequestEvent, resource, filter, order string, limit int) error {
	coll, err := e.App.FindCachedCollectionByNameOrId(resource)
	if err != nil {
		return err
	}
	out := &csvExport{w: csv.NewWriter(e.Response), coll: coll}
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
		for _, r := range recs[:min(len(recs), limit-written)] {
			if err := out.row(r.PublicExport()); err != nil {
				return err
			}
			written++
		}
		out.w.Flush()
		if err := out.w.Error(); err != nil {
			return err
		}
		if len(recs) < exportPage {
			break
		}
	}
	if out.columns == nil {
		if err := out.header(nil); err != nil {
			return err
		}
	}
	out.w.Flush()
	return out.w.Error()
}

// csvExport writes the rows of an export: the columns are the fields of
// the first row the caller may see (without a row, the collection's fields
// that are not Hidden), never a password or a token key.
type csvExport struct {
	w       *csv.Writer
	coll    *core.Collection
	columns []string
}

// header picks and writes the columns from sample (nil: no row).
func (x *csvExport) header(sample map[string]any) error {
	for _, f := range x.coll.Fields {
		name := f.GetName()
		if f.Type() == core.FieldTypePassword || name == core.FieldNameTokenKey {
			continue
		}
		if sample == nil {
			if !f.GetHidden() {
				x.columns = append(x.columns, name)
			}
		} else if _, ok := sample[name]; ok {
			x.columns = append(x.columns, name)
		}
	}
	return x.w.Write(x.columns)
}

// row writes one record's public data (the header first, for the first
// row).
func (x *csvExport) row(data map[string]any) error {
	if x.columns == nil {
		if err := x.header(data); err != nil {
			return err
		}
	}
	line := make([]string, len(x.columns))
	for i, c := range x.columns {
		if v, ok := data[c]; ok {
			line[i] = csvCell(v)
		}
	}
	return x.w.Write(line)
}

// PageCapMiddlewareID identifies the middleware that caps list pages for
// partner roles.
const PageCapMiddlewareID = "relaisPartnerPageCap"

// capListPage caps `perPage` of the collection list API for partner-kind
// roles (SPEC §3.3.7, access.PageCapFor): a partner pages through its
// records, it does not download them in one request.
func capListPage(e *core.RequestEvent) error {
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
