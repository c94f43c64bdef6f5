package hooks

import (
	"maps"

	"github.com/pocketbase/pocketbase/core"
)

// RuleViewVerdict exposes the in-memory ViewRule check to the external
// tests: "true", "false" or "unknown" (the SQL rule query must answer).
func RuleViewVerdict(app core.App, auth, rec *core.Record) string {
	return map[verdict]string{ruleTrue: "true", ruleFalse: "false", ruleUnknown: "unknown"}[ruleView(app, auth, rec)]
}

// RuleViewProvenOn exposes the module versions rulecheck answers on.
func RuleViewProvenOn() map[string]string { return maps.Clone(ruleViewProvenOn) }
