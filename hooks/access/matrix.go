package access

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// LoadMatrix reads the roles and permissions collections.
func LoadMatrix(app core.App) (policy.Matrix, error) {
	var m policy.Matrix
	recs, err := app.FindAllRecords("roles")
	if err != nil {
		return m, err
	}
	for _, r := range recs {
		m.Roles = append(m.Roles, policy.Role{ID: r.Id, Name: r.GetString("name"), Kind: roles.Kind(r.GetString("kind"))})
	}
	sort.Slice(m.Roles, func(i, j int) bool { return m.Roles[i].ID < m.Roles[j].ID })
	cells, err := app.FindAllRecords("permissions")
	if err != nil {
		return m, err
	}
	for _, c := range cells {
		m.Cells = append(m.Cells, cellFromRecord(c))
	}
	return m, nil
}

func cellFromRecord(c *core.Record) policy.Cell {
	return policy.Cell{
		Role: c.GetString("role"), Resource: c.GetString("resource"),
		Read: policy.Level(c.GetString("read")), Update: policy.Level(c.GetString("update")), Delete: policy.Level(c.GetString("delete")),
		Create: c.GetBool("create"), Export: c.GetBool("export"),
	}
}

// SchemaOf returns the field names of the collections the policy governs.
func SchemaOf(app core.App) (policy.Schema, error) {
	cols, err := app.FindAllCollections()
	if err != nil {
		return nil, err
	}
	s := policy.Schema{}
	for _, c := range cols {
		s[c.Name] = c.Fields.FieldNames()
	}
	return s, nil
}

// CompileCurrent compiles the matrix stored in the database.
func CompileCurrent(app core.App) (map[string]policy.Rules, error) {
	m, err := LoadMatrix(app)
	if err != nil {
		return nil, err
	}
	schema, err := SchemaOf(app)
	if err != nil {
		return nil, err
	}
	return policy.Compile(m, schema)
}

// ApplyPolicy compiles the stored matrix and writes the rules of every
// collection whose rules differ. It returns the names of the collections it
// changed.
func ApplyPolicy(app core.App) ([]string, error) {
	compiled, err := CompileCurrent(app)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, name := range sortedKeys(compiled) {
		rules := compiled[name]
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return changed, fmt.Errorf("policy: collection %s: %w", name, err)
		}
		if sameRules(c, rules) {
			continue
		}
		c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = rules.List, rules.View, rules.Create, rules.Update, rules.Delete
		if err := app.Save(c); err != nil {
			return changed, fmt.Errorf("policy: saving rules of %s: %w", name, err)
		}
		changed = append(changed, name)
	}
	return changed, nil
}

// RuleDrift is a collection whose rules in force differ from the
// compiled matrix.
type RuleDrift struct {
	Collection string
	// Missing is set when the collection does not exist.
	Missing bool
	// Rules names the rules that differ (listRule, viewRule, createRule,
	// updateRule, deleteRule).
	Rules []string
	// InForce and Compiled are the differing rules' texts (nil: superusers
	// only), by rule name.
	InForce, Compiled map[string]*string
}

// DriftReport compares the rules in force with the compiled matrix (SPEC
// §3.2), collection by collection, in name order. An error (the matrix
// cannot be read or compiled, a collection cannot be read) is returned as
// such, never as "no drift".
func DriftReport(app core.App) ([]RuleDrift, error) {
	compiled, err := CompileCurrent(app)
	if err != nil {
		return nil, err
	}
	var drift []RuleDrift
	for _, name := range sortedKeys(compiled) {
		c, err := app.FindCollectionByNameOrId(name)
		if errors.Is(err, sql.ErrNoRows) {
			drift = append(drift, RuleDrift{Collection: name, Missing: true})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("policy: collection %s: %w", name, err)
		}
		want := compiled[name]
		d := RuleDrift{Collection: name, InForce: map[string]*string{}, Compiled: map[string]*string{}}
		for _, r := range []struct {
			name       string
			have, want *string
		}{
			{"listRule", c.ListRule, want.List}, {"viewRule", c.ViewRule, want.View}, {"createRule", c.CreateRule, want.Create},
			{"updateRule", c.UpdateRule, want.Update}, {"deleteRule", c.DeleteRule, want.Delete},
		} {
			if !policy.Equal(r.have, r.want) {
				d.Rules = append(d.Rules, r.name)
				d.InForce[r.name], d.Compiled[r.name] = r.have, r.want
			}
		}
		if len(d.Rules) > 0 {
			drift = append(drift, d)
		}
	}
	return drift, nil
}

// Drift lists the collections whose rules in force differ from the
// compiled matrix (SPEC §3.2 startup check).
func Drift(app core.App) ([]string, error) {
	rep, err := DriftReport(app)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(rep))
	for i, d := range rep {
		names[i] = d.Collection
	}
	return names, nil
}

// ActionPolicyApply records a recompilation of the rules asked for by an
// operator (`relais policy apply`).
const ActionPolicyApply = "policy.apply"

// ApplyPolicyAudited recompiles the rules from the stored matrix, like
// ApplyPolicy, and records it in the audit log in the same transaction
// (the rules each collection had drifted on, none when they were already
// in force). It returns the drift it fixed.
func ApplyPolicyAudited(app core.App, a audit.Actor) ([]RuleDrift, error) {
	var fixed []RuleDrift
	err := app.RunInTransaction(func(tx core.App) error {
		rep, err := DriftReport(tx)
		if err != nil {
			return err
		}
		if _, err := ApplyPolicy(tx); err != nil {
			return err
		}
		changed := map[string]any{}
		for _, d := range rep {
			changed[d.Collection] = d.Rules
		}
		fixed = rep
		return audit.Append(tx, a, ActionPolicyApply, "permissions", "", map[string]any{"recompiled": changed})
	})
	if err != nil {
		return nil, err
	}
	return fixed, nil
}

func sameRules(c *core.Collection, r policy.Rules) bool {
	return policy.Equal(c.ListRule, r.List) && policy.Equal(c.ViewRule, r.View) && policy.Equal(c.CreateRule, r.Create) &&
		policy.Equal(c.UpdateRule, r.Update) && policy.Equal(c.DeleteRule, r.Delete)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RoleCell reads the matrix cell of a role on a resource (false when there
// is none; a read error is returned, not taken for a missing cell).
func RoleCell(app core.App, roleID, resource string) (policy.Cell, bool, error) {
	rec, err := app.FindFirstRecordByFilter("permissions", "role = {:r} && resource = {:res}", dbx.Params{"r": roleID, "res": resource})
	if errors.Is(err, sql.ErrNoRows) {
		return policy.Cell{}, false, nil
	}
	if err != nil {
		return policy.Cell{}, false, err
	}
	return cellFromRecord(rec), true, nil
}
