package filterguard

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schema is a small copy of the Relais shapes the guard meets: a lead
// with single relations, a partner with multi-valued fields, users (auth).
func schema() (leads, offers, users *core.Collection, lookup Lookup) {
	territories := core.NewBaseCollection("territories", "t_territories")
	territories.Fields.Add(&core.TextField{Name: "name"})
	partners := core.NewBaseCollection("partners", "t_partners")
	partners.Fields.Add(&core.TextField{Name: "name"}, &core.SelectField{Name: "segments", MaxSelect: 3, Values: []string{"a", "b", "c"}},
		&core.RelationField{Name: "territories", CollectionId: "t_territories", MaxSelect: 5}, &core.JSONField{Name: "meta"})
	users = core.NewAuthCollection("users", "t_users")
	users.Fields.Add(&core.TextField{Name: "name"}, &core.RelationField{Name: "partner", CollectionId: "t_partners", MaxSelect: 1},
		&core.RelationField{Name: "territories", CollectionId: "t_territories", MaxSelect: 5}, &core.TextField{Name: "secret", Hidden: true})
	leads = core.NewBaseCollection("leads", "t_leads")
	leads.Fields.Add(&core.TextField{Name: "company"}, &core.TextField{Name: "status"}, &core.NumberField{Name: "score"},
		&core.RelationField{Name: "partner", CollectionId: "t_partners", MaxSelect: 1},
		&core.RelationField{Name: "territory", CollectionId: "t_territories", MaxSelect: 1},
		&core.RelationField{Name: "assignee", CollectionId: "t_users", MaxSelect: 1},
		&core.TextField{Name: "source", Hidden: true}, &core.SelectField{Name: "tags", MaxSelect: 4, Values: []string{"x", "y"}},
		&core.JSONField{Name: "extra"}, &core.AutodateField{Name: "created", OnCreate: true})
	offers = core.NewBaseCollection("lead_offers", "t_offers")
	offers.Fields.Add(&core.RelationField{Name: "lead", CollectionId: "t_leads", MaxSelect: 1}, &core.TextField{Name: "reason"},
		&core.RelationField{Name: "partner", CollectionId: "t_partners", MaxSelect: 1})
	all := map[string]*core.Collection{}
	for _, c := range []*core.Collection{territories, partners, users, leads, offers} {
		all[c.Id], all[c.Name] = c, c
	}
	return leads, offers, users, func(n string) *core.Collection { return all[n] }
}

func TestCheckAllows(t *testing.T) {
	leads, offers, users, lookup := schema()
	for _, tc := range []struct {
		coll         *core.Collection
		filter, sort string
	}{
		{leads, `status = "new"`, ""},
		{leads, `company ~ "Soleil" && score > 50 || (status != "lost" && score <= 10)`, "-created,company"},
		{leads, `tags ?= "x" && tags:each = "y" && tags:length > 1`, ""},
		{leads, `company:lower ~ "sol"`, "company:lower"},
		{leads, `created > @now && created < @yearEnd`, ""},
		{leads, `extra.a.b = 1 && extra.items.0 = "x"`, ""},
		{leads, `partner.name ~ "Solaire" && territory.name:lower = "ouest"`, "partner.name,-territory.name"},
		{leads, `assignee.name = "Anne"`, ""},
		{leads, `status = null || status = true`, ""},
		{offers, `lead.company ~ "x" && lead.status != "lost" && reason !~ "prix"`, "-lead.score"},
		{leads, "", "@random,@rowid,-created"},
		{leads, `geoDistance(score, score, 1, 2) < 10`, ""},
		{users, `name ~ "x" && partner.name = "y"`, "name"},
	} {
		assert.NoError(t, Check(tc.coll, lookup, tc.filter, tc.sort), "filter %q sort %q", tc.filter, tc.sort)
	}
}

func TestCheckRefuses(t *testing.T) {
	leads, offers, users, lookup := schema()
	territories := lookup("territories")
	partners := lookup("partners")
	for _, tc := range []struct {
		coll              *core.Collection
		filter, sort      string
		param, path, code string
	}{
		{territories, `leads_via_territory.company != "Famille Blanchard"`, "", "filter", "leads_via_territory.company", CodeBackRelation},
		{territories, `name = "x" && leads_via_territory.lead_offers_via_lead.reason ~ "a"`, "", "filter", "leads_via_territory.lead_offers_via_lead.reason", CodeBackRelation},
		{leads, `lead_offers_via_lead.reason ?= "x"`, "", "filter", "lead_offers_via_lead.reason", CodeBackRelation},
		{territories, "", "-leads_via_territory.company", "sort", "leads_via_territory.company", CodeBackRelation},
		{leads, `@collection.lead_offers.reason != "x"`, "", "filter", "@collection.lead_offers.reason", CodeCollection},
		{leads, `@collection.leads:alias.company = "x"`, "", "filter", "@collection.leads:alias.company", CodeCollection},
		{leads, `@request.body.company = "x"`, "", "filter", "@request.body.company", CodeRequest},
		{leads, `@request.query.x = "x"`, "", "filter", "@request.query.x", CodeRequest},
		{leads, `@request.headers.x = "x"`, "", "filter", "@request.headers.x", CodeRequest},
		{leads, `@request.auth.partner.name = "x"`, "", "filter", "@request.auth.partner.name", CodeRequest},
		{leads, `@request.auth.secret = "x"`, "", "filter", "@request.auth.secret", CodeRequest},
		{leads, `@request.auth.password = "x"`, "", "filter", "@request.auth.password", CodeRequest},
		{leads, `@request.auth.tokenKey = "x"`, "", "filter", "@request.auth.tokenKey", CodeRequest},
		{leads, `@request.auth.email = "x"`, "", "filter", "@request.auth.email", CodeRequest},
		{leads, `assignee = @request.auth.id`, "", "filter", "@request.auth.id", CodeRequest},
		{partners, `territories.name != "x"`, "", "filter", "territories.name", CodeMultiHop},
		{leads, `partner.territories.name = "x"`, "", "filter", "partner.territories.name", CodeDepth},
		{offers, `lead.partner.name = "x"`, "", "filter", "lead.partner.name", CodeDepth},
		{leads, `partner.segments ?= "a"`, "", "filter", "partner.segments", CodeMultiHop},
		{leads, `partner.territories = "x"`, "", "filter", "partner.territories", CodeMultiHop},
		{leads, `partner.meta.a = 1`, "", "filter", "partner.meta.a", CodeDepth},
		{leads, `partner.meta = "x"`, "", "filter", "partner.meta", CodeMultiHop},
		{leads, `source = "api"`, "", "filter", "source", CodeHidden},
		{leads, "", "source", "sort", "source", CodeHidden},
		{leads, `assignee.secret = "x"`, "", "filter", "assignee.secret", CodeHidden},
		{leads, `assignee.email = "x"`, "", "filter", "assignee.email", CodeHidden},
		{users, "", "email", "sort", "email", CodeHidden},
		{leads, `nope = 1`, "", "filter", "nope", CodeUnknown},
		{leads, `partner.nope = 1`, "", "filter", "partner.nope", CodeUnknown},
		{leads, `company.x = 1`, "", "filter", "company.x", CodeUnknown},
		{leads, `status:each = "x"`, "", "filter", "status:each", CodeModifier},
		{leads, `status:isset = true`, "", "filter", "status:isset", CodeModifier},
		{leads, `partner:each.name = "x"`, "", "filter", "partner:each.name", CodeModifier},
		{leads, `partner.name:length > 1`, "", "filter", "partner.name:length", CodeModifier},
		{leads, `evil(company) = 1`, "", "filter", "evil", CodeFunction},
		{leads, `geoDistance(leads_via_territory.score, 1, 2, 3) < 1`, "", "filter", "leads_via_territory.score", CodeBackRelation},
		{leads, `status = `, "", "filter", "", CodeSyntax},
		{leads, `(status = "a"`, "", "filter", "", CodeSyntax},
	} {
		err := Check(tc.coll, lookup, tc.filter, tc.sort)
		var d *Denied
		require.True(t, errors.As(err, &d), "filter %q sort %q: want a refusal, got %v", tc.filter, tc.sort, err)
		assert.Equal(t, tc.param, d.Param, tc.filter)
		assert.Equal(t, tc.path, d.Path, tc.filter)
		assert.Equal(t, tc.code, d.Code, tc.filter)
		assert.NotEmpty(t, d.Reason)
		assert.Contains(t, d.Error(), tc.param)
	}
}
