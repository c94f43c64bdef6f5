package audit

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/privacy"
)

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

// Collections are the business collections whose API changes are audited
// field by field.
var Collections = []string{
	"leads", "lead_contacts", "deal_terms", "accounts", "contacts", "opportunities", "activities", "documents",
	"campaigns", "tickets", "partners", "users", "roles", "permissions", "territories", "assignment_rules",
	"grants", "access_requests", "settings_prm", "partner_certificates",
}

// Action names the audit entry of an API change. A change of a user's
// `active` flag is named users.activate / users.deactivate (the same names
// the Go paths use) so that (de)activations stand out in the log; the
// entry still carries the whole diff.
func Action(collection, verb string, changes map[string]any) string {
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

// mayNamePerson reports whether a changed lead company may name a private
// customer, in which case an audit diff lists it without its value (the
// append-only log must never hold a person's name): the lead is or was
// private, or either value names a person. The lead hooks refuse or move
// such a value, but the diff is taken before they run.
func mayNamePerson(r *core.Record, field string, from, to any) bool {
	if r.Collection().Name != "leads" || field != "company" {
		return false
	}
	orig := r.Original()
	for _, l := range []privacy.Lead{
		{Company: fmt.Sprint(to), Segment: r.GetString("segment"), Private: r.GetBool("private")},
		{Company: fmt.Sprint(from), Segment: orig.GetString("segment"), Private: orig.GetBool("private")},
	} {
		if privacy.IsPrivate(l) {
			return true
		}
	}
	return false
}
