package migrations

import "strings"

// ruleEdit is a literal edit of a compiled rule: every occurrence of old
// becomes new.
type ruleEdit struct{ old, new string }

// editRule applies edits to a rule (nil, superusers only, stays nil). A
// migration that adds fields to a collection the permission matrix governs
// writes, with these edits, the change the policy compiler made to its
// rules for the new fields when the migration was written (the write rules
// forbid the roles that may not send a field to send it), instead of
// calling the compiler of the day. A rule without the old text is left as
// it is: a matrix an administrator changed compiles otherwise, and the
// start-up step (hooks.Reconcile) recompiles the rules from the stored
// matrix whenever they differ.
func editRule(rule *string, edits []ruleEdit) *string {
	if rule == nil {
		return nil
	}
	s := *rule
	for _, e := range edits {
		s = strings.ReplaceAll(s, e.old, e.new)
	}
	return &s
}

// undoEdits are the edits that revert edits (for a down migration).
func undoEdits(edits []ruleEdit) []ruleEdit {
	out := make([]ruleEdit, len(edits))
	for i, e := range edits {
		out[len(edits)-1-i] = ruleEdit{old: e.new, new: e.old}
	}
	return out
}
