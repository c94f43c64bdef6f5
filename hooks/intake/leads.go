package intake

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/privacy"
)

// PrepareLead fills the derived fields of a lead created through the
// API or the UI: creator, default status, département and territory. A
// new lead starts in the pool (initialStatusOf).
func PrepareLead(app core.App, user *core.Record, lead *core.Record) error {
	if user != nil && user.Collection().Name == "users" {
		lead.Set("created_by", user.Id)
	}
	if err := initialStatusOf(app, lead); err != nil {
		return err
	}
	if lead.GetString("country") == "" {
		lead.Set("country", "FR")
	}
	if geo.IsFrance(lead.GetString("country")) {
		d, t, ok, err := DerivePlace(app, lead.GetString("postal_code"))
		if err != nil {
			return err
		}
		if ok {
			lead.Set("department", d)
			if t != "" {
				lead.Set("territory", t)
			}
		}
	}
	company := lead.GetString("company")
	if privacy.IsPrivate(privacy.Lead{Company: company, Segment: lead.GetString("segment"), Private: lead.GetBool("private")}) {
		company = "" // a private customer's lead keeps no key derived from a name
	}
	keys := dedup.Keys(dedup.Input{Company: company, PostalCode: lead.GetString("postal_code")})
	lead.Set("dedup_key", dedup.Primary(keys))
	return nil
}

// DerivePlace derives the département and the territory (the first whose
// départements or postal prefixes match; "" for none) of a French postal
// code, as for every lead. ok is false when the postal code names no
// département.
func DerivePlace(app core.App, postal string) (dept, territory string, ok bool, err error) {
	dept, derr := geo.DepartementFromPostalCode("FR", postal)
	if derr != nil {
		return "", "", false, nil
	}
	it, err := NewIntake(app)
	if err != nil {
		return "", "", false, err
	}
	if t, found := geo.Match("FR", postal, dept, it.territories); found {
		territory = t.ID
	}
	return dept, territory, true, nil
}

// TerritoryOf derives the territory of a French postal code.
func TerritoryOf(app core.App, postal string) (string, error) {
	_, t, _, err := DerivePlace(app, postal)
	return t, err
}

// initialStatusOf checks the status a lead is created with: new (the
// default), qualifying, or ready when its score reaches the threshold. A
// lead is never created offered, accepted, won or lost: those statuses
// come from the distribution and the partner's work.
func initialStatusOf(app core.App, lead *core.Record) error {
	switch lead.GetString("status") {
	case "":
		lead.Set("status", lifecycle.StatusNew)
	case lifecycle.StatusNew, lifecycle.StatusQualifying:
	case lifecycle.StatusReady:
		settings, err := access.LoadSettings(app)
		if err != nil {
			return err
		}
		if lead.GetInt("score") < settings.ScoreThreshold {
			return domain.Invalid("below_threshold", "status", "a lead is created ready only when its score reaches the threshold")
		}
	default:
		return domain.Invalid("invalid_initial_status", "status", "a lead is created new, qualifying or ready")
	}
	return nil
}
