package access

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/security"
)

// The rule checks of the Go write path (writepath.UpdateFor, CreateFor,
// and the domain operations that create records for a user): the same as
// the REST API's.

// LoadBody sets the client-writable fields of body on rec: unknown and
// Hidden fields are ignored, like the REST API does for non-superusers.
func LoadBody(rec *core.Record, body map[string]any) {
	for k, v := range body {
		f := rec.Collection().Fields.GetByName(k)
		if f == nil || f.GetHidden() || k == "id" || f.Type() == core.FieldTypeAutodate {
			continue
		}
		rec.Set(k, v)
	}
}

// CheckCreateRule evaluates a CreateRule on a not-yet-saved record the way
// PocketBase's create handler does: the record's values are exposed as a
// one-row CTE named like the collection.
func CheckCreateRule(app core.App, user *core.Record, coll *core.Collection, rec *core.Record, body map[string]any) (bool, error) {
	if *coll.CreateRule == "" {
		return true, nil
	}
	dummy := rec.Clone()
	suffix := "__relais_create__" + security.PseudorandomString(6)
	if dummy.Id == "" {
		dummy.Id = "__temp_id__" + suffix
	}
	export, err := dummy.DBExport(app)
	if err != nil {
		return false, err
	}
	params := dbx.Params{}
	selects := make([]string, 0, len(export))
	for k, v := range export {
		p := "__relais_create__" + k
		params[p] = v
		selects = append(selects, "{:"+p+"} AS [["+k+"]]")
	}
	dc := *coll
	dc.Id += suffix
	dc.Name += strings.ReplaceAll(suffix, "_", "")
	with := fmt.Sprintf("WITH {{%s}} as (SELECT %s)", dc.Name, strings.Join(selects, ","))
	q := app.ConcurrentDB().Select("(1)").PreFragment(with).From(dc.Name).AndBind(params)
	info := requestInfoFor(user, methodPost)
	info.Body = body
	resolver := core.NewRecordFieldResolver(app, &dc, info, true)
	expr, err := search.FilterData(*dc.CreateRule).BuildExpr(resolver)
	if err != nil {
		return false, err
	}
	q.AndWhere(expr)
	if err := resolver.UpdateQuery(q); err != nil {
		return false, err
	}
	var exists int
	if err := q.Limit(1).Row(&exists); err != nil {
		return false, nil
	}
	return exists > 0, nil
}
