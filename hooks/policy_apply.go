package hooks

import (
	"fmt"
	"sort"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/policy"
)

// LoadMatrix reads the roles and permissions collections.
func LoadMatrix(app core.App) (policy.Matrix, error) {
	var m policy.Matrix
	roles, err := app.FindAllRecords("roles")
	if err != nil {
		return m, err
	}
	for _, r := range roles {
		m.Roles = append(m.Roles, policy.Role{ID: r.Id, Name: r.GetString("name"), Kind: policy.Kind(r.GetString("kind"))})
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

// Drift lists the collections whose rules in force differ from the
// compiled matrix (SPEC §3.2 startup check).
func Drift(app core.App) ([]string, error) {
	compiled, err := CompileCurrent(app)
	if err != nil {
		return nil, err
	}
	var drift []string
	for _, name := range sortedKeys(compiled) {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil || !sameRules(c, compiled[name]) {
			drift = append(drift, name)
		}
	}
	return drift, nil
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
