package hooks

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/domain"
)

// The Go write path used by the UI: the same rules as the REST API (the
// collection's UpdateRule / CreateRule evaluated with the request body),
// the same relation check (relations.go), the same lifecycle checks and the
// same audit entry.

// loadBody sets the client-writable fields of body on rec: unknown and
// Hidden fields are ignored, like the REST API does for non-superusers.
func loadBody(rec *core.Record, body map[string]any) {
	for k, v := range body {
		f := rec.Collection().Fields.GetByName(k)
		if f == nil || f.GetHidden() || k == "id" || f.Type() == core.FieldTypeAutodate {
			continue
		}
		rec.Set(k, v)
	}
}

// UpdateFor updates a record for a user as PATCH /api/collections/... would.
func UpdateFor(app core.App, by By, collection, id string, body map[string]any) (*core.Record, error) {
	rec, err := ViewFor(app, by.User, collection, id)
	if err != nil {
		return nil, err
	}
	ok, err := CanDo(app, by.User, rec, "update", body)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Forbidden("not_allowed", "you may not change this record this way")
	}
	loadBody(rec, body)
	if err := checkRelations(app, by.User, rec); err != nil {
		return nil, err
	}
	pendingWin := false
	switch collection {
	case "leads":
		if err := checkLeadUpdate(app, by.User, rec); err != nil {
			return nil, err
		}
	case "opportunities":
		outcome, err := applyStage(app, by.User, rec)
		if err != nil {
			return nil, err
		}
		pendingWin = outcome == deals.Pending
	}
	changes := audit.Diff(rec)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return err
		}
		if pendingWin {
			if err := notifyWinToValidate(tx, rec, by.User); err != nil {
				return err
			}
		}
		return audit.Append(tx, by.Actor, audit.Action(collection, "update", changes), collection, rec.Id, changes)
	})
	if err != nil {
		return nil, err
	}
	if collection == "leads" {
		afterLeadSaved(app, rec)
	}
	return rec, nil
}

// CreateFor creates a record for a user as POST /api/collections/... would:
// the CreateRule is checked on the submitted data before any hook runs.
func CreateFor(app core.App, by By, collection string, body map[string]any) (*core.Record, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	if by.User == nil || !by.User.IsSuperuser() {
		if coll.CreateRule == nil {
			return nil, domain.ErrForbidden
		}
	}
	rec := core.NewRecord(coll)
	loadBody(rec, body)
	if by.User == nil || !by.User.IsSuperuser() {
		ok, err := checkCreateRule(app, by.User, coll, rec, body)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, domain.Forbidden("not_allowed", "you may not create this record")
		}
	}
	if err := checkRelations(app, by.User, rec); err != nil {
		return nil, err
	}
	switch collection {
	case "leads":
		if err := prepareLeadCreate(app, by.User, rec); err != nil {
			return nil, err
		}
	case "activities":
		prepareActivity(by.User, rec)
	case "opportunities":
		if err := prepareOpportunityCreate(app, by.User, rec); err != nil {
			return nil, err
		}
	}
	changes := audit.Diff(rec)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, collection+".create", collection, rec.Id, changes)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// checkCreateRule evaluates a CreateRule on a not-yet-saved record the way
// PocketBase's create handler does: the record's values are exposed as a
// one-row CTE named like the collection.
func checkCreateRule(app core.App, user *core.Record, coll *core.Collection, rec *core.Record, body map[string]any) (bool, error) {
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
	info := requestInfoFor(user, http.MethodPost)
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
