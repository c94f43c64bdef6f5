package migrations_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
	"github.com/relais/relais/migrations"
)

// The decline codes migration maps the labels the decline form wrote in
// either language (alone or with details) to one code, the details to the
// note, any other text to "other" with the text as note; the stored reason
// stays readable, and other outcomes are left alone.
func TestDeclineCodesMigrationMapsBothLanguages(t *testing.T) {
	app := testapp.New(t, "")
	exec := func(q string, params dbx.Params) {
		t.Helper()
		_, err := app.DB().NewQuery(q).Bind(params).Execute()
		require.NoError(t, err, q)
	}
	const now = "2026-01-10 10:00:00.000Z"
	exec(`INSERT INTO partners (id, name, kind, tier, status, created, updated) VALUES ('part00000000001', 'P', 'installer', 'standard', 'active', {:now}, {:now})`, dbx.Params{"now": now})
	exec(`INSERT INTO leads (id, company, segment, status, country, postal_code, city, department, created, updated)
		VALUES ('lead00000000001', 'Ferme', 'farm', 'ready', 'FR', '29200', 'Brest', '29', {:now}, {:now})`, dbx.Params{"now": now})
	cases := map[string]struct{ reason, outcome, code, note string }{
		"offr00000000001": {"Segment non traité", "declined", "segment", ""},
		"offr00000000002": {"Segment we do not serve", "declined", "segment", ""},
		"offr00000000003": {"Segment non traité: que du tertiaire", "declined", "segment", "que du tertiaire"},
		"offr00000000004": {"Capacity reached this month: back in January", "declined", "capacity", "back in January"},
		"offr00000000005": {"Hors de notre zone d'intervention", "declined", "zone", ""},
		"offr00000000006": {"Project too small", "declined", "size", ""},
		"offr00000000007": {"Trop loin", "declined", "other", "Trop loin"},
		"offr00000000008": {"reassigned", "withdrawn", "", ""},
		"offr00000000009": {"", "declined", "", ""},
	}
	for id, c := range cases {
		exec(`INSERT INTO lead_offers (id, lead, partner, outcome, reason, reason_code, reason_note, offered_at, created, updated)
			VALUES ({:id}, 'lead00000000001', 'part00000000001', {:o}, {:r}, '', '', {:now}, {:now}, {:now})`,
			dbx.Params{"id": id, "o": c.outcome, "r": c.reason, "now": now})
	}
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		n, err := migrations.CodeDeclineReasons(tx.DB())
		assert.Equal(t, 7, n, "the declines with a reason")
		return err
	}))
	for id, c := range cases {
		var got struct {
			Reason string `db:"reason"`
			Code   string `db:"reason_code"`
			Note   string `db:"reason_note"`
		}
		require.NoError(t, app.DB().NewQuery("SELECT reason, reason_code, reason_note FROM lead_offers WHERE id = {:id}").Bind(dbx.Params{"id": id}).One(&got))
		assert.Equal(t, c.code, got.Code, c.reason)
		assert.Equal(t, c.note, got.Note, c.reason)
		assert.Equal(t, c.reason, got.Reason, "the old text stays readable")
	}
}
