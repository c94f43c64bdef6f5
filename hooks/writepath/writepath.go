// Package writepath is the Go write path for users (SPEC §3.3.6): the UI
// changes and creates records with UpdateFor and CreateFor, which apply
// the same rules as the REST API (the collection's UpdateRule or
// CreateRule evaluated with the request body, access.CanDo and
// access.CheckCreateRule), the same relation check
// (access.CheckRelations), the same value checks (fieldcheck.Body; a
// refused value is a domain error naming the field), the same domain checks as the REST API's
// request hooks (the lead lifecycle, the opportunity stages, the derived
// fields) and the same audit entry. It sits above the domain packages
// whose checks it runs.
package writepath

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
	"github.com/relais/relais/hooks/intake"
)

// UpdateFor updates a record for a user as PATCH /api/collections/... would.
func UpdateFor(app core.App, by access.By, collection, id string, body map[string]any) (*core.Record, error) {
	rec, err := access.ViewFor(app, by.User, collection, id)
	if err != nil {
		return nil, err
	}
	ok, err := access.CanDo(app, by.User, rec, "update", body)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Forbidden("not_allowed", "you may not change this record this way")
	}
	if err := fieldcheck.Body(rec.Collection(), body); err != nil {
		return nil, fieldcheck.AsDomain(err)
	}
	access.LoadBody(rec, body)
	if err := access.CheckRelations(app, by.User, rec); err != nil {
		return nil, err
	}
	pendingWin := false
	var conflict *intake.Conflict
	switch collection {
	case "leads":
		if err := distribution.CheckLeadUpdate(app, by.User, rec); err != nil {
			return nil, err
		}
	case "accounts":
		if conflict, err = deals.CheckAccountConflict(app, by.User, rec); err != nil {
			return nil, err
		}
	case "opportunities":
		outcome, err := deals.ApplyStage(app, by.User, rec)
		if err != nil {
			return nil, err
		}
		pendingWin = outcome == deals.Pending
	}
	changes := audit.Diff(rec)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return fieldcheck.AsDomain(err)
		}
		if pendingWin {
			if err := deals.NotifyWinToValidate(tx, rec, by.User); err != nil {
				return err
			}
		}
		if err := deals.ReportAccountConflict(tx, by.User, rec, conflict); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, audit.Action(collection, "update", changes), collection, rec.Id, changes)
	})
	if err != nil {
		return nil, err
	}
	// a lead made ready is distributed after the commit of the outermost
	// transaction (distribution.LeadUpdated, bound to the model event)
	return rec, nil
}

// CreateFor creates a record for a user as POST /api/collections/... would:
// the CreateRule is checked on the submitted data before any hook runs.
func CreateFor(app core.App, by access.By, collection string, body map[string]any) (*core.Record, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	if by.User == nil || !by.User.IsSuperuser() {
		if coll.CreateRule == nil {
			return nil, domain.ErrForbidden
		}
	}
	if err := fieldcheck.Body(coll, body); err != nil {
		return nil, fieldcheck.AsDomain(err)
	}
	rec := core.NewRecord(coll)
	access.LoadBody(rec, body)
	if by.User == nil || !by.User.IsSuperuser() {
		ok, err := access.CheckCreateRule(app, by.User, coll, rec, body)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, domain.Forbidden("not_allowed", "you may not create this record")
		}
	}
	if err := access.CheckRelations(app, by.User, rec); err != nil {
		return nil, err
	}
	var conflict *intake.Conflict
	switch collection {
	case "leads":
		if err := intake.PrepareLead(app, by.User, rec); err != nil {
			return nil, err
		}
	case "accounts":
		if conflict, err = deals.PrepareAccount(app, by.User, rec); err != nil {
			return nil, err
		}
	case "activities":
		distribution.PrepareActivity(by.User, rec)
	case "opportunities":
		if err := deals.PrepareOpportunity(app, by.User, rec); err != nil {
			return nil, err
		}
	case "users":
		// the password is never sent through the write path: a new account
		// gets a random one and sets its own from its invitation
		rec.SetRandomPassword()
	}
	changes := audit.Diff(rec)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return fieldcheck.AsDomain(err)
		}
		if err := deals.ReportAccountConflict(tx, by.User, rec, conflict); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, collection+".create", collection, rec.Id, changes)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}
