package geo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatch(t *testing.T) {
	france := Territory{ID: "t-fr", Code: "FR", Kind: KindCountry}
	south := Territory{ID: "t-south", Code: "FR-SUD", Kind: KindCountry, Departements: []string{"13", "83", "2A", "2B"}}
	idf := Territory{ID: "t-idf", Code: "IDF", Kind: KindRegion, Departements: []string{"75", "77", "78", "91", "92", "93", "94", "95"}}
	araByCode := Territory{ID: "t-ara", Code: "ARA", Kind: KindRegion} // no départements listed: uses the région code
	cor := Territory{ID: "t-cor", Code: "COR", Kind: KindRegion, Departements: []string{"2a", "2b"}}
	paris := Territory{ID: "t-75", Code: "D75", Kind: KindDepartment, Departements: []string{"75"}}
	rhone := Territory{ID: "t-69", Code: "69", Kind: KindDepartment} // no départements listed: uses its code
	reunion := Territory{ID: "t-974", Code: "D974", Kind: KindDepartment, Departements: []string{"974"}}
	paris1 := Territory{ID: "t-750", Code: "P750", Kind: KindPostal, PostalPrefixes: []string{"750"}}
	paris1st := Territory{ID: "t-75001", Code: "P75001", Kind: KindPostal, PostalPrefixes: []string{"75 001"}}
	lyonMixed := Territory{ID: "t-lyon", Code: "LYON", Kind: KindPostal, PostalPrefixes: []string{"", "6900", "691"}}
	unknownKind := Territory{ID: "t-x", Code: "AAA", Kind: "planet", Departements: []string{"75"}}

	all := []Territory{france, south, idf, araByCode, cor, paris, rhone, reunion, paris1, paris1st, lyonMixed, unknownKind}

	tests := []struct {
		name                  string
		country, postal, dept string
		ts                    []Territory
		wantID                string
		wantOK                bool
	}{
		{"longest postal prefix wins", "FR", "75001", "75", all, "t-75001", true},
		{"shorter postal prefix", "FR", "75008", "75", all, "t-750", true},
		{"postal beats department", "FR", "75016", "75", []Territory{paris, paris1}, "t-750", true},
		{"department beats region", "FR", "75116", "75", []Territory{france, idf, paris}, "t-75", true},
		{"region beats country", "FR", "77000", "77", []Territory{france, idf}, "t-idf", true},
		{"country covers all France", "FR", "29200", "29", all, "t-fr", true},
		{"restricted country vs all-France: tie by code", "FR", "13001", "13", []Territory{south, france}, "t-fr", true},
		{"restricted country excludes others", "FR", "29200", "29", []Territory{south}, "", false},
		{"region listed in lower case", "FR", "20200", "", []Territory{france, cor}, "t-cor", true},
		{"region by code when no départements", "FR", "63000", "63", []Territory{france, araByCode}, "t-ara", true},
		{"department by code when no départements", "FR", "69003", "69", []Territory{araByCode, rhone}, "t-69", true},
		{"postal prefix among several, empty ignored", "FR", "69100", "69", all, "t-lyon", true},
		{"4-char prefix", "FR", "69003", "69", all, "t-lyon", true},
		{"no postal prefix for 69200", "FR", "69200", "69", all, "t-69", true},
		{"dept derived from postal when empty", "FR", "75002", "", []Territory{paris}, "t-75", true},
		{"dept derived from postal when unknown", "FR", "75002", "XX", []Territory{paris}, "t-75", true},
		{"stored dept wins over postal", "FR", "13001", "75", []Territory{paris}, "t-75", true},
		{"overseas department", "FR", "97400", "", all, "t-974", true},
		{"bad postal and no dept: only all-France country", "FR", "ABCDE", "", all, "t-fr", true},
		{"bad postal, no country territory", "FR", "ABCDE", "", []Territory{idf, paris, paris1}, "", false},
		{"non-French lead never matches", "BE", "75001", "75", all, "", false},
		{"no territories", "FR", "75001", "75", nil, "", false},
		{"unknown kind ignored", "FR", "75001", "75", []Territory{unknownKind}, "", false},
		{"kind is case-insensitive", "FR", "75001", "75", []Territory{{ID: "k", Code: "K", Kind: " Department ", Departements: []string{"75"}}}, "k", true},
		{"department not covering", "FR", "33000", "33", []Territory{paris, idf, reunion}, "", false},
		{"SPM covered by all-France", "FR", "97500", "", []Territory{france, reunion}, "t-fr", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Match(tt.country, tt.postal, tt.dept, tt.ts)
			require.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.wantID, got.ID)
		})
	}
}

func TestMatchTieBreaking(t *testing.T) {
	a := Territory{ID: "3", Code: "A", Kind: KindDepartment, Departements: []string{"44"}}
	b := Territory{ID: "1", Code: "B", Kind: KindDepartment, Departements: []string{"44"}}
	a2 := Territory{ID: "2", Code: "A", Kind: KindDepartment, Departements: []string{"44"}}
	pa := Territory{ID: "pa", Code: "PZ", Kind: KindPostal, PostalPrefixes: []string{"440"}}
	pb := Territory{ID: "pb", Code: "PY", Kind: KindPostal, PostalPrefixes: []string{"440"}}
	pLong := Territory{ID: "pl", Code: "PZZ", Kind: KindPostal, PostalPrefixes: []string{"4400"}}

	orders := [][]Territory{{a, b, a2}, {b, a2, a}, {a2, a, b}}
	for _, ts := range orders {
		got, ok := Match("FR", "44000", "44", ts)
		require.True(t, ok)
		assert.Equal(t, "2", got.ID, "lowest Code, then lowest ID, whatever the input order")
	}

	for _, ts := range [][]Territory{{pa, pb}, {pb, pa}} {
		got, ok := Match("FR", "44000", "", ts)
		require.True(t, ok)
		assert.Equal(t, "pb", got.ID, "equal prefix length: lowest Code")
	}

	for _, ts := range [][]Territory{{pa, pb, pLong}, {pLong, pb, pa}} {
		got, ok := Match("FR", "44000", "", ts)
		require.True(t, ok)
		assert.Equal(t, "pl", got.ID, "longer prefix beats a lower Code")
	}
}

func TestMatchDoesNotMutateInput(t *testing.T) {
	ts := []Territory{
		{ID: "b", Code: "B", Kind: KindRegion, Departements: []string{"2a"}},
		{ID: "a", Code: "A", Kind: KindPostal, PostalPrefixes: []string{" 20 0"}},
	}
	got, ok := Match("FR", "20000", "", ts)
	require.True(t, ok)
	assert.Equal(t, "a", got.ID)
	assert.Equal(t, []string{"2a"}, ts[0].Departements)
	assert.Equal(t, []string{" 20 0"}, ts[1].PostalPrefixes)
}
