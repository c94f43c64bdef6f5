package geo

import (
	"slices"
	"strings"
)

// Territory kinds, as stored in territories.kind (SPEC §2).
const (
	KindCountry    = "country"
	KindRegion     = "region"
	KindDepartment = "department"
	KindPostal     = "postal"
)

// Territory is the matching view of a territories record.
type Territory struct {
	// ID is the record id; Code is territories.code.
	ID, Code string
	// Kind is one of KindCountry, KindRegion, KindDepartment, KindPostal.
	Kind string
	// Departements are the département codes the territory covers.
	Departements []string
	// PostalPrefixes are the postal-code prefixes of a postal territory.
	PostalPrefixes []string
}

// Match returns the most specific territory covering the lead: a
// postal-prefix territory (longest prefix wins) beats a department territory,
// which beats a region territory, which beats a country territory. Ties are
// broken by Code (ascending), then ID, for determinism. ok=false when none
// covers it.
//
// Coverage rules:
//   - Only French leads (see IsFrance) are matched; any other country gives ok=false.
//   - dept is the lead's stored département; when it is empty or unknown it is
//     derived from postal with DepartementFromPostalCode.
//   - postal: the normalised postal code starts with one of PostalPrefixes
//     (spaces in prefixes are ignored; empty prefixes never match).
//   - department and region: dept is in Departements. When Departements is
//     empty the Code is used instead: a département code for a department
//     territory, a région slug or INSEE code for a region territory.
//   - country: an empty Departements covers all of France (even a lead whose
//     postal code is unusable); otherwise dept must be listed.
//   - Territories of an unknown kind are ignored.
func Match(country, postal, dept string, ts []Territory) (Territory, bool) {
	if !IsFrance(country) {
		return Territory{}, false
	}
	d, ok := NormalizeDepartement(dept)
	if !ok {
		derived, err := DepartementFromPostalCode(country, postal)
		if err != nil {
			derived = "" // no département: only postal and all-France country territories can match
		}
		d = derived
	}
	p, err := NormalizePostalCode(postal)
	if err != nil {
		p = "" // no usable postal code: postal territories cannot match
	}

	best, bestRank, bestLen, found := Territory{}, 0, 0, false
	for _, t := range ts {
		rank, plen := cover(t, p, d)
		if rank == 0 {
			continue
		}
		if !found || better(rank, plen, t, bestRank, bestLen, best) {
			best, bestRank, bestLen, found = t, rank, plen, true
		}
	}
	return best, found
}

// cover returns the specificity rank of t for the lead (0 = not covered) and,
// for postal territories, the length of the longest matching prefix.
func cover(t Territory, postal, dept string) (rank, prefixLen int) {
	switch strings.ToLower(strings.TrimSpace(t.Kind)) {
	case KindPostal:
		if postal == "" {
			return 0, 0
		}
		for _, raw := range t.PostalPrefixes {
			pre := strings.Join(strings.Fields(raw), "")
			if pre != "" && strings.HasPrefix(postal, pre) && len(pre) > prefixLen {
				prefixLen = len(pre)
			}
		}
		if prefixLen == 0 {
			return 0, 0
		}
		return 4, prefixLen
	case KindDepartment:
		codes := t.Departements
		if len(codes) == 0 {
			codes = []string{t.Code}
		}
		if listed(codes, dept) {
			return 3, 0
		}
	case KindRegion:
		codes := t.Departements
		if len(codes) == 0 {
			codes = DepartementsOf(t.Code)
		}
		if listed(codes, dept) {
			return 2, 0
		}
	case KindCountry:
		if len(t.Departements) == 0 || listed(t.Departements, dept) {
			return 1, 0
		}
	}
	return 0, 0
}

// listed reports whether the normalised département dept is among codes
// (each normalised before comparison). An empty dept is never listed.
func listed(codes []string, dept string) bool {
	if dept == "" {
		return false
	}
	return slices.ContainsFunc(codes, func(c string) bool {
		n, ok := NormalizeDepartement(c)
		return ok && n == dept
	})
}

// better reports whether candidate t (rank, plen) beats the current best.
func better(rank, plen int, t Territory, bestRank, bestLen int, best Territory) bool {
	if rank != bestRank {
		return rank > bestRank
	}
	if plen != bestLen {
		return plen > bestLen
	}
	if t.Code != best.Code {
		return t.Code < best.Code
	}
	return t.ID < best.ID
}
