package governance

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func guardTestCollection() *core.Collection {
	c := core.NewBaseCollection("things", "things_id")
	c.ListRule = types.Pointer("id != ''")
	c.Fields.Add(&core.TextField{Id: "f_title", Name: "title"}, &core.NumberField{Id: "f_n", Name: "n"})
	c.AddIndex("idx_a", false, "title", "")
	c.AddIndex("idx_b", false, "n", "")
	return c
}

// collectionChanges names the top-level keys that changed; the order of
// fields and indexes and the timestamps do not count.
func TestCollectionChanges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *core.Collection)
		want   []string
	}{
		{"nothing", func(*core.Collection) {}, nil},
		{"timestamps", func(c *core.Collection) { c.Updated = types.NowDateTime().Add(time.Hour) }, nil},
		{"fields reordered", func(c *core.Collection) {
			c.Fields = core.NewFieldsList(c.Fields[2], c.Fields[0], c.Fields[1])
		}, nil},
		{"indexes reordered", func(c *core.Collection) { c.Indexes[0], c.Indexes[1] = c.Indexes[1], c.Indexes[0] }, nil},
		{"list rule", func(c *core.Collection) { c.ListRule = nil }, []string{"listRule"}},
		{"rule opened", func(c *core.Collection) { c.DeleteRule = types.Pointer("") }, []string{"deleteRule"}},
		{"field hidden", func(c *core.Collection) { c.Fields.GetByName("title").SetHidden(true) }, []string{"fields"}},
		{"field removed, index dropped", func(c *core.Collection) {
			c.Fields.RemoveByName("n")
			c.RemoveIndex("idx_b")
		}, []string{"fields", "indexes"}},
		{"renamed", func(c *core.Collection) { c.Name = "other" }, []string{"name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, after := guardTestCollection(), guardTestCollection()
			after.Created, after.Updated = before.Created, before.Updated
			tc.change(after)
			got, err := collectionChanges(before, after)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	before, after := guardTestCollection(), guardTestCollection()
	after.Fields.RemoveByName("n")
	after.Fields.GetByName("title").SetHidden(true)
	after.Fields.Add(&core.BoolField{Id: "f_b", Name: "flag"})
	assert.Equal(t, map[string][]string{"removed": {"n"}, "modified": {"title"}, "added": {"flag"}}, fieldChanges(before, after))
}
