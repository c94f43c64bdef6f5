package ui

import (
	"sort"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/textindex"
)

// auditKindPrefixes groups the audit log's actions into the kinds of its
// filter: a kind matches the actions that start with one of its prefixes
// (the action names of hooks/audit and of the domain packages).
var auditKindPrefixes = map[string][]string{
	"auth":     {"auth."},
	"users":    {"users."},
	"access":   {"permissions.", "policy.", "grants.", "access_requests.", "access_review", "filter.", "collection"},
	"leads":    {"leads.", "lead.", "lead_contacts.", "offer.", "activities.", "import."},
	"deals":    {"opportunit", "registration.", "accounts.", "contacts.", "deal_terms."},
	"partners": {"partners.", "partner_certificates.", "territories.", "assignment_rules."},
	"exports":  {"export", "gdpr.", "document."},
	"settings": {"settings", "api_key.", "webhook.", "backup."},
}

// auditKindNames are the kinds of the filter, in display order.
func auditKindNames() []string {
	out := make([]string, 0, len(auditKindPrefixes))
	for k := range auditKindPrefixes {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// auditKindWhere is the condition "the action is of kind" (an unknown
// kind matches nothing).
func auditKindWhere(kind string) dbx.Expression {
	prefixes := auditKindPrefixes[kind]
	if len(prefixes) == 0 {
		return dbx.NewExp("0 = 1")
	}
	or := make([]dbx.Expression, 0, len(prefixes))
	for _, p := range prefixes {
		or = append(or, textindex.Prefix("audit_log.action", p))
	}
	return dbx.Or(or...)
}
