package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every text exists in both languages, and every message has a title and
// a body.
func TestCatalogueIsComplete(t *testing.T) {
	for id := range catalogue["fr"] {
		assert.Contains(t, catalogue["en"], id, "en lacks "+id)
	}
	for id := range catalogue["en"] {
		assert.Contains(t, catalogue["fr"], id, "fr lacks "+id)
		if strings.HasSuffix(id, ".title") {
			assert.Contains(t, catalogue["en"], strings.TrimSuffix(id, ".title")+".body", id)
		}
	}
}

// sampleMessages are the messages the senders build, with sample values.
func sampleMessages() []Message {
	accept := time.Date(2026, 12, 4, 17, 5, 0, 0, time.UTC)
	opp := []any{"opportunity", "Toiture Dupont", "amount", Money(12480.5), "company", "Dupont SA", "id", "opp1"}
	return []Message{
		Msg("offer", "lead", "Ferme du Lac", "postal_code", "29200", "city", "Brest", "segment", Label("segment", "farm"), "score", 80,
			"interest", "Toiture 200 m²\nBâtiment agricole", "accept_by", Time(accept)),
		Msg("offer", "lead", Private(), "postal_code", "35000", "city", "Rennes", "segment", Label("segment", "residential"), "score", 70, "accept_by", Time(accept)),
		Msg("back_to_pool", "lead", "Ferme du Lac", "city", "Brest"),
		Msg("registration", append(opp, "postal_code", "35000", "conflicts", List("conflict.item", []map[string]Arg{
			{"kind": Label("conflict", "lead"), "record": {V: "l1"}, "who": Label("who", "pool"), "keys": {V: "siren"}}}))...),
		Msg("registration", append(opp, "postal_code", "35000")...),
		Msg("registration_approved", append(opp, "until", Day(accept))...),
		Msg("registration_rejected", append(opp, "reason", "doublon")...),
		Msg("win_to_validate", opp...),
		Msg("win_validated", append(opp, "note", "ok")...),
		Msg("win_rejected", append(opp, "note", "")...),
		Msg("access_request", "kind", Label("request_kind", "export"), "details", "leads"),
		Msg("access_approved", "expires", Time(accept), "reason", "salon"),
		Msg("access_rejected", "reason", "non"),
	}
}

// Each message is written in one language: no bilingual pairs, no raw UTC,
// dates in Paris time, values per language, line breaks kept.
func TestRenderIsInOneLanguage(t *testing.T) {
	for _, m := range sampleMessages() {
		for _, lang := range []string{"fr", "en"} {
			title, body, err := Render(lang, m)
			require.NoError(t, err, m.ID)
			text := title + "\n" + body
			assert.NotEmpty(t, title, m.ID)
			assert.NotContains(t, text, " / ", m.ID+" "+lang+": one language")
			assert.NotContains(t, text, "UTC", m.ID)
			assert.NotContains(t, text, "<no value>", m.ID)
			assert.NotContains(t, text, "2026-12-04", m.ID+": no raw date")
			other := map[string]string{"fr": "en", "en": "fr"}[lang]
			otherTitle, _, err := Render(other, m)
			require.NoError(t, err)
			if !strings.HasPrefix(m.ID, "access_request") {
				assert.NotEqual(t, otherTitle, title, m.ID+": each language its own text")
			}
		}
	}
	_, body, err := Render("fr", sampleMessages()[0])
	require.NoError(t, err)
	assert.Contains(t, body, "4 déc. 2026 à 18:05 (heure de Paris)", "17:05 UTC is 18:05 in Paris in winter")
	assert.Contains(t, body, "Segment : Agricole")
	assert.Contains(t, body, "Toiture 200 m²\nBâtiment agricole\n", "line breaks kept")
	_, body, err = Render("en", sampleMessages()[0])
	require.NoError(t, err)
	assert.Contains(t, body, "Dec 4, 2026, 6:05 PM (Paris time)")
	assert.Contains(t, body, "Segment: Farm")
	title, _, err := Render("en", sampleMessages()[1])
	require.NoError(t, err)
	assert.Equal(t, "New offer: Private customer (Rennes)", title)
	title, _, err = Render("fr", sampleMessages()[1])
	require.NoError(t, err)
	assert.Equal(t, "Nouvelle offre : Particulier (Rennes)", title)
	_, body, err = Render("fr", sampleMessages()[3])
	require.NoError(t, err)
	assert.Contains(t, body, "Toiture Dupont (12\u00a0480,50\u00a0€)")
	assert.Contains(t, body, "Conflit : lead l1 (pool central), siren")
}

func TestFormatTimeInParis(t *testing.T) {
	for _, c := range []struct {
		at     time.Time
		fr, en string
		frDay  string
	}{
		{time.Date(2026, 7, 14, 22, 30, 0, 0, time.UTC), "15 juil. 2026 à 00:30", "Jul 15, 2026, 12:30 AM", "15 juil. 2026"},
		{time.Date(2026, 1, 2, 8, 0, 0, 0, time.UTC), "2 janv. 2026 à 09:00", "Jan 2, 2026, 9:00 AM", "2 janv. 2026"},
	} {
		assert.Equal(t, c.fr, FormatTime("fr", c.at))
		assert.Equal(t, c.en, FormatTime("en", c.at))
		assert.Equal(t, c.frDay, FormatDate("fr", c.at))
	}
	assert.Equal(t, "€12,480.50", FormatMoney("en", 12480.5))
	assert.Equal(t, "12\u00a0480\u00a0€", FormatMoney("fr", 12480))
}

func TestLink(t *testing.T) {
	assert.Equal(t, "/notifications/n1/open", Link("n1"))
	assert.Equal(t, "/leads/abc", LeadLink("abc"))
}
