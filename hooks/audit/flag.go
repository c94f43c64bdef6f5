package audit

import "github.com/pocketbase/pocketbase/core"

// SetFlag sets the bool field of a record (collection, id) to on and
// appends the entry of action (the field and its new value) in the same
// transaction; a flag already at on changes and records nothing.
func SetFlag(app core.App, a Actor, action, collection, id, field string, on bool) error {
	return app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById(collection, id)
		if err != nil {
			return err
		}
		if r.GetBool(field) == on {
			return nil
		}
		r.Set(field, on)
		if err := tx.Save(r); err != nil {
			return err
		}
		return Append(tx, a, action, collection, r.Id, map[string]any{field: on})
	})
}
