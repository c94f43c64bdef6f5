package geo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReferenceDataCounts(t *testing.T) {
	regs := Regions()
	deps := Departements()

	require.Len(t, regs, 18)
	require.Len(t, deps, 102, "101 départements + Saint-Pierre-et-Miquelon")

	var metroRegions, overseasRegions, metroDeps, drom, noRegion int
	for _, r := range regs {
		if r.Overseas {
			overseasRegions++
		} else {
			metroRegions++
		}
	}
	assert.Equal(t, 13, metroRegions)
	assert.Equal(t, 5, overseasRegions)

	for _, d := range deps {
		switch {
		case d.RegionCode == "":
			noRegion++
			assert.Equal(t, "975", d.Code, "only SPM has no région")
		case len(d.Code) == 3:
			drom++
		default:
			metroDeps++
		}
	}
	assert.Equal(t, 96, metroDeps)
	assert.Equal(t, 5, drom)
	assert.Equal(t, 1, noRegion)
}

func TestReferenceDataConsistency(t *testing.T) {
	regs := Regions()
	deps := Departements()

	seenCode := map[string]bool{}
	seenName := map[string]bool{}
	for _, d := range deps {
		assert.False(t, seenCode[d.Code], "duplicate département code %s", d.Code)
		assert.False(t, seenName[d.Name], "duplicate département name %s", d.Name)
		seenCode[d.Code], seenName[d.Name] = true, true
		assert.NotEmpty(t, d.Name)
		if d.RegionCode != "" {
			_, ok := RegionByCode(d.RegionCode)
			assert.True(t, ok, "département %s has unknown région %s", d.Code, d.RegionCode)
		}
	}
	// Every code of the classic numbering is present, 20 being split into 2A/2B.
	for n := 1; n <= 95; n++ {
		if n == 20 {
			continue
		}
		code := string(rune('0'+n/10)) + string(rune('0'+n%10))
		assert.True(t, seenCode[code], "missing département %s", code)
	}
	for _, c := range []string{"2A", "2B", "971", "972", "973", "974", "975", "976"} {
		assert.True(t, seenCode[c], "missing %s", c)
	}
	assert.False(t, seenCode["20"])

	// Départements per région, as of the 2016 reform.
	want := map[string]int{
		"ARA": 12, "BFC": 8, "BRE": 4, "CVL": 6, "COR": 2, "GES": 10, "HDF": 5,
		"IDF": 8, "NOR": 5, "NAQ": 12, "OCC": 13, "PDL": 5, "PAC": 6,
		"GP": 1, "MQ": 1, "GF": 1, "RE": 1, "YT": 1,
	}
	seenRegion := map[string]bool{}
	for _, r := range regs {
		assert.False(t, seenRegion[r.Code], "duplicate région %s", r.Code)
		seenRegion[r.Code] = true
		assert.NotEmpty(t, r.INSEE)
		assert.NotEmpty(t, r.Name)
		got := DepartementsOf(r.Code)
		assert.GreaterOrEqual(t, len(got), 1, "région %s has no département", r.Code)
		assert.Len(t, got, want[r.Code], "région %s", r.Code)
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	regs := Regions()
	regs[0].Name = "changed"
	deps := Departements()
	deps[0].Code = "XX"

	assert.Equal(t, "Auvergne-Rhône-Alpes", Regions()[0].Name)
	assert.Equal(t, "01", Departements()[0].Code)
	_, ok := DepartementByCode("XX")
	assert.False(t, ok)
}

func TestDepartementByCode(t *testing.T) {
	tests := []struct {
		in, code, name, region string
		ok                     bool
	}{
		{"75", "75", "Paris", "IDF", true},
		{"2a", "2A", "Corse-du-Sud", "COR", true},
		{" 2B ", "2B", "Haute-Corse", "COR", true},
		{"1", "01", "Ain", "ARA", true},
		{"974", "974", "La Réunion", "RE", true},
		{"975", "975", "Saint-Pierre-et-Miquelon", "", true},
		{"20", "", "", "", false},
		{"00", "", "", "", false},
		{"96", "", "", "", false},
		{"977", "", "", "", false},
		{"", "", "", "", false},
		{"0", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, ok := DepartementByCode(tt.in)
			require.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.code, d.Code)
			assert.Equal(t, tt.name, d.Name)
			assert.Equal(t, tt.region, d.RegionCode)
		})
	}
}

func TestRegionOf(t *testing.T) {
	tests := []struct {
		dept, region, name string
		ok                 bool
	}{
		{"69", "ARA", "Auvergne-Rhône-Alpes", true},
		{"2A", "COR", "Corse", true},
		{"2b", "COR", "Corse", true},
		{"93", "IDF", "Île-de-France", true},
		{"29", "BRE", "Bretagne", true},
		{"971", "GP", "Guadeloupe", true},
		{"976", "YT", "Mayotte", true},
		{"975", "", "", false},
		{"99", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.dept, func(t *testing.T) {
			r, ok := RegionOf(tt.dept)
			require.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.region, r.Code)
			assert.Equal(t, tt.name, r.Name)
		})
	}
}

func TestRegionByCode(t *testing.T) {
	r, ok := RegionByCode("84")
	require.True(t, ok)
	assert.Equal(t, "ARA", r.Code)

	r, ok = RegionByCode(" idf ")
	require.True(t, ok)
	assert.Equal(t, "11", r.INSEE)

	_, ok = RegionByCode("XYZ")
	assert.False(t, ok)
	_, ok = RegionByCode("")
	assert.False(t, ok)

	assert.Equal(t, []string{"2A", "2B"}, DepartementsOf("COR"))
	assert.Equal(t, []string{"974"}, DepartementsOf("04"))
	assert.Nil(t, DepartementsOf("nope"))
}
