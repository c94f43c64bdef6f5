package hooks

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/auditchain"
)

// Actor identifies who performs an audited action.
type Actor struct {
	ID, Role, Partner, IP, RequestID string
}

// SystemActor is the actor of background jobs and commands.
func SystemActor(name string) Actor { return Actor{ID: "system:" + name, Role: "system"} }

// ActorOf returns the actor of a request (guests and superusers included).
func ActorOf(e *core.RequestEvent) Actor {
	a := Actor{IP: e.RealIP(), RequestID: e.Request.Header.Get("X-Request-Id")}
	if e.Auth != nil {
		a.ID = e.Auth.Id
		if e.Auth.IsSuperuser() {
			a.Role = "superuser"
		} else {
			a.Role = e.Auth.GetString("role")
			a.Partner = e.Auth.GetString("partner")
		}
	}
	return a
}

// ActorOfUser returns the actor for a user record acting outside a request.
func ActorOfUser(u *core.Record) Actor {
	return Actor{ID: u.Id, Role: u.GetString("role"), Partner: u.GetString("partner")}
}

// ErrAuditAppendOnly is returned for any attempt to change or remove an
// audit entry.
var ErrAuditAppendOnly = errors.New("the audit log is append-only")

// Audit appends one hash-chained entry. Pass the transaction app of the
// action it records so that there is no action without its entry; outside a
// transaction it opens one (the chain head must be read and extended
// atomically).
func Audit(app core.App, a Actor, action, resource, record string, changes any) error {
	if !app.IsTransactional() {
		return app.RunInTransaction(func(tx core.App) error {
			return Audit(tx, a, action, resource, record, changes)
		})
	}
	raw := json.RawMessage("{}")
	if changes != nil {
		b, err := json.Marshal(changes)
		if err != nil {
			return fmt.Errorf("audit: changes: %w", err)
		}
		raw = b
	}
	var head struct {
		Seq  int    `db:"seq"`
		Hash string `db:"hash"`
	}
	// Only an empty log starts at genesis: any other error reading the head
	// (a broken table, a corrupt row) aborts the write, or the entry would
	// fork the chain from genesis and the action would go on unrecorded in
	// the chain that verify walks.
	prev := auditchain.Genesis
	err := app.DB().NewQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").One(&head)
	switch {
	case err == nil:
		prev = head.Hash
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("audit: reading the chain head: %w", err)
	}
	c, err := app.FindCachedCollectionByNameOrId("audit_log")
	if err != nil {
		return err
	}
	rec := core.NewRecord(c)
	rec.Id = newAuditID()
	entry, err := auditchain.Seal(prev, auditchain.Entry{
		ID: rec.Id, At: time.Now(), Actor: a.ID, ActorRole: a.Role, ActorPartner: a.Partner,
		Action: action, Resource: resource, Record: record, Changes: raw, IP: a.IP, RequestID: a.RequestID,
	})
	if err != nil {
		return err
	}
	rec.Set("seq", head.Seq+1)
	rec.Set("at", entry.At)
	rec.Set("actor", entry.Actor)
	rec.Set("actor_role", entry.ActorRole)
	rec.Set("actor_partner", entry.ActorPartner)
	rec.Set("action", entry.Action)
	rec.Set("resource", entry.Resource)
	rec.Set("record", entry.Record)
	rec.Set("changes", raw)
	rec.Set("ip", entry.IP)
	rec.Set("request_id", entry.RequestID)
	rec.Set("prev_hash", entry.PrevHash)
	rec.Set("hash", entry.Hash)
	return app.Save(rec)
}

// EntryOf converts an audit_log record back into a chain entry.
func EntryOf(r *core.Record) auditchain.Entry {
	return auditchain.Entry{
		ID: r.Id, At: r.GetDateTime("at").Time(), Actor: r.GetString("actor"), ActorRole: r.GetString("actor_role"),
		ActorPartner: r.GetString("actor_partner"), Action: r.GetString("action"), Resource: r.GetString("resource"),
		Record: r.GetString("record"), Changes: json.RawMessage(r.GetString("changes")), IP: r.GetString("ip"),
		RequestID: r.GetString("request_id"), PrevHash: r.GetString("prev_hash"), Hash: r.GetString("hash"),
	}
}

func newAuditID() string { return core.GenerateDefaultRandomId() }

// sensitiveFields never enter an audit diff with their values: contact
// details (they can be erased under GDPR while the chain must still verify)
// and secrets.
//
// Free-text fields that may quote a person (call reports, interest,
// notes, ticket descriptions) are listed too: a GDPR erasure scrubs them
// from the records, and the append-only log must not keep a copy.
var sensitiveFields = map[string]map[string]bool{
	"lead_contacts": {"first_name": true, "last_name": true, "title": true, "email": true, "phone": true, "mobile": true},
	"contacts":      {"first_name": true, "last_name": true, "title": true, "email": true, "phone": true},
	"users":         {"password": true, "tokenKey": true, "email": true},
	"settings_prm":  {"web_form_keys": true},
	"leads":         {"dedup_key": true, "interest": true, "qualification_notes": true},
	"accounts":      {"dedup_key": true},
	"activities":    {"summary": true, "outcome": true},
	"tickets":       {"description": true},
	"notifications": {"title": true, "body": true},
}

// Diff returns the changed fields of a record as {field: {"from", "to"}};
// sensitive fields are listed without their values.
func Diff(r *core.Record) map[string]any {
	out := map[string]any{}
	orig := r.Original()
	sens := sensitiveFields[r.Collection().Name]
	for _, f := range r.Collection().Fields {
		name := f.GetName()
		if name == "created" || name == "updated" || f.Type() == core.FieldTypePassword {
			continue
		}
		from, to := orig.Get(name), r.Get(name)
		if !r.IsNew() && fmt.Sprint(from) == fmt.Sprint(to) {
			continue
		}
		if r.IsNew() && isZero(to) {
			continue
		}
		if sens[name] || mayNamePerson(r, name, from, to) {
			out[name] = "(changed)"
			continue
		}
		if r.IsNew() {
			out[name] = to
		} else {
			out[name] = map[string]any{"from": from, "to": to}
		}
	}
	return out
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case int:
		return x == 0
	case []string:
		return len(x) == 0
	}
	return fmt.Sprint(v) == "" || fmt.Sprint(v) == "[]"
}

// auditedCollections are the business collections whose API changes are
// audited field by field.
var auditedCollections = []string{
	"leads", "lead_contacts", "deal_terms", "accounts", "contacts", "opportunities", "activities", "documents",
	"campaigns", "tickets", "partners", "users", "roles", "permissions", "territories", "assignment_rules",
	"grants", "access_requests", "settings_prm",
}

// bindAudit protects the log and records API changes of business
// collections in the same transaction as the change.
func bindAudit(app core.App) {
	refuse := func(e *core.RecordEvent) error { return ErrAuditAppendOnly }
	app.OnRecordUpdate("audit_log").BindFunc(refuse)
	app.OnRecordDelete("audit_log").BindFunc(refuse)
	refuseReq := func(e *core.RecordRequestEvent) error { return e.ForbiddenError(ErrAuditAppendOnly.Error(), nil) }
	app.OnRecordCreateRequest("audit_log").BindFunc(refuseReq)
	app.OnRecordUpdateRequest("audit_log").BindFunc(refuseReq)
	app.OnRecordDeleteRequest("audit_log").BindFunc(refuseReq)

	wrap := func(verb string) func(e *core.RecordRequestEvent) error {
		return func(e *core.RecordRequestEvent) error {
			// the event goes back to PocketBase after the commit: restore
			// its app (see bindRollups)
			orig := e.App
			defer func() { e.App = orig }()
			return e.App.RunInTransaction(func(tx core.App) error {
				e.App = tx
				var changes map[string]any
				if verb != "delete" {
					changes = Diff(e.Record)
				}
				if err := e.Next(); err != nil {
					return err
				}
				return Audit(tx, ActorOf(e.RequestEvent), auditAction(e.Collection.Name, verb, changes), e.Collection.Name, e.Record.Id, changes)
			})
		}
	}
	for _, c := range auditedCollections {
		app.OnRecordCreateRequest(c).BindFunc(wrap("create"))
		app.OnRecordUpdateRequest(c).BindFunc(wrap("update"))
		app.OnRecordDeleteRequest(c).BindFunc(wrap("delete"))
	}
}

// auditAction names the audit entry of an API change. A change of a user's
// `active` flag is named users.activate / users.deactivate (the same names
// the Go paths use) so that (de)activations stand out in the log; the
// entry still carries the whole diff.
func auditAction(collection, verb string, changes map[string]any) string {
	if collection == "users" && verb == "update" {
		if c, ok := changes["active"].(map[string]any); ok {
			if to, _ := c["to"].(bool); to {
				return "users.activate"
			}
			return "users.deactivate"
		}
	}
	return collection + "." + verb
}
