// Package geo holds the French administrative reference data Relais needs
// (régions and départements) and the pure functions that derive a lead's
// département from its postal code and match it to a territory (SPEC §2, §4.1).
//
// Saint-Pierre-et-Miquelon (code "975") is an overseas collectivité, not a
// département, and belongs to no région. It is listed by Departements() with
// an empty RegionCode so that postal codes 975xx resolve and territories may
// name it, but RegionOf("975") reports false and Regions() does not invent a
// pseudo région for it.
package geo

import "slices"

// Region is a French administrative région.
type Region struct {
	// Code is the short slug used by Relais ("ARA", "IDF", "RE", ...).
	Code string
	// INSEE is the official INSEE région code ("84", "11", "04", ...).
	INSEE string
	// Name is the French name, with accents.
	Name string
	// Overseas is true for the five overseas régions (DROM).
	Overseas bool
}

// Departement is a French département (or, for "975", the collectivité of
// Saint-Pierre-et-Miquelon).
type Departement struct {
	// Code is the INSEE code: "01".."19", "2A", "2B", "21".."95", "971".."976".
	Code string
	// Name is the French name, with accents.
	Name string
	// RegionCode is the Code of the owning Region; empty for "975".
	RegionCode string
}

// Regions returns the 18 régions (13 metropolitan, then 5 overseas), as a
// fresh slice the caller may modify.
func Regions() []Region {
	return slices.Clone(regions)
}

// Departements returns every département in code order followed by
// Saint-Pierre-et-Miquelon ("975" sorts between 974 and 976), as a fresh
// slice the caller may modify.
func Departements() []Departement {
	return slices.Clone(departements)
}

// RegionByCode returns the région whose slug or INSEE code is code
// (case-insensitive, surrounding spaces ignored).
func RegionByCode(code string) (Region, bool) {
	c := upperTrim(code)
	i := slices.IndexFunc(regions, func(r Region) bool { return r.Code == c || r.INSEE == c })
	if i < 0 {
		return Region{}, false
	}
	return regions[i], true
}

// DepartementByCode returns the département with the given code; the code is
// normalised first (see NormalizeDepartement), so "2a" and "1" are accepted.
func DepartementByCode(code string) (Departement, bool) {
	c, ok := NormalizeDepartement(code)
	if !ok {
		return Departement{}, false
	}
	i := slices.IndexFunc(departements, func(d Departement) bool { return d.Code == c })
	if i < 0 {
		return Departement{}, false
	}
	return departements[i], true
}

// RegionOf returns the région of the département dept. It reports false for
// an unknown code and for "975" (Saint-Pierre-et-Miquelon has no région).
func RegionOf(dept string) (Region, bool) {
	d, ok := DepartementByCode(dept)
	if !ok || d.RegionCode == "" {
		return Region{}, false
	}
	return RegionByCode(d.RegionCode)
}

// DepartementsOf returns the codes of the départements of a région (given by
// slug or INSEE code), in code order, or nil for an unknown région.
func DepartementsOf(region string) []string {
	r, ok := RegionByCode(region)
	if !ok {
		return nil
	}
	var out []string
	for _, d := range departements {
		if d.RegionCode == r.Code {
			out = append(out, d.Code)
		}
	}
	return out
}

// NormalizeDepartement trims and upper-cases a département code and pads a
// single digit ("1" → "01"). It reports false when the result is not a known
// code, so it doubles as a validator for territories.departments values.
func NormalizeDepartement(code string) (string, bool) {
	c := upperTrim(code)
	if len(c) == 1 && c[0] >= '1' && c[0] <= '9' {
		c = "0" + c
	}
	if slices.ContainsFunc(departements, func(d Departement) bool { return d.Code == c }) {
		return c, true
	}
	return "", false
}
