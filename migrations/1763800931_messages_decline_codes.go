package migrations

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A declined offer's reason is a code (reason_code) plus an optional note
// (reason_note) instead of the label of the decline form in the decliner's
// language followed by the details: "Segment non traité" and "Segment we
// do not serve" were counted apart. The existing declines get their code
// from the labels of both languages as the form wrote them (frozen here),
// the details as note; any other text becomes code "other" with the text
// as note. The `reason` column keeps what it held (old data stay
// readable); the decline rollups are rebuilt by code at the next start.

func init() {
	m.Register(declineCodesUp, declineCodesDown)
}

// declineCodes1763800931 are the decline reason codes of this migration.
var declineCodes1763800931 = []string{"capacity", "zone", "segment", "size", "other"}

// declineLabels1763800931 are the decline form's labels when this
// migration was written, in both languages.
var declineLabels1763800931 = [][2]string{
	{"Capacité atteinte ce mois-ci", "capacity"}, {"Capacity reached this month", "capacity"},
	{"Segment non traité", "segment"}, {"Segment we do not serve", "segment"},
	{"Chantier trop petit", "size"}, {"Project too small", "size"},
	{"Hors de notre zone d'intervention", "zone"}, {"Outside our service area", "zone"},
}

// declineCode1763800931 reads a stored reason as this migration does.
func declineCode1763800931(text string) (code, note string) {
	text = strings.TrimSpace(text)
	for _, c := range declineCodes1763800931 {
		if text == c {
			return c, ""
		}
	}
	for _, l := range declineLabels1763800931 {
		label := l[0]
		if strings.EqualFold(text, label) {
			return l[1], ""
		}
		if len(text) > len(label) && strings.EqualFold(text[:len(label)], label) && strings.HasPrefix(text[len(label):], ":") {
			return l[1], strings.TrimSpace(text[len(label)+1:])
		}
	}
	return "other", text
}

func declineCodesUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("lead_offers")
	if err != nil {
		return err
	}
	c.Fields.Add(selectOne("reason_code", declineCodes1763800931), text("reason_note", 500))
	if err := app.Save(c); err != nil {
		return err
	}
	n, err := codeDeclineReasons(app.DB())
	if err != nil || n == 0 {
		// no decline had a reason: the rollups' reasons ('') are already
		// the codes ('')
		return err
	}
	return rebuildAtStart(app, rollups)
}

// codeDeclineReasons gives the declined offers without a code the code and
// note read from their reason (declineCode1763800931); it returns how many
// it coded.
func codeDeclineReasons(db dbx.Builder) (int, error) {
	rows := []struct {
		ID     string `db:"id"`
		Reason string `db:"reason"`
	}{}
	if err := db.NewQuery("SELECT id, reason FROM lead_offers WHERE outcome = 'declined' AND reason_code = '' AND TRIM(reason) != ''").All(&rows); err != nil {
		return 0, err
	}
	for _, r := range rows {
		code, note := declineCode1763800931(r.Reason)
		if len([]rune(note)) > 500 {
			note = string([]rune(note)[:500])
		}
		if _, err := db.NewQuery("UPDATE lead_offers SET reason_code = {:c}, reason_note = {:n} WHERE id = {:id}").
			Bind(dbx.Params{"c": code, "n": note, "id": r.ID}).Execute(); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

func declineCodesDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("lead_offers")
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("reason_code")
	c.Fields.RemoveByName("reason_note")
	if err := app.Save(c); err != nil {
		return err
	}
	return rebuildAtStart(app, rollups)
}
