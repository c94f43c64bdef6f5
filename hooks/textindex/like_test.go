package textindex

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

func TestContainsAndPrefixMatchWildcardsLiterally(t *testing.T) {
	db, err := dbx.Open("sqlite", ":memory:")
	require.NoError(t, err)
	defer db.Close()
	_, err = db.NewQuery("CREATE TABLE t(name TEXT)").Execute()
	require.NoError(t, err)
	for _, n := range []string{"50% off", "500 off", "a_b", "axb", `back\slash`, "Acme"} {
		_, err = db.Insert("t", dbx.Params{"name": n}).Execute()
		require.NoError(t, err)
	}
	find := func(e dbx.Expression) []string {
		var out []string
		require.NoError(t, db.Select("name").From("t").Where(e).OrderBy("name").Column(&out))
		return out
	}
	cases := []struct {
		word           string
		contains, pref []string
	}{
		{"50%", []string{"50% off"}, []string{"50% off"}},
		{"a_b", []string{"a_b"}, []string{"a_b"}},
		{"%", []string{"50% off"}, nil},
		{"_", []string{"a_b"}, nil},
		{`\s`, []string{`back\slash`}, nil},
		{"acme", []string{"Acme"}, []string{"Acme"}},
		{"off", []string{"50% off", "500 off"}, nil},
	}
	for _, c := range cases {
		require.Equal(t, c.contains, find(Contains("t.name", c.word)), "contains %q", c.word)
		require.Equal(t, c.pref, find(Prefix("t.name", c.word)), "prefix %q", c.word)
	}
	// two conditions in one query keep their own parameters
	require.Equal(t, []string{"50% off"}, find(dbx.And(Contains("t.name", "%"), Prefix("t.name", "50"))))
}
