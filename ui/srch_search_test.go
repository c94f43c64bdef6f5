package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// contactOfLead sets the e-mail and last name of a lead's contact.
func contactOfLead(t *testing.T, e *env, lead *core.Record, email, last string) {
	t.Helper()
	ct, err := e.app.FindFirstRecordByData("lead_contacts", "lead", lead.Id)
	require.NoError(t, err)
	ct.Set("email", email)
	ct.Set("last_name", last)
	require.NoError(t, e.app.Save(ct))
}

// apiContactLeads are the leads of the contacts the REST API lists to a
// user with a filter.
func apiContactLeads(t *testing.T, e *env, email, filter string) []string {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	r := e.apiCall(http.MethodGet, "/api/collections/lead_contacts/records?fields=lead&perPage=200&filter="+url.QueryEscape(filter), token, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		Items []struct{ Lead string } `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	ids := []string{}
	for _, it := range out.Items {
		ids = append(ids, it.Lead)
	}
	return ids
}

// A partner's search by e-mail or contact name goes through the contact
// indexes and lead_contacts' rules: it finds its accepted leads' contacts,
// never the contact of a lead it has only been offered (masked) nor one of
// another partner's leads; the admin finds them all.
func TestLeadsSearchByContactNeverMatchesMaskedOrForeignContacts(t *testing.T) {
	e := newEnv(t)
	accepted := "status IN ('accepted','contacted','meeting','won','lost')"
	offered := e.leadWhere(dbx.NewExp("status = 'offered' AND partner != ''"), "created")
	partner := offered.GetString("partner")
	email := partnerUserOf(t, e, partner)
	own := e.leadWhere(dbx.NewExp(accepted+" AND partner = {:p} AND company != ''", dbx.Params{"p": partner}), "created")
	foreign := e.leadWhere(dbx.NewExp(accepted+" AND partner != {:p} AND partner != ''", dbx.Params{"p": partner}), "created")
	contactOfLead(t, e, offered, "srch.masked@example.org", "Srchmasked")
	contactOfLead(t, e, own, "srch.own@example.org", "Srchown")
	contactOfLead(t, e, foreign, "srch.foreign@example.org", "Srchforeign")
	setField(t, e, own, "company", "Srchcompany Énergie")
	setField(t, e, foreign, "company", "Srchcompany Toitures")

	// the rules: the partner reads its accepted lead's contact, not the others
	mine := apiContactLeads(t, e, email, `email ~ "srch."`)
	require.Equal(t, []string{own.Id}, mine, "the REST API lists the partner's accepted contact only")
	require.Contains(t, apiLeadIDs(t, e, email), offered.Id, "the partner sees the offered lead itself")

	admin := e.signedIn("admin@demo.test")
	p := e.signedIn(email)
	for q, want := range map[string]string{
		"srch.masked@example.org": offered.Id, "SRCH.MASKED@EXAMPLE.ORG": offered.Id, "srchmasked": offered.Id,
		"srch.foreign@example.org": foreign.Id, "Srchforeign": foreign.Id,
		"srch.own@example.org": own.Id, "srchown": own.Id,
	} {
		ids, total, _ := searchLeads(t, admin, q)
		assert.Equal(t, []string{want}, ids, "admin searches %q", q)
		assert.Equal(t, 1, total, "admin searches %q", q)
		ids, total, r := searchLeads(t, p, q)
		if want == own.Id {
			assert.Equal(t, []string{own.Id}, ids, "the partner finds its accepted lead by %q", q)
			assert.Equal(t, 1, total)
			continue
		}
		assert.Empty(t, ids, "the partner matches no masked or foreign contact: %q", q)
		assert.Equal(t, 0, total, "%q", q)
		assert.NotContains(t, r.Body, foreign.Id)
		assert.NotContains(t, r.Body, offered.Id)
	}

	// a word of the company and one of the contact: both must match
	ids, _, _ := searchLeads(t, p, "Srchcompany srchown")
	assert.Equal(t, []string{own.Id}, ids, "company word and contact name")
	ids, total, r := searchLeads(t, p, "Srchcompany")
	assert.Equal(t, []string{own.Id}, ids, "another partner's company gives nothing")
	assert.Equal(t, 1, total)
	assert.NotContains(t, r.Body, "Toitures")
	ids, _, _ = searchLeads(t, p, "Srchcompany srchforeign")
	assert.Empty(t, ids, "a foreign contact does not complete the partner's own company")
	ids, _, _ = searchLeads(t, admin, "Srchcompany srchforeign")
	assert.Equal(t, []string{foreign.Id}, ids)

	// a contact matches from the beginning of its e-mail or name
	ids, _, _ = searchLeads(t, admin, "masked@example.org")
	assert.Empty(t, ids, "the middle of an e-mail is not its beginning")
}
