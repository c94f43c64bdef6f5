package intake

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/lifecycle"
)

// The duplicate keys (SPEC §4.2) of leads, accounts and deal
// registrations live in dedup_keys, a superusers-only collection: one row
// per normalised key (dedup.Keys) with the kind and id of its record.

// Conflict is a record that a new lead or registration collides with.
type Conflict struct {
	Kind, Record, Partner string
}

// findConflict returns the first record sharing a key that holds its
// customer (SPEC §4.2): a lead in a conflicting status (any status but the
// released ones, lost and recycled: lifecycle.Conflicting), an account
// entrusted to a partner, or an approved registration still protected.
// exclude skips one record id.
func findConflict(app core.App, keys []string, exclude string) (*Conflict, error) {
	all, err := conflicts(app, keys, exclude, true)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[0], nil
}

// conflicts returns the records sharing a key that hold their customer
// (see findConflict), oldest key first; only the first when first is set.
func conflicts(app core.App, keys []string, exclude string, first bool) ([]Conflict, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = k
	}
	rows := []struct {
		Kind    string `db:"kind"`
		Record  string `db:"record"`
		Partner string `db:"partner"`
	}{}
	err := app.DB().Select("kind", "record", "partner").From("dedup_keys").
		Where(dbx.In("key", vals...)).AndWhere(dbx.NewExp("record != {:x}", dbx.Params{"x": exclude})).
		OrderBy("created ASC").All(&rows)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Format(types.DefaultDateLayout)
	var out []Conflict
	for _, r := range rows {
		var ok int
		var q string
		switch r.Kind {
		case "lead":
			q = "SELECT COUNT(*) FROM leads WHERE id = {:id} AND status NOT IN (" + lifecycle.SQLList(lifecycle.ReleasedStatuses()) + ")"
		case "account":
			q = "SELECT COUNT(*) FROM accounts WHERE id = {:id} AND partner != ''"
		case "registration":
			q = "SELECT COUNT(*) FROM opportunities WHERE id = {:id} AND registration_status = 'approved' AND protected_until > {:now}"
		default:
			continue
		}
		if err := app.DB().NewQuery(q).Bind(dbx.Params{"id": r.Record, "now": now}).Row(&ok); err != nil {
			return nil, err
		}
		if ok > 0 {
			c := Conflict{Kind: r.Kind, Record: r.Record, Partner: r.Partner}
			if r.Kind == "lead" && c.Partner == "" {
				if err := app.DB().NewQuery("SELECT partner FROM leads WHERE id = {:id}").Bind(dbx.Params{"id": r.Record}).Row(&c.Partner); err != nil {
					return nil, err
				}
			}
			out = append(out, c)
			if first {
				return out, nil
			}
		}
	}
	return out, nil
}

// FindConflicts is the duplicate check of leads (findConflict) for the
// other records that hold a customer: every record sharing one of keys
// that holds its customer, exclude skipped, oldest first.
func FindConflicts(app core.App, keys []string, exclude string) ([]Conflict, error) {
	return conflicts(app, keys, exclude, false)
}

// SaveKeys records the duplicate keys of a record. The keys of a record
// without partner (every ingested lead) go in as one multi-row INSERT (one
// PocketBase Save per key cost more than the lead itself);
// dedup_keys is a superusers-only table without hooks, so nothing is lost
// but the per-record events (realtime messages to a superuser subscribed to
// it). Rows that the collection's validation could refuse (an over-long
// key), and keys with a partner (the relation is checked), still go through
// Save, which reports the same error as before.
func SaveKeys(app core.App, kind, record, partner string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	c, err := app.FindCachedCollectionByNameOrId("dedup_keys")
	if err != nil {
		return err
	}
	if partner == "" && keysInsertable(c, kind, record, keys) {
		return insertKeys(app, kind, record, keys)
	}
	for _, k := range keys {
		r := core.NewRecord(c)
		r.Set("key", k)
		r.Set("kind", kind)
		r.Set("record", record)
		r.Set("partner", partner)
		if err := app.Save(r); err != nil {
			return err
		}
	}
	return nil
}

// keysInsertable reports whether the rows pass the validation of the
// dedup_keys fields (required, max length, select values) so that they can
// be inserted without Save.
func keysInsertable(c *core.Collection, kind, record string, keys []string) bool {
	keyF, ok1 := c.Fields.GetByName("key").(*core.TextField)
	kindF, ok2 := c.Fields.GetByName("kind").(*core.SelectField)
	recF, ok3 := c.Fields.GetByName("record").(*core.TextField)
	if !ok1 || !ok2 || !ok3 || !slices.Contains(kindF.Values, kind) || !textOK(recF, record) {
		return false
	}
	for _, k := range keys {
		if !textOK(keyF, k) {
			return false
		}
	}
	return true
}

// textOK checks a value with the text field's own validation (required,
// min, max, pattern) without building a record.
func textOK(f *core.TextField, v string) bool { return f.ValidatePlainValue(v) == nil }

// insertKeys writes the keys of a record without partner in one statement,
// in the format Save would write (15-character random id, autodate
// timestamps).
func insertKeys(app core.App, kind, record string, keys []string) error {
	now := types.NowDateTime().String()
	var sql strings.Builder
	sql.WriteString("INSERT INTO {{dedup_keys}} ([[id]], [[key]], [[kind]], [[record]], [[partner]], [[created]], [[updated]]) VALUES ")
	params := dbx.Params{"kind": kind, "record": record, "now": now}
	for i, k := range keys {
		if i > 0 {
			sql.WriteString(", ")
		}
		n := strconv.Itoa(i)
		fmt.Fprintf(&sql, "({:id%s}, {:k%s}, {:kind}, {:record}, '', {:now}, {:now})", n, n)
		params["id"+n] = core.GenerateDefaultRandomId()
		params["k"+n] = k
	}
	_, err := app.DB().NewQuery(sql.String()).Bind(params).Execute()
	return err
}

// DeleteKeys removes the duplicate keys of a record.
func DeleteKeys(app core.App, kind, record string) error {
	_, err := app.DB().NewQuery("DELETE FROM dedup_keys WHERE kind = {:k} AND record = {:r}").
		Bind(dbx.Params{"k": kind, "r": record}).Execute()
	return err
}
