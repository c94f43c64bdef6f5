// Package migrations holds the Relais schema as PocketBase Go migrations.
// Each file registers one change in init(); main blank-imports the package.
package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// opt tweaks a field after construction.
type opt func(core.Field)

func required(f core.Field) {
	switch x := f.(type) {
	case *core.TextField:
		x.Required = true
	case *core.NumberField:
		x.Required = true
	case *core.SelectField:
		x.Required = true
	case *core.RelationField:
		x.Required = true
	case *core.DateField:
		x.Required = true
	case *core.EmailField:
		x.Required = true
	case *core.BoolField:
		x.Required = true
	}
}

func hidden(f core.Field) { f.SetHidden(true) }

func apply(f core.Field, opts []opt) core.Field {
	for _, o := range opts {
		o(f)
	}
	return f
}

func text(name string, max int, opts ...opt) core.Field {
	return apply(&core.TextField{Name: name, Max: max}, opts)
}

func email(name string, opts ...opt) core.Field {
	return apply(&core.EmailField{Name: name}, opts)
}

func number(name string, min, max *float64, onlyInt bool, opts ...opt) core.Field {
	return apply(&core.NumberField{Name: name, Min: min, Max: max, OnlyInt: onlyInt}, opts)
}

func count(name string, opts ...opt) core.Field {
	return number(name, types.Pointer(0.0), nil, true, opts...)
}

func amount(name string, opts ...opt) core.Field {
	return number(name, types.Pointer(0.0), nil, false, opts...)
}

func boolean(name string, opts ...opt) core.Field {
	return apply(&core.BoolField{Name: name}, opts)
}

func date(name string, opts ...opt) core.Field {
	return apply(&core.DateField{Name: name}, opts)
}

func selectOne(name string, values []string, opts ...opt) core.Field {
	return apply(&core.SelectField{Name: name, Values: values, MaxSelect: 1}, opts)
}

func selectMany(name string, values []string, opts ...opt) core.Field {
	return apply(&core.SelectField{Name: name, Values: values, MaxSelect: len(values)}, opts)
}

func jsonField(name string, opts ...opt) core.Field {
	return apply(&core.JSONField{Name: name, MaxSize: 1 << 20}, opts)
}

func rel(name, collectionID string, opts ...opt) core.Field {
	return apply(&core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: 1}, opts)
}

func relMany(name, collectionID string, opts ...opt) core.Field {
	return apply(&core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: 999}, opts)
}

func cascade(f core.Field) { f.(*core.RelationField).CascadeDelete = true }

func protectedFile(name string, maxSize int64, opts ...opt) core.Field {
	return apply(&core.FileField{Name: name, MaxSelect: 1, MaxSize: maxSize, Protected: true}, opts)
}

func timestamps() []core.Field {
	return []core.Field{
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	}
}
