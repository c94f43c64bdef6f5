package notify

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// GroupArg is the message arg that keys a grouped notification: one
// unread notification per user, kind and group (a territory, say).
const GroupArg = "group"

// SendGrouped keeps one unread notification of kind per user and group
// (about no lead): while the user has not read the last one, it is
// rewritten with next(&previous message) — its text in the user's
// language, and its created time moved to now so that it comes first in
// the list again; once it is read, the next call creates a new one with
// next(nil). Only a creation sends the e-mail of a mailed kind (bindMail
// runs after a create, not after this update). created tells which.
func SendGrouped(tx core.App, userID, kind, group string, next func(prev *Message) Message) (created bool, err error) {
	n := &core.Record{}
	err = tx.RecordQuery("notifications").
		// the literal terms of the partial index idx_notifications_grouped
		AndWhere(dbx.HashExp{"user": userID, "kind": kind}).AndWhere(dbx.NewExp("read = 0 AND lead = ''")).
		AndWhere(dbx.NewExp("json_extract(message, '$.args."+GroupArg+".v') = {:group}", dbx.Params{"group": group})).
		OrderBy("created DESC").Limit(1).One(n)
	if errors.Is(err, sql.ErrNoRows) {
		m := next(nil)
		m.Args[GroupArg] = Arg{V: group}
		return true, Send(tx, userID, kind, "", m)
	}
	if err != nil {
		return false, err
	}
	prev, _ := decodeMessage(n.GetString("message"))
	if prev.Args == nil {
		prev.Args = map[string]Arg{}
	}
	m := next(&prev)
	m.Args[GroupArg] = Arg{V: group}
	var locale string
	if err := tx.DB().NewQuery("SELECT locale FROM users WHERE id = {:id}").Bind(dbx.Params{"id": userID}).Row(&locale); err != nil {
		return false, err
	}
	title, body, err := Render(locale, m)
	if err != nil {
		return false, err
	}
	raw, err := m.encode()
	if err != nil {
		return false, err
	}
	n.Set("title", title)
	n.Set("body", body)
	n.Set("message", raw)
	n.SetRaw("created", types.NowDateTime())
	// the fields written here are the server's own texts: no relation
	// changes to validate; the record hooks (realtime) still run
	return false, tx.SaveNoValidate(n)
}
