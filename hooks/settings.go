package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// SettingsID is the id of the single settings_prm record.
const SettingsID = "relaissettings1"

// Settings are the business settings (settings_prm) with defaults.
type Settings struct {
	ScoreThreshold      int
	DefaultAcceptHours  int
	MaxOffers           int
	InactivityDays      int
	SuspendInactive     bool
	ExportRowCap        int
	PartnerPageCap      int
	ProtectionDays      int
	WonValidationAmount float64
	WebFormKeys         []string
	// SessionIdleMinutes and SessionMaxHours end a UI or API session
	// unused for that long, or that old (session_store.go).
	SessionIdleMinutes int
	SessionMaxHours    int
}

// LoadSettings returns settings_prm, falling back to defaults for unset
// values (and for a missing record). It reads from memory outside
// transactions (the cache is reset whenever settings_prm changes, see
// caches.go) and from the database inside one. A read error is returned:
// callers refuse to act rather than act on defaults.
func LoadSettings(app core.App) (Settings, error) {
	e, err := cachedSettings(app)
	if err != nil {
		return Settings{}, err
	}
	s := e.s
	s.WebFormKeys = slices.Clone(s.WebFormKeys)
	return s, nil
}

// settingsFrom parses the settings_prm record (nil: defaults).
func settingsFrom(r *core.Record) Settings {
	s := Settings{ScoreThreshold: 60, DefaultAcceptHours: 48, MaxOffers: 3, InactivityDays: 90, ExportRowCap: 10000, PartnerPageCap: 50, ProtectionDays: 90, WonValidationAmount: 50000}
	s.SessionIdleMinutes, s.SessionMaxHours = 480, 24
	if r == nil {
		return s
	}
	setInt := func(dst *int, field string) {
		if v := r.GetInt(field); v > 0 {
			*dst = v
		}
	}
	s.ScoreThreshold = r.GetInt("score_threshold")
	setInt(&s.DefaultAcceptHours, "default_accept_hours")
	setInt(&s.MaxOffers, "max_offers")
	setInt(&s.InactivityDays, "inactivity_days")
	setInt(&s.ExportRowCap, "export_row_cap")
	setInt(&s.PartnerPageCap, "partner_page_cap")
	setInt(&s.ProtectionDays, "protection_days")
	setInt(&s.SessionIdleMinutes, "session_idle_minutes")
	setInt(&s.SessionMaxHours, "session_max_hours")
	if v := r.GetFloat("won_validation_amount"); v > 0 {
		s.WonValidationAmount = v
	}
	s.SuspendInactive = r.GetBool("suspend_inactive")
	s.WebFormKeys = r.GetStringSlice("web_form_keys")
	return s
}
