package policy

import (
	"strings"

	"github.com/relais/relais/hooks/lifecycle"
)

// Rule fragments. `me` and `myPartner` are the authenticated user's id and
// partner company; org scopes always check that the user has a partner, so
// an empty partner never matches records without one.
const (
	me        = "@request.auth.id"
	myPartner = "@request.auth.partner"
	hasOrg    = "@request.auth.partner != ''"
)

// anyOf renders `(field = 'a' || field = 'b' ...)`.
func anyOf(field string, values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = field + " = '" + v + "'"
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

// inTerritory is the territory scope for a record whose territory relation is
// at path: a territory the user manages, or one they hold a running grant on
// (checked against @now, so a grant stops at expiry without any job).
func inTerritory(path string) string {
	g := path + ".grants_via_territory."
	return "(" + path + " != '' && (" + path + " ?= @request.auth.territories:each || (" +
		g + "user ?= " + me + " && " + g + "kind ?= 'territory' && " +
		g + "starts ?<= @now && " + g + "expires ?> @now)))"
}

// inPool is the pool scope for a lead at path ("" for the lead itself).
func inPool(path string) string {
	p := path
	if p != "" {
		p += "."
	}
	guard := ""
	if path != "" {
		guard = path + " != '' && "
	}
	return "(" + guard + p + "partner = '' && " + anyOf(p+"status", lifecycle.PoolStatuses()) + ")"
}

// org renders an org scope on a partner relation path.
func org(path string) string { return "(" + hasOrg + " && " + path + " = " + myPartner + ")" }

// spec describes how the matrix applies to one collection.
type spec struct {
	// scopes maps each level meaningful for the resource to its filter.
	scopes map[Level]string
	// partnerCeiling is AND-ed to every partner-kind branch, whatever the
	// matrix says; "" means partner kinds may never reach the resource.
	partnerCeiling string
	// partnerMax is the widest level a partner kind may hold (SPEC §3.3.1).
	partnerMax Level
	// createScopes is checked on the new record by level of the role's read
	// cell; a missing entry means creation is refused for that level.
	createScopes map[Level]string
	// system fields are set by Relais only: no API client may send them.
	system []string
	// immutable fields may be sent on create but never changed afterwards.
	immutable []string
	// owned fields constrain their holder (ownership, role, activation):
	// only a role holding the `all` level for the action may send them.
	owned []string
	// partnerWritable lists the only fields a partner kind may send.
	partnerWritable []string
	// noCollection marks resources that govern routes, not a collection.
	noCollection bool
	// readOnly collections accept no create, update or delete through the
	// API whatever the matrix says (the audit log).
	readOnly bool
}

// specs is the per-resource knowledge of the compiler.
func specs() map[string]spec {
	leadOwn := "(assignee = " + me + " || created_by = " + me + ")"
	return map[string]spec{
		"leads": {
			scopes: map[Level]string{
				Own:       leadOwn,
				Org:       org("partner"),
				Territory: inTerritory("territory"),
				Pool:      inPool(""),
				All:       "id != ''",
			},
			partnerCeiling: org("partner"),
			partnerMax:     Org,
			createScopes:   map[Level]string{Own: "", Territory: "", Pool: "", All: ""},
			system: []string{"territory", "department", "partner", "assignee", "offered_at", "accept_by",
				"accepted_at", "dedup_key", "duplicate_of", "created_by", "offers_count", "source", "source_ref", "closed_at"},
			partnerWritable: []string{"status", "meeting_at", "estimated_value", "lost_reason", "won_amount"},
		},
		"lead_contacts": {
			scopes: map[Level]string{
				Own:       "(lead.assignee = " + me + " || lead.created_by = " + me + ")",
				Org:       org("lead.partner"),
				Territory: inTerritory("lead.territory"),
				Pool:      inPool("lead"),
				All:       "id != ''",
			},
			partnerCeiling: "(" + org("lead.partner") + " && " + anyOf("lead.status", lifecycle.AcceptedOrLaterStatuses()) + ")",
			partnerMax:     Org,
			createScopes: map[Level]string{
				Own:       "(lead.assignee = " + me + " || lead.created_by = " + me + ")",
				Territory: inTerritory("lead.territory"),
				Pool:      inPool("lead"),
				All:       "",
			},
			immutable:       []string{"lead"},
			partnerWritable: []string{"first_name", "last_name", "title", "email", "phone", "mobile", "appointment_street", "appointment_with"},
		},
		"deal_terms": {
			scopes: map[Level]string{
				Territory: "(" + inTerritory("lead.territory") + " || " + inTerritory("opportunity.territory") + ")",
				All:       "id != ''",
			},
			createScopes: map[Level]string{All: ""},
			immutable:    []string{"lead", "opportunity"},
		},
		"accounts": {
			scopes: map[Level]string{
				Own:       "owner = " + me,
				Org:       org("partner"),
				Territory: inTerritory("territory"),
				All:       "id != ''",
			},
			partnerCeiling:  org("partner"),
			partnerMax:      Org,
			createScopes:    map[Level]string{Own: "", Org: org("partner"), Territory: "", All: ""},
			system:          []string{"territory", "department", "dedup_key"},
			owned:           []string{"partner", "owner"},
			partnerWritable: []string{"name", "siren", "postal_code", "city", "segment", "partner"},
		},
		"contacts": {
			scopes: map[Level]string{
				Own:       "account.owner = " + me,
				Org:       org("account.partner"),
				Territory: inTerritory("account.territory"),
				All:       "id != ''",
			},
			partnerCeiling:  org("account.partner"),
			partnerMax:      Org,
			createScopes:    map[Level]string{Own: "account.owner = " + me, Org: org("account.partner"), Territory: inTerritory("account.territory"), All: ""},
			immutable:       []string{"account"},
			partnerWritable: []string{"account", "first_name", "last_name", "title", "email", "phone"},
		},
		"opportunities": {
			scopes: map[Level]string{
				Own:       "(registered_by = " + me + " || account.owner = " + me + " || lead.assignee = " + me + ")",
				Org:       org("partner"),
				Territory: inTerritory("territory"),
				All:       "id != ''",
			},
			partnerCeiling:  org("partner"),
			partnerMax:      Org,
			createScopes:    map[Level]string{Own: "(account.owner = " + me + " || lead.assignee = " + me + ")", Org: org("partner"), Territory: "", All: ""},
			system:          []string{"territory", "registered_by", "registration_status", "protected_until"},
			owned:           []string{"partner"},
			immutable:       []string{"lead", "account"},
			partnerWritable: []string{"account", "lead", "partner", "name", "stage", "amount", "close_date", "siren", "postal_code"},
		},
		"activities": {
			scopes: map[Level]string{
				Own:       "(author = " + me + " || (lead != '' && lead.assignee = " + me + "))",
				Org:       "(" + org("lead.partner") + " || " + org("opportunity.partner") + ")",
				Territory: "(" + inTerritory("lead.territory") + " || " + inTerritory("opportunity.territory") + ")",
				Pool:      inPool("lead"),
				All:       "id != ''",
			},
			partnerCeiling: "(internal = false && ((" + org("lead.partner") + " && " + anyOf("lead.status", lifecycle.AcceptedOrLaterStatuses()) +
				") || " + org("opportunity.partner") + "))",
			partnerMax: Org,
			createScopes: map[Level]string{
				Own:       "((lead != '' && (lead.assignee = " + me + " || lead.created_by = " + me + ")) || (opportunity != '' && opportunity.registered_by = " + me + "))",
				Org:       "(" + org("lead.partner") + " || " + org("opportunity.partner") + ")",
				Territory: "(" + inTerritory("lead.territory") + " || " + inTerritory("opportunity.territory") + ")",
				Pool:      inPool("lead"),
				All:       "",
			},
			system:          []string{"author"},
			immutable:       []string{"lead", "opportunity"},
			partnerWritable: []string{"lead", "opportunity", "kind", "summary", "at", "outcome"},
		},
		"documents": {
			scopes: map[Level]string{All: "id != ''"},
			// tiers and kinds are multi selects: `:each ?=` matches when one
			// item equals the partner's tier / kind (a plain `tiers ?=` compares
			// the whole JSON array and never matches)
			partnerCeiling: "((audience = 'all_partners' || (audience = 'tiers' && tiers:each ?= @request.auth.partner.tier) || " +
				"(audience = 'kinds' && kinds:each ?= @request.auth.partner.kind)) && (expires = '' || expires > @now))",
			partnerMax:   All,
			createScopes: map[Level]string{All: ""},
		},
		"campaigns": {
			scopes:       map[Level]string{All: "id != ''"},
			createScopes: map[Level]string{All: ""},
		},
		"tickets": {
			scopes: map[Level]string{
				Own:       "account.owner = " + me,
				Territory: inTerritory("account.territory"),
				All:       "id != ''",
			},
			createScopes: map[Level]string{Own: "account.owner = " + me, Territory: inTerritory("account.territory"), All: ""},
		},
		"partners": {
			scopes: map[Level]string{
				Org:       "(" + hasOrg + " && id = " + myPartner + ")",
				Territory: "(territories:each ?= @request.auth.territories:each || channel_manager = " + me + ")",
				All:       "id != ''",
			},
			partnerCeiling:  "(" + hasOrg + " && id = " + myPartner + ")",
			partnerMax:      Org,
			createScopes:    map[Level]string{All: ""},
			owned:           []string{"status", "tier", "territories", "capacity", "weight", "channel_manager", "contract_end", "kind"},
			partnerWritable: []string{"notify_email"},
		},
		"reports": {
			scopes:       map[Level]string{Own: "", Org: "", Territory: "", All: ""},
			partnerMax:   Org,
			noCollection: true,
		},
		"audit_log": {
			scopes:   map[Level]string{Own: "actor = " + me, All: "id != ''"},
			readOnly: true,
		},
		"users": {
			scopes: map[Level]string{
				Own:       "id = " + me,
				Org:       org("partner"),
				Territory: "(territories:each ?= @request.auth.territories:each || partner.territories:each ?= @request.auth.territories:each)",
				All:       "id != ''",
			},
			partnerCeiling:  org("partner"),
			partnerMax:      Org,
			createScopes:    map[Level]string{All: ""},
			system:          []string{"last_login", "guide_seen", "mfa"},
			owned:           []string{"role", "partner", "territories", "active", "access_expires", "email", "verified", "emailVisibility"},
			partnerWritable: []string{"name", "locale", "avatar", "password", "phone", "mail_off", "digest"},
		},
	}
}

// scopeLevels returns the levels meaningful for a resource.
func (s spec) allows(l Level) bool {
	if l == None {
		return true
	}
	_, ok := s.scopes[l]
	return ok
}
