// Package campaigns holds the marketing campaigns and their budgets, which
// the ROI report by source and campaign divides by the deals won
// (reports.ROI): the checks of the admin form and its writes through the
// UI write path (the campaigns rules compiled from the matrix: admins
// write, internal roles read, partner roles nothing).
package campaigns

import (
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/money"
	"github.com/relais/relais/hooks/writepath"
)

// Channels are the values of campaigns.channel.
var Channels = []string{"email", "phone", "event", "web", "partner", "other"}

// Sources are the values of campaigns.source: the lead source the
// campaign brings leads through (leads.source).
var Sources = []string{"web", "phone", "campaign", "import", "api", "partner"}

// Input is the campaign form as submitted: dates as YYYY-MM-DD, the budget
// in euros written the French or the English way ("12 000,50").
type Input struct {
	Name, Channel, Source, Starts, Ends, Budget string
}

// Body checks a campaign form and returns the record body; a bad field is
// a domain.Error of kind invalid naming the field.
func Body(in Input) (map[string]any, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 200 {
		return nil, domain.Invalid("campaign_name", "name", "a campaign needs a name (200 characters at most)")
	}
	if in.Channel != "" && !slices.Contains(Channels, in.Channel) {
		return nil, domain.Invalid("campaign_channel", "channel", "unknown channel")
	}
	if !slices.Contains(Sources, in.Source) {
		return nil, domain.Invalid("campaign_source", "source", "choose the lead source of the campaign")
	}
	var starts, ends time.Time
	for _, d := range []struct {
		field, v string
		t        *time.Time
	}{{"starts", in.Starts, &starts}, {"ends", in.Ends, &ends}} {
		if strings.TrimSpace(d.v) == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", strings.TrimSpace(d.v))
		if err != nil {
			return nil, domain.Invalid("campaign_date", d.field, "dates are written YYYY-MM-DD")
		}
		*d.t = t
	}
	if !starts.IsZero() && !ends.IsZero() && ends.Before(starts) {
		return nil, domain.Invalid("campaign_period", "ends", "the campaign ends before it starts")
	}
	budget := 0.0
	if strings.TrimSpace(in.Budget) != "" {
		v, err := money.Parse(in.Budget)
		if err != nil {
			return nil, domain.Invalid("campaign_budget", "budget", "the budget is an amount in euros, 0 or more")
		}
		budget = v
	}
	body := map[string]any{"name": name, "channel": in.Channel, "source": in.Source, "budget": budget, "starts": "", "ends": ""}
	if !starts.IsZero() {
		body["starts"] = starts
	}
	if !ends.IsZero() {
		body["ends"] = ends
	}
	return body, nil
}

// Save creates (id "") or updates a campaign for by through the write
// path: the campaigns rules decide (admins by default), the change is
// audited by the record hooks.
func Save(app core.App, by access.By, id string, in Input) (*core.Record, error) {
	body, err := Body(in)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return writepath.CreateFor(app, by, "campaigns", body)
	}
	return writepath.UpdateFor(app, by, "campaigns", id, body)
}
