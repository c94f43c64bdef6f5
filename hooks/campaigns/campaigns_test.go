package campaigns

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/domain"
)

func TestBody(t *testing.T) {
	ok := Input{Name: " Salon ", Channel: "event", Source: "campaign", Starts: "2026-03-01", Ends: "2026-03-03", Budget: "12 000,50"}
	body, err := Body(ok)
	require.NoError(t, err)
	assert.Equal(t, "Salon", body["name"])
	assert.InDelta(t, 12000.5, body["budget"], 1e-9)
	assert.Equal(t, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), body["ends"])
	body, err = Body(Input{Name: "Sans dates", Source: "web"})
	require.NoError(t, err)
	assert.Equal(t, "", body["starts"], "no dates: cleared")
	assert.InDelta(t, 0.0, body["budget"], 0, "no budget: 0")

	for _, c := range []struct {
		name, code, field string
		edit              func(*Input)
	}{
		{"no name", "campaign_name", "name", func(in *Input) { in.Name = "  " }},
		{"unknown channel", "campaign_channel", "channel", func(in *Input) { in.Channel = "tv" }},
		{"no source", "campaign_source", "source", func(in *Input) { in.Source = "" }},
		{"bad date", "campaign_date", "starts", func(in *Input) { in.Starts = "01/03/2026" }},
		{"ends before it starts", "campaign_period", "ends", func(in *Input) { in.Ends = "2026-02-01" }},
		{"negative budget", "campaign_budget", "budget", func(in *Input) { in.Budget = "-5" }},
		{"not an amount", "campaign_budget", "budget", func(in *Input) { in.Budget = "beaucoup" }},
	} {
		in := ok
		c.edit(&in)
		_, err := Body(in)
		var de *domain.Error
		require.ErrorAs(t, err, &de, c.name)
		assert.Equal(t, c.code, de.Code, c.name)
		assert.Equal(t, c.field, de.Field, c.name)
		assert.Equal(t, domain.KindInvalid, de.Kind, c.name)
	}
}
