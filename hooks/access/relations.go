package access

import (
	"errors"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// Relation targets. A collection's CreateRule and
// UpdateRule decide on the record being written, not on what its relation
// fields point to: an activity on the partner's own lead passed the rule
// with `opportunity` set to a competitor's opportunity, which that
// competitor then listed. So every relation id a user adds on a create or
// an update must name a record the user may view (the target collection's
// ViewRule, through ViewFor), and for partner roles one of its own company
// (SPEC §3.3.1, whatever the rules in force say). One generic check for
// every collection and relation field, run by the REST API (request hooks
// below) and by the Go write path (CreateFor, UpdateFor).
//
// Only the ids a request adds are checked (new value against the stored
// one): an update that keeps a relation the user cannot see (an activity's
// author, say) is not refused for it. Relais' own server-side writes
// (derived territory, author, decision fields, …) are made by hooks that
// run after this check or outside the request hooks, and are not subject
// to it. Superusers are exempt.

// CodeUnknownRelation is the error code of a refused relation id. The
// answer is the same whether the id does not exist or names a record the
// user may not use, so that it tells nothing about other companies' data.
const CodeUnknownRelation = "unknown_relation"

// CheckRelations refuses a write by user that adds, to any relation field
// of rec, the id of a record the user may not link (see MayLink). rec holds
// the values to save; rec.Original() the stored ones (empty for a new
// record).
func CheckRelations(app core.App, user *core.Record, rec *core.Record) error {
	if user != nil && user.IsSuperuser() {
		return nil
	}
	orig := rec.Original()
	for _, f := range rec.Collection().Fields {
		rf, ok := f.(*core.RelationField)
		if !ok {
			continue
		}
		before := orig.GetStringSlice(rf.Name)
		for _, id := range rec.GetStringSlice(rf.Name) {
			if slices.Contains(before, id) {
				continue
			}
			ok, err := MayLink(app, user, rf.CollectionId, id)
			if err != nil {
				return err
			}
			if !ok {
				return UnknownRelation(rf.Name)
			}
		}
	}
	return nil
}

// UnknownRelation is the refusal of a relation id, naming the field.
func UnknownRelation(field string) *domain.Error {
	return domain.Invalid(CodeUnknownRelation, field, field+": no record you may link has this id")
}

// MayLink reports whether user may point a relation at the record id of
// the collection: a record the user may view (its ViewRule), and for a
// partner role one of its own company (a partner, or a record whose
// `partner` is the user's). Every user may name itself.
func MayLink(app core.App, user *core.Record, collectionID, id string) (bool, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collectionID)
	if err != nil {
		return false, err
	}
	if user != nil && coll.Id == user.Collection().Id && id == user.Id {
		return true, nil
	}
	target, err := ViewFor(app, user, coll.Name, id)
	if errors.Is(err, domain.ErrNotVisible) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	kind, err := RoleKindOf(app, user)
	if err != nil {
		return false, err
	}
	if kind != roles.Partner {
		return true, nil
	}
	own := user.GetString("partner")
	if own == "" {
		return false, nil
	}
	if coll.Name == "partners" {
		return target.Id == own, nil
	}
	if pf, ok := coll.Fields.GetByName("partner").(*core.RelationField); ok && pf.CollectionId == partnersCollectionID(app) {
		return target.GetString("partner") == own, nil
	}
	return true, nil
}

// partnersCollectionID returns the id of the partners collection ("" when
// it is missing, which no relation field then matches).
func partnersCollectionID(app core.App) string {
	c, err := app.FindCachedCollectionByNameOrId("partners")
	if err != nil {
		return ""
	}
	return c.Id
}
