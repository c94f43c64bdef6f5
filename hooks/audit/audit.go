// Package audit owns the hash-chained audit log (SPEC §5): who acts
// (Actor), appending an entry in the transaction of the action it records
// (Append), the field diff an entry may hold (Diff: never contact details,
// free text about people or secrets), the verification of the chain
// (Verify), and what the login, logout, settings and filter entries keep.
// The log is append-only; nothing in Relais updates or deletes an entry.
package audit

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/auditchain"
	"github.com/relais/relais/hooks/stmtcache"
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

// ErrAppendOnly is returned for any attempt to change or remove an
// audit entry.
var ErrAppendOnly = errors.New("the audit log is append-only")

// Append appends one hash-chained entry. Pass the transaction app of the
// action it records so that there is no action without its entry; outside a
// transaction it opens one (the chain head must be read and extended
// atomically).
func Append(app core.App, a Actor, action, resource, record string, changes any) error {
	if !app.IsTransactional() {
		return app.RunInTransaction(func(tx core.App) error {
			return Append(tx, a, action, resource, record, changes)
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
	err := stmtcache.Query(app.DB(), "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").One(&head)
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
