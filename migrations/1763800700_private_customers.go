package migrations

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(addPrivateCustomers, nil)
}

// A private customer's name is a contact detail (SPEC §3.3.3): it moves to
// lead_contacts, whose rules open it to a partner only after acceptance,
// and the lead keeps a non-secret flag `private` with an empty `company`
// (not required any more: the lead hooks require it for the other leads).
//
// Everything below is frozen: the schema edit is literal and the data move
// is plain SQL, so that replaying this migration later does what it did
// the day it was written whatever the live code has become. It is not
// reversible (the names stay in lead_contacts).

// privatePrefixes are the words that announced a person in a lead's
// company field when this migration was written (the web form wrote
// "Particulier <first> <last>", the demo "Famille <surname>"), lower-case,
// longest first.
var privatePrefixes = []string{
	"monsieur et madame", "mr. and mrs.", "mr and mrs", "m. et mme", "m et mme", "m. & mme",
	"private customer", "private individual", "particulière", "particuliers", "particulier", "mademoiselle",
	"household", "consorts", "monsieur", "famille", "madame", "époux", "epoux", "mister",
	"mlle.", "mlle", "mme.", "mme", "mrs.", "mrs", "mr.", "ms.", "m.",
}

// privateLeadCondition is true for a lead of a private customer: a
// residential one, or one whose company starts with a person prefix or
// equals its contact's name.
func privateLeadCondition() string {
	conds := []string{"leads.segment = 'residential'"}
	for _, p := range privatePrefixes {
		conds = append(conds, fmt.Sprintf("LOWER(TRIM(leads.company)) = '%s' OR LOWER(TRIM(leads.company)) LIKE '%s %%'", p, p))
	}
	conds = append(conds, `EXISTS (SELECT 1 FROM lead_contacts c WHERE c.lead = leads.id AND TRIM(c.first_name) != '' AND TRIM(c.last_name) != ''
		AND LOWER(TRIM(leads.company)) IN (LOWER(TRIM(c.first_name) || ' ' || TRIM(c.last_name)), LOWER(TRIM(c.last_name) || ' ' || TRIM(c.first_name))))`)
	return "(" + strings.Join(conds, " OR ") + ")"
}

// namePartSQL is the name a private lead's company held, without its
// person prefix ("Famille Blanchard" → "Blanchard"; a bare prefix → "").
func namePartSQL() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, p := range privatePrefixes {
		fmt.Fprintf(&b, " WHEN LOWER(TRIM(company)) = '%s' THEN ''", p)
		fmt.Fprintf(&b, " WHEN LOWER(TRIM(company)) LIKE '%s %%' THEN TRIM(SUBSTR(TRIM(company), %d))", p, len([]rune(p))+2)
	}
	b.WriteString(" ELSE TRIM(company) END")
	return b.String()
}

// privateNoun replaced the name in the stored texts that quoted it.
const privateNoun = "Particulier / Private customer"

// sqlNow is PocketBase's stored date format for the autodate fields.
const sqlNow = "STRFTIME('%Y-%m-%d %H:%M:%fZ', 'now')"

func addPrivateCustomers(app core.App) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	company, ok := leads.Fields.GetByName("company").(*core.TextField)
	if !ok {
		return fmt.Errorf("leads.company is not a text field")
	}
	company.Required = false
	leads.Fields.Add(boolean("private"))
	// The compiled write rules forbid partner roles every lead field they
	// may not send, in name order: `private` comes right after
	// `postal_code` (the edit the policy compiler makes for the new field).
	const after = "@request.body.postal_code:isset = false"
	for _, r := range []**string{&leads.CreateRule, &leads.UpdateRule} {
		if *r != nil {
			edited := strings.ReplaceAll(**r, after, after+" && @request.body.private:isset = false")
			*r = &edited
		}
	}
	if err := app.Save(leads); err != nil {
		return fmt.Errorf("leads: %w", err)
	}
	return movePrivateNames(app.DB())
}

// movePrivateNames flags the leads of private customers and moves the
// names their company held to their contacts, rewriting the texts that
// quoted them (plain SQL, in the migration's transaction).
func movePrivateNames(db dbx.Builder) error {
	steps := []string{
		"UPDATE leads SET private = 1 WHERE " + privateLeadCondition(),
		// the name, as each private lead's company held it
		"DROP TABLE IF EXISTS temp.private_names",
		"CREATE TEMP TABLE private_names AS SELECT id AS lead, TRIM(company) AS company, " + namePartSQL() +
			" AS name FROM leads WHERE private = 1 AND TRIM(company) != ''",
		// stored texts quoting it: notification titles and bodies (the
		// offer e-mails were sent from them), opportunities opened from the lead
		`UPDATE notifications SET
			title = REPLACE(title, (SELECT company FROM temp.private_names p WHERE p.lead = notifications.lead), '` + privateNoun + `'),
			body = REPLACE(body, (SELECT company FROM temp.private_names p WHERE p.lead = notifications.lead), '` + privateNoun + `')
			WHERE lead IN (SELECT lead FROM temp.private_names)`,
		`UPDATE opportunities SET
			name = REPLACE(name, (SELECT company FROM temp.private_names p WHERE p.lead = opportunities.lead), '` + privateNoun + `'),
			company = CASE WHEN company = (SELECT company FROM temp.private_names p WHERE p.lead = opportunities.lead) THEN '' ELSE company END
			WHERE lead IN (SELECT lead FROM temp.private_names)`,
		// duplicate keys derived from the name; the lead's primary key falls
		// back to its strongest remaining key
		`DELETE FROM dedup_keys WHERE kind = 'lead' AND key LIKE 'company:%' AND record IN (SELECT id FROM leads WHERE private = 1)`,
		`UPDATE leads SET dedup_key = COALESCE((SELECT k.key FROM dedup_keys k WHERE k.kind = 'lead' AND k.record = leads.id
			ORDER BY CASE SUBSTR(k.key, 1, INSTR(k.key, ':') - 1) WHEN 'siren' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2
			WHEN 'company' THEN 3 WHEN 'domain' THEN 4 ELSE 5 END, k.key LIMIT 1), '')
			WHERE private = 1 AND dedup_key LIKE 'company:%'`,
		// the name moves to the contact: a new contact when the lead has none
		`INSERT INTO lead_contacts (id, lead, last_name, created, updated)
			SELECT SUBSTR(LOWER(HEX(RANDOMBLOB(8))), 1, 15), p.lead, SUBSTR(p.name, 1, 100), ` + sqlNow + `, ` + sqlNow + `
			FROM temp.private_names p WHERE p.name != '' AND NOT EXISTS (SELECT 1 FROM lead_contacts c WHERE c.lead = p.lead)`,
		// the last name of a contact without one (less the first name it repeats)
		`UPDATE lead_contacts SET last_name = SUBSTR((SELECT CASE
				WHEN TRIM(lead_contacts.first_name) != '' AND LOWER(p.name) LIKE LOWER(TRIM(lead_contacts.first_name)) || ' %'
				THEN TRIM(SUBSTR(p.name, LENGTH(TRIM(lead_contacts.first_name)) + 2)) ELSE p.name END
				FROM temp.private_names p WHERE p.lead = lead_contacts.lead), 1, 100)
			WHERE TRIM(last_name) = '' AND lead IN (SELECT lead FROM temp.private_names WHERE name != '')`,
		// else the title, unless the contact already holds that name
		`UPDATE lead_contacts SET title = SUBSTR((SELECT CASE WHEN TRIM(lead_contacts.title) = '' THEN p.name
				ELSE TRIM(lead_contacts.title) || ' · ' || p.name END FROM temp.private_names p WHERE p.lead = lead_contacts.lead), 1, 120)
			WHERE lead IN (SELECT p.lead FROM temp.private_names p WHERE p.name != ''
				AND LOWER(p.name) NOT IN (LOWER(TRIM(lead_contacts.last_name)), LOWER(TRIM(lead_contacts.first_name) || ' ' || TRIM(lead_contacts.last_name)),
					LOWER(TRIM(lead_contacts.last_name) || ' ' || TRIM(lead_contacts.first_name)))
				AND INSTR(LOWER(lead_contacts.title), LOWER(p.name)) = 0)`,
		"UPDATE leads SET company = '' WHERE private = 1 AND company != ''",
		"DROP TABLE temp.private_names",
	}
	for i, q := range steps {
		if _, err := db.NewQuery(q).Execute(); err != nil {
			return fmt.Errorf("private customers, step %d: %w", i+1, err)
		}
	}
	return nil
}
