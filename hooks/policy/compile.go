package policy

import (
	"slices"
	"sort"
	"strings"

	"github.com/relais/relais/hooks/roles"
)

// Active is the prefix of every compiled rule: the caller is an
// authenticated user whose account is active and not expired (SPEC §3.3.5).
const Active = "@request.auth.collectionName = 'users' && @request.auth.active = true && " +
	"(@request.auth.access_expires = '' || @request.auth.access_expires > @now)"

// partnerActive is AND-ed to every partner-kind branch: a suspended or
// ended partner company reaches nothing, even with a live token.
const partnerActive = "@request.auth.partner.status = 'active'"

// Rules are the five API rules of a collection; nil means superusers only.
type Rules struct {
	List, View, Create, Update, Delete *string
}

// Schema lists the field names of each collection, as stored in the database.
type Schema map[string][]string

// Compile validates the matrix and returns the rules of every collection it
// governs (matrix resources backed by a collection, plus the collections
// whose rules follow fixed policy, see fixedRules).
func Compile(m Matrix, schema Schema) (map[string]Rules, error) {
	if err := Validate(m); err != nil {
		return nil, err
	}
	out := map[string]Rules{}
	for name, s := range specs() {
		if s.noCollection {
			continue
		}
		var list, upd, del, create []string
		for _, role := range m.Roles {
			c := m.Cell(role.ID, name)
			if b := branch(role, name, s, c.Read, "read", nil); b != "" {
				list = append(list, b)
			}
			if s.readOnly {
				continue
			}
			if b := branch(role, name, s, c.Update, "update", schema[name]); b != "" {
				upd = append(upd, b)
			}
			if b := branch(role, name, s, c.Delete, "delete", nil); b != "" {
				del = append(del, b)
			}
			if c.Create {
				if b := createBranch(role, name, s, c.Read, schema[name]); b != "" {
					create = append(create, b)
				}
			}
		}
		l := join(list)
		out[name] = Rules{List: l, View: l, Update: joinGuarded(upd, s, false), Delete: join(del), Create: joinGuarded(create, s, true)}
	}
	offers := leadOffersRules(m)
	out["lead_offers"] = offers
	out[CertificatesCollection] = certificateRules(m)
	for name, r := range fixedRules() {
		out[name] = r
	}
	return out, nil
}

// join ORs the branches under the Active prefix; no branch means nil
// (superusers only).
func join(branches []string) *string {
	if len(branches) == 0 {
		return nil
	}
	r := Active + " && (\n  " + strings.Join(branches, " ||\n  ") + "\n)"
	return &r
}

func roleIs(id string) string { return "@request.auth.role = '" + id + "'" }

func branch(role Role, resource string, s spec, l Level, action string, fields []string) string {
	if l == None {
		return ""
	}
	parts := []string{roleIs(role.ID)}
	if l != All && s.scopes[l] != "" {
		parts = append(parts, s.scopes[l])
	}
	if role.Kind == roles.Partner {
		parts = append(parts, partnerActive, s.partnerCeiling)
	}
	if action == "update" {
		parts = append(parts, guards(role, s, l, false, fields)...)
	}
	return "(" + strings.Join(dedup(parts), " && ") + ")"
}

func createBranch(role Role, resource string, s spec, readLevel Level, fields []string) string {
	scope, ok := s.createScopes[readLevel]
	if !ok {
		return ""
	}
	parts := []string{roleIs(role.ID)}
	if scope != "" {
		parts = append(parts, scope)
	}
	if role.Kind == roles.Partner {
		parts = append(parts, partnerActive, s.partnerCeiling)
	}
	parts = append(parts, guards(role, s, readLevel, true, fields)...)
	return "(" + strings.Join(dedup(parts), " && ") + ")"
}

// guards forbid sending the fields a role may not write (SPEC §3.3.4).
func guards(role Role, s spec, l Level, create bool, fields []string) []string {
	common := map[string]bool{}
	for _, f := range commonGuarded(s, create) {
		common[f] = true
	}
	forbidden := map[string]bool{}
	pinned := ""
	if role.Kind == roles.Partner {
		for _, f := range fields {
			if isBaseField(f) {
				continue
			}
			if !slices.Contains(s.partnerWritable, f) {
				forbidden[f] = true
			} else if f == "partner" {
				pinned = f
			}
		}
	} else if l != All {
		for _, f := range s.owned {
			forbidden[f] = true
		}
	}
	names := make([]string, 0, len(forbidden))
	for f := range forbidden {
		if pinned == f || common[f] {
			continue
		}
		names = append(names, f)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names)+1)
	for _, f := range names {
		out = append(out, "@request.body."+f+":isset = false")
	}
	if pinned != "" {
		out = append(out, "(@request.body."+pinned+":isset = false || @request.body."+pinned+" = "+myPartner+")")
	}
	return out
}

// commonGuarded lists the fields nobody may send: system fields, and
// immutable ones on update.
func commonGuarded(s spec, create bool) []string {
	out := slices.Clone(s.system)
	if !create {
		out = append(out, s.immutable...)
	}
	sort.Strings(out)
	return out
}

// joinGuarded is join with the common guards AND-ed once, before the branches.
func joinGuarded(branches []string, s spec, create bool) *string {
	r := join(branches)
	if r == nil {
		return nil
	}
	fields := commonGuarded(s, create)
	if len(fields) == 0 {
		return r
	}
	g := make([]string, len(fields))
	for i, f := range fields {
		g[i] = "@request.body." + f + ":isset = false"
	}
	out := strings.Replace(*r, " && (\n", " &&\n  "+strings.Join(g, " && ")+" && (\n", 1)
	return &out
}

func isBaseField(f string) bool {
	switch f {
	case "id", "created", "updated", "collectionId", "collectionName", "expand":
		return true
	}
	return false
}

func dedup(parts []string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// leadOffersRules lets a user read the offers of the leads they can read:
// the leads read level applies through the offer's lead, and a partner sees
// only offers made to its own company.
func leadOffersRules(m Matrix) Rules {
	scopes := map[Level]string{
		Own:       "lead.assignee = " + me,
		Org:       org("partner"),
		Territory: inTerritory("lead.territory"),
		Pool:      inPool("lead"),
	}
	var list []string
	for _, role := range m.Roles {
		l := m.Cell(role.ID, "leads").Read
		if l == None {
			continue
		}
		parts := []string{roleIs(role.ID)}
		if l != All {
			parts = append(parts, scopes[l])
		}
		if role.Kind == roles.Partner {
			parts = append(parts, partnerActive, org("partner"))
		}
		list = append(list, "("+strings.Join(dedup(parts), " && ")+")")
	}
	r := join(list)
	return Rules{List: r, View: r}
}

// fixedRules are the rules of collections that the matrix does not govern:
// configuration and governance collections are administered by the
// built-in admin role (roles.Admin).
func fixedRules() map[string]Rules {
	p := func(s string) *string {
		r := Active + " && (" + s + ")"
		return &r
	}
	admin := roleIs(roles.Admin)
	anyone := p("@request.auth.id != ''")
	return map[string]Rules{
		"roles":            {List: anyone, View: anyone, Create: p(admin), Update: p(admin), Delete: p(admin)},
		"permissions":      {List: p(admin), View: p(admin), Create: p(admin), Update: p(admin), Delete: p(admin)},
		"territories":      {List: anyone, View: anyone, Create: p(admin), Update: p(admin), Delete: p(admin)},
		"assignment_rules": {List: p(admin + " || " + roleIs(roles.ChannelManager)), View: p(admin + " || " + roleIs(roles.ChannelManager)), Create: p(admin), Update: p(admin), Delete: p(admin)},
		"settings_prm":     {List: p(admin), View: p(admin), Update: p(admin)},
		"grants":           {List: p(admin + " || user = " + me), View: p(admin + " || user = " + me)},
		"access_requests": {
			List: p(admin + " || requester = " + me), View: p(admin + " || requester = " + me),
			Create: p("requester = " + me + " && (@request.body.status:isset = false || @request.body.status = 'pending') && " +
				"@request.body.decided_by:isset = false && @request.body.decided_at:isset = false && @request.body.grant:isset = false"),
		},
		"access_reviews":      {List: p(admin), View: p(admin)},
		"access_review_items": {List: p(admin), View: p(admin)},
		"notifications": {
			List: p("user = " + me), View: p("user = " + me), Delete: p("user = " + me),
			Update: p("user = " + me + " && @request.body.user:isset = false && @request.body.kind:isset = false && " +
				"@request.body.lead:isset = false && @request.body.title:isset = false && @request.body.body:isset = false"),
		},
	}
}

// Collections returns, sorted, the names of the collections whose rules
// Compile writes, whatever the matrix: the matrix resources backed by a
// collection, lead_offers and the collections under fixed rules.
func Collections() []string {
	var out []string
	for name, s := range specs() {
		if !s.noCollection {
			out = append(out, name)
		}
	}
	out = append(out, "lead_offers", CertificatesCollection)
	for name := range fixedRules() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Equal reports whether two rules are the same (both nil or same text).
func Equal(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
