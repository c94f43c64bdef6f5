package migrations_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
	"github.com/relais/relais/migrations"
)

// columnsHolding returns "table.column" for every value of the main
// database holding word (case-insensitive).
func columnsHolding(t *testing.T, app core.App, word string) []string {
	t.Helper()
	var tables []string
	require.NoError(t, app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'table'").Column(&tables))
	var out []string
	for _, table := range tables {
		var cols []string
		require.NoError(t, app.DB().NewQuery("SELECT name FROM pragma_table_info('"+table+"')").Column(&cols))
		for _, c := range cols {
			var n int
			q := fmt.Sprintf(`SELECT COUNT(*) FROM "%s" WHERE LOWER(CAST("%s" AS TEXT)) LIKE {:w}`, table, c)
			require.NoError(t, app.DB().NewQuery(q).Bind(dbx.Params{"w": "%" + strings.ToLower(word) + "%"}).Row(&n))
			if n > 0 {
				out = append(out, table+"."+c)
			}
		}
	}
	sort.Strings(out)
	return out
}

// The private customers migration moves the names that leads written
// before it held in `company` to their contacts, flags the leads, and
// rewrites the copies (notification texts, opportunities, duplicate keys);
// businesses are left alone.
func TestPrivateCustomersMigrationMovesNames(t *testing.T) {
	app := testapp.New(t, "")
	exec := func(q string, params dbx.Params) {
		t.Helper()
		_, err := app.DB().NewQuery(q).Bind(params).Execute()
		require.NoError(t, err, q)
	}
	const now = "2026-01-10 10:00:00.000Z"
	// leads as the code before the migration wrote them (straight SQL: the
	// lead hooks of today refuse such a company)
	lead := func(id, company, segment string) {
		exec(`INSERT INTO leads (id, company, segment, status, country, postal_code, city, department, dedup_key, created, updated)
			VALUES ({:id}, {:c}, {:s}, 'offered', 'FR', '29200', 'Brest', '29', {:k}, {:now}, {:now})`,
			dbx.Params{"id": id, "c": company, "s": segment, "k": "", "now": now})
	}
	contact := func(id, lead, first, last, title string) {
		exec(`INSERT INTO lead_contacts (id, lead, first_name, last_name, title, email, created, updated)
			VALUES ({:id}, {:l}, {:f}, {:n}, {:t}, {:e}, {:now}, {:now})`,
			dbx.Params{"id": id, "l": lead, "f": first, "n": last, "t": title, "e": id + "@example.test", "now": now})
	}
	lead("lead00000000001", "Famille Blanchard", "residential")
	contact("cont00000000001", "lead00000000001", "Paul", "Blanchard", "")
	lead("lead00000000002", "Particulier Jean Dupont", "")
	contact("cont00000000002", "lead00000000002", "Jean", "", "")
	lead("lead00000000003", "Mme Claire Roux", "business")
	lead("lead00000000004", "SCI Les Tilleuls", "residential")
	contact("cont00000000004", "lead00000000004", "Paul", "Leroy", "")
	lead("lead00000000005", "Anne Canary", "farm")
	contact("cont00000000005", "lead00000000005", "Anne", "Canary", "Gérante")
	lead("lead00000000006", "Boulangerie Martin", "business")
	contact("cont00000000006", "lead00000000006", "Luc", "Martin", "Gérant")

	exec("UPDATE leads SET dedup_key = 'company:famille blanchard|29200' WHERE id = 'lead00000000001'", nil)
	exec(`INSERT INTO dedup_keys (id, key, kind, record, created, updated) VALUES
		('dkey00000000001', 'company:famille blanchard|29200', 'lead', 'lead00000000001', {:now}, {:now}),
		('dkey00000000002', 'email:cont00000000001@example.test', 'lead', 'lead00000000001', {:now}, {:now}),
		('dkey00000000006', 'company:boulangerie martin|29200', 'lead', 'lead00000000006', {:now}, {:now})`, dbx.Params{"now": now})
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	u := core.NewRecord(users)
	u.SetEmail("someone@example.test")
	u.SetPassword("a-long-password")
	u.Set("role", "admin")
	require.NoError(t, app.Save(u))
	user := u.Id
	exec(`INSERT INTO notifications (id, user, kind, lead, title, body, created, updated) VALUES
		('note00000000001', {:u}, 'offer', 'lead00000000001', 'Nouvelle offre / New offer: Famille Blanchard (Brest)', 'Famille Blanchard — 29200 Brest', {:now}, {:now}),
		('note00000000006', {:u}, 'offer', 'lead00000000006', 'Nouvelle offre / New offer: Boulangerie Martin (Brest)', 'Boulangerie Martin — 29200 Brest', {:now}, {:now})`,
		dbx.Params{"u": user, "now": now})
	exec(`INSERT INTO opportunities (id, lead, name, company, stage, created, updated) VALUES
		('oppo00000000001', 'lead00000000001', 'Famille Blanchard', 'Famille Blanchard', 'prospecting', {:now}, {:now}),
		('oppo00000000006', 'lead00000000006', 'Boulangerie Martin', 'Boulangerie Martin', 'prospecting', {:now}, {:now})`, dbx.Params{"now": now})

	require.NoError(t, app.RunInTransaction(func(tx core.App) error { return migrations.MovePrivateNames(tx.DB()) }))

	type row struct {
		Company string `db:"company"`
		Private bool   `db:"private"`
		Key     string `db:"dedup_key"`
	}
	leadRow := func(id string) row {
		var r row
		require.NoError(t, app.DB().NewQuery("SELECT company, private, dedup_key FROM leads WHERE id = {:id}").Bind(dbx.Params{"id": id}).One(&r))
		return r
	}
	for _, id := range []string{"lead00000000001", "lead00000000002", "lead00000000003", "lead00000000004", "lead00000000005"} {
		r := leadRow(id)
		assert.True(t, r.Private, id)
		assert.Empty(t, r.Company, id)
	}
	assert.Equal(t, row{Company: "Boulangerie Martin", Private: false}, leadRow("lead00000000006"), "businesses stay")
	assert.Equal(t, "email:cont00000000001@example.test", leadRow("lead00000000001").Key, "the primary key falls back to the e-mail")

	contactOf := func(lead string) [3]string {
		var r struct {
			First string `db:"first_name"`
			Last  string `db:"last_name"`
			Title string `db:"title"`
		}
		require.NoError(t, app.DB().NewQuery("SELECT first_name, last_name, title FROM lead_contacts WHERE lead = {:l}").Bind(dbx.Params{"l": lead}).One(&r))
		return [3]string{r.First, r.Last, r.Title}
	}
	assert.Equal(t, [3]string{"Paul", "Blanchard", ""}, contactOf("lead00000000001"), "the name was the contact's already")
	assert.Equal(t, [3]string{"Jean", "Dupont", ""}, contactOf("lead00000000002"), "the last name, without the first name")
	assert.Equal(t, [3]string{"", "Claire Roux", ""}, contactOf("lead00000000003"), "a new contact")
	assert.Equal(t, [3]string{"Paul", "Leroy", "SCI Les Tilleuls"}, contactOf("lead00000000004"), "another name goes to the title")
	assert.Equal(t, [3]string{"Anne", "Canary", "Gérante"}, contactOf("lead00000000005"))
	assert.Equal(t, [3]string{"Luc", "Martin", "Gérant"}, contactOf("lead00000000006"))

	// the copies: no name left outside lead_contacts
	for _, name := range []string{"Blanchard", "Dupont", "Claire Roux", "Tilleuls", "Canary"} {
		var hits []string
		for _, h := range columnsHolding(t, app, name) {
			if !strings.HasPrefix(h, "lead_contacts.") {
				hits = append(hits, h)
			}
		}
		assert.Empty(t, hits, name)
	}
	var title, body, oppName, oppCompany string
	require.NoError(t, app.DB().NewQuery("SELECT title, body FROM notifications WHERE id = 'note00000000001'").Row(&title, &body))
	assert.Equal(t, "Nouvelle offre / New offer: Particulier / Private customer (Brest)", title)
	assert.Equal(t, "Particulier / Private customer — 29200 Brest", body)
	require.NoError(t, app.DB().NewQuery("SELECT name, company FROM opportunities WHERE id = 'oppo00000000001'").Row(&oppName, &oppCompany))
	assert.Equal(t, "Particulier / Private customer", oppName)
	assert.Empty(t, oppCompany)
	// the business's copies stay
	require.NoError(t, app.DB().NewQuery("SELECT title FROM notifications WHERE id = 'note00000000006'").Row(&title))
	assert.Contains(t, title, "Boulangerie Martin")
	var keys int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM dedup_keys WHERE key = 'company:boulangerie martin|29200'").Row(&keys))
	assert.Equal(t, 1, keys)
}
