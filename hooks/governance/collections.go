package governance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/policy"
)

// Audit actions of the collection API (superusers, `/_/`).
const (
	ActionCollectionCreate   = "collection.create"
	ActionCollectionUpdate   = "collection.update"
	ActionCollectionDelete   = "collection.delete"
	ActionCollectionTruncate = "collection.truncate"
	ActionCollectionsImport  = "collections.import"
	// ActionCollectionDenied records a refused change of a governed
	// collection (rules or schema).
	ActionCollectionDenied = "collection.denied"
)

// auditResourceCollections is the audit resource of collection changes.
const auditResourceCollections = "collections"

// internalCollections are Relais collections whose rules the policy does
// not compile (superusers only, set by a migration) but whose schema and
// rules Relais code relies on: dedup_keys holds normalised e-mails and
// phones read in raw SQL by intake and deal registration;
// distribution_waits the ready leads no partner can take; api_keys,
// integration_webhooks and webhook_events the integrations' keys,
// endpoints and outbox; mail_outbox the notification e-mails to send.
var internalCollections = []string{"dedup_keys", "distribution_waits", "api_keys", "integration_webhooks", "webhook_events", "mail_outbox"}

// GovernedCollections returns, sorted, the collections whose rules and
// schema only Relais changes: every collection the policy compiles rules
// for (policy.Collections: the matrix resources, the audit log, roles,
// permissions, …) and the internal ones. Through the API, superusers can
// neither change their rules (they come from the permission matrix) nor
// their schema (fields, indexes, name, type: migrations), nor delete or
// truncate them; migrations and Go code do not go through the API.
func GovernedCollections() []string {
	out := append(policy.Collections(), internalCollections...)
	sort.Strings(out)
	return slices.Compact(out)
}

// ruleKeys are the JSON names of the API rules of a collection (the five
// record rules, and the auth and manage rules of auth collections).
var ruleKeys = []string{"listRule", "viewRule", "createRule", "updateRule", "deleteRule", "authRule", "manageRule"}

// schemaKeys are the JSON names of what makes a collection's schema.
var schemaKeys = []string{"name", "type", "system", "fields", "indexes", "viewQuery"}

// collectionChanges returns, sorted, the top-level keys of the collection
// JSON that differ between before and after. The order of fields and of
// indexes does not count (it changes nothing in the database); the
// timestamps are ignored.
func collectionChanges(before, after *core.Collection) ([]string, error) {
	b, err := collectionDoc(before)
	if err != nil {
		return nil, err
	}
	a, err := collectionDoc(after)
	if err != nil {
		return nil, err
	}
	var out []string
	for k := range b {
		if _, ok := a[k]; !ok {
			a[k] = nil
		}
	}
	for k, v := range a {
		if k == "created" || k == "updated" {
			continue
		}
		if !bytes.Equal(v, b[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// collectionDoc is the collection as PocketBase serialises it, one raw
// value per top-level key, fields and indexes sorted.
func collectionDoc(c *core.Collection) (map[string]json.RawMessage, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	doc := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	for _, k := range []string{"fields", "indexes"} {
		var items []json.RawMessage
		if len(doc[k]) == 0 || bytes.Equal(doc[k], []byte("null")) {
			continue
		}
		if err := json.Unmarshal(doc[k], &items); err != nil {
			return nil, fmt.Errorf("collection %s: %s: %w", c.Name, k, err)
		}
		slices.SortFunc(items, func(x, y json.RawMessage) int { return bytes.Compare(x, y) })
		sorted, err := json.Marshal(items)
		if err != nil {
			return nil, err
		}
		doc[k] = sorted
	}
	return doc, nil
}

// fieldChanges names the fields added, removed and modified between two
// versions of a collection (matched by field id).
func fieldChanges(before, after *core.Collection) map[string][]string {
	out := map[string][]string{}
	for _, f := range before.Fields {
		g := after.Fields.GetById(f.GetId())
		if g == nil {
			out["removed"] = append(out["removed"], f.GetName())
			continue
		}
		fb, errB := json.Marshal(f)
		gb, errA := json.Marshal(g)
		if errB != nil || errA != nil || !bytes.Equal(fb, gb) {
			out["modified"] = append(out["modified"], f.GetName())
		}
	}
	for _, g := range after.Fields {
		if before.Fields.GetById(g.GetId()) == nil {
			out["added"] = append(out["added"], g.GetName())
		}
	}
	return out
}

// CollectionDenial is a refused change of a governed collection.
type CollectionDenial struct {
	op         string // create, update, delete, truncate
	collection string
	rules      []string // rule keys the change touched
	schema     []string // schema keys the change touched
	fields     map[string][]string
}

// Message is the answer of a refusal: where the change belongs.
func (d *CollectionDenial) Message() string {
	q := fmt.Sprintf("%q", d.collection)
	switch d.op {
	case "delete":
		return q + " is governed by Relais: it cannot be deleted through the API (its schema changes only through Relais migrations)."
	case "truncate":
		return q + " is governed by Relais: it cannot be truncated through the API (records are deleted through the record API, under their rules and audited)."
	case "create":
		return q + " is the name of a collection governed by Relais: only Relais migrations create it."
	}
	var parts []string
	if len(d.rules) > 0 {
		parts = append(parts, "The API rules of "+q+" come from the Relais permission matrix and cannot be edited here: "+
			"change the matrix (Relais admin UI → Permissions, or the permissions collection) and the rules are recompiled; "+
			"`relais policy check` shows drift and `relais policy apply` recompiles.")
	}
	if len(d.schema) > 0 {
		parts = append(parts, "The schema of "+q+" ("+strings.Join(d.schema, ", ")+") is governed by Relais: it changes only through Relais migrations.")
	}
	return strings.Join(parts, " ")
}

// Data is the field errors of the refusal, shown by `/_/` next to the
// rule or field that was changed.
func (d *CollectionDenial) Data() validation.Errors {
	out := validation.Errors{}
	for _, k := range d.rules {
		out[k] = validation.NewError("governed_rules", "Set by the Relais permission matrix.")
	}
	for _, k := range d.schema {
		out[k] = validation.NewError("governed_schema", "Governed by Relais migrations.")
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (d *CollectionDenial) audit(op string) map[string]any {
	out := map[string]any{"operation": op, "collection": d.collection}
	if d.op != op {
		out["change"] = d.op
	}
	if len(d.rules) > 0 {
		out["rules"] = d.rules
	}
	if len(d.schema) > 0 {
		out["schema"] = d.schema
	}
	if len(d.fields) > 0 {
		out["fields"] = d.fields
	}
	return out
}

// errGoverned aborts a model event refused by the guard; the request hook
// answers with the denial.
var errGoverned = errors.New("governed collection")

// collectionTx is the state of one collection API request, shared by the
// request hook and the model hooks that run inside its transaction.
type collectionTx struct {
	denial  *CollectionDenial
	created []string
	updated map[string][]string
	deleted []string
}

func (s *collectionTx) changes() map[string]any {
	out := map[string]any{}
	if len(s.created) > 0 {
		out["created"] = s.created
	}
	if len(s.updated) > 0 {
		out["updated"] = s.updated
	}
	if len(s.deleted) > 0 {
		out["deleted"] = s.deleted
	}
	return out
}

// CollectionGuard refuses, inside the transactions of collection API
// requests only, the changes of governed collections. The transactions are
// keyed by their database handle: a model event belongs to a request when
// it runs on that request's transaction. The api package runs each
// collection request through Run and binds OnCreate, OnUpdate and OnDelete
// to the collection model events.
type CollectionGuard struct {
	txs      sync.Map // dbx.Builder (the *dbx.Tx) → *collectionTx
	governed map[string]bool
}

// NewCollectionGuard returns the guard of GovernedCollections.
func NewCollectionGuard() *CollectionGuard {
	g := &CollectionGuard{governed: map[string]bool{}}
	for _, name := range GovernedCollections() {
		g.governed[name] = true
	}
	return g
}

// Governed reports whether Relais governs the collection name.
func (g *CollectionGuard) Governed(name string) bool { return g.governed[name] }

func (g *CollectionGuard) lookup(app core.App) *collectionTx {
	if !app.IsTransactional() {
		return nil
	}
	st, ok := g.txs.Load(app.NonconcurrentDB())
	if !ok {
		return nil
	}
	return st.(*collectionTx)
}

// Run executes next (the rest of a collection API request) in a
// transaction watched by the model hooks, then audits the changes it made
// (action, subject, extra) in that transaction. A refused change rolls
// everything back and is returned as the denial (the caller audits and
// answers it, DenyCollection); err is any other error.
func (g *CollectionGuard) Run(app core.App, actor audit.Actor, action, subject string, extra map[string]any, next func(tx core.App) error) (*CollectionDenial, error) {
	st := &collectionTx{updated: map[string][]string{}}
	err := app.RunInTransaction(func(tx core.App) error {
		key := tx.NonconcurrentDB()
		g.txs.Store(key, st)
		defer g.txs.Delete(key)
		if err := next(tx); err != nil {
			return err
		}
		if st.denial != nil { // refused, whatever the handler made of the error
			return errGoverned
		}
		changes := st.changes()
		for k, v := range extra {
			changes[k] = v
		}
		return audit.Append(tx, actor, action, auditResourceCollections, subject, changes)
	})
	return st.denial, err
}

// AuditDenial records a refused change of a governed collection
// (collection.denied; op is the operation asked: create, update, delete,
// truncate, import).
func AuditDenial(app core.App, actor audit.Actor, op string, d *CollectionDenial) error {
	if err := audit.Append(app, actor, ActionCollectionDenied, auditResourceCollections, d.collection, d.audit(op)); err != nil {
		return fmt.Errorf("audit: refused change of %s not recorded: %w", d.collection, err)
	}
	return nil
}

// AuditTruncate records the truncation of a collection (not governed: a
// governed one is refused) before it runs.
func AuditTruncate(tx core.App, actor audit.Actor, collection string) error {
	return audit.Append(tx, actor, ActionCollectionTruncate, auditResourceCollections, collection, nil)
}

// OnCreate refuses the creation of a governed collection inside a
// collection API request (bind it to OnCollectionCreate).
func (g *CollectionGuard) OnCreate(e *core.CollectionEvent) error {
	return g.createOrDelete(e, "create", func(st *collectionTx) *[]string { return &st.created })
}

// OnUpdate refuses a change of the rules or the schema of a governed
// collection inside a collection API request, and records which keys of
// the others changed (bind it to OnCollectionUpdate).
func (g *CollectionGuard) OnUpdate(e *core.CollectionEvent) error {
	st := g.lookup(e.App)
	if st == nil {
		return e.Next()
	}
	old, err := e.App.FindCollectionByNameOrId(e.Collection.Id)
	if err != nil {
		return err
	}
	changed, err := collectionChanges(old, e.Collection)
	if err != nil {
		return err
	}
	if g.governed[old.Name] || g.governed[e.Collection.Name] {
		if d := updateDenial(old, e.Collection, changed); d != nil {
			st.denial = d
			return errGoverned
		}
	}
	if err := e.Next(); err != nil {
		return err
	}
	st.updated[old.Name] = append(st.updated[old.Name], changed...)
	return nil
}

// updateDenial is the refusal of a change of a governed collection that
// touches its rules or its schema (changed: the top-level keys that
// differ), nil when it touches neither.
func updateDenial(old, new *core.Collection, changed []string) *CollectionDenial {
	d := &CollectionDenial{op: "update", collection: old.Name}
	for _, k := range changed {
		switch {
		case slices.Contains(ruleKeys, k):
			d.rules = append(d.rules, k)
		case slices.Contains(schemaKeys, k):
			d.schema = append(d.schema, k)
		}
	}
	if slices.Contains(d.schema, "fields") {
		d.fields = fieldChanges(old, new)
	}
	if len(d.rules)+len(d.schema) == 0 {
		return nil
	}
	return d
}

// OnDelete refuses the deletion of a governed collection inside a
// collection API request (bind it to OnCollectionDelete).
func (g *CollectionGuard) OnDelete(e *core.CollectionEvent) error {
	return g.createOrDelete(e, "delete", func(st *collectionTx) *[]string { return &st.deleted })
}

// createOrDelete is OnCreate and OnDelete: inside a collection API request,
// a governed collection is refused (op, for the audit), another one is
// recorded in the list done picks once the write succeeded.
func (g *CollectionGuard) createOrDelete(e *core.CollectionEvent, op string, done func(*collectionTx) *[]string) error {
	st := g.lookup(e.App)
	if st == nil {
		return e.Next()
	}
	if g.governed[e.Collection.Name] {
		st.denial = &CollectionDenial{op: op, collection: e.Collection.Name}
		return errGoverned
	}
	if err := e.Next(); err != nil {
		return err
	}
	list := done(st)
	*list = append(*list, e.Collection.Name)
	return nil
}

// TruncateDenial is the refusal to truncate the governed collection name.
func TruncateDenial(name string) *CollectionDenial {
	return &CollectionDenial{op: "truncate", collection: name}
}
