package access

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/assign"
)

// SettingsID is the id of the single settings_prm record.
const SettingsID = "relaissettings1"

// Settings are the business settings (settings_prm) with defaults.
type Settings struct {
	// ScoreThreshold is the score from which a lead becomes ready (0: no
	// threshold).
	ScoreThreshold     int
	DefaultAcceptHours int
	MaxOffers          int
	// InactivityDays flags (and with SuspendInactive deactivates)
	// accounts unused for that long; 0 turns the check off.
	InactivityDays      int
	SuspendInactive     bool
	ExportRowCap        int
	PartnerPageCap      int
	ProtectionDays      int
	WonValidationAmount float64
	WebFormKeys         []string
	// SessionIdleMinutes and SessionMaxHours end a UI or API session
	// unused for that long, or that old (package sessions).
	SessionIdleMinutes int
	SessionMaxHours    int
	// OfferReminderHours is how long before an offer's deadline its
	// assignee and partner managers are reminded (once).
	OfferReminderHours int
	// DigestStaleDays: the daily digest lists the pipeline leads unchanged
	// for that long.
	DigestStaleDays int
	// CertRequirements say which leads need which installer certificate
	// (settings_prm certificate_rules; unset or unreadable: the default,
	// an empty list: none).
	CertRequirements []assign.CertRequirement
	// IntegrationPasswordOff refuses password logins of integration
	// accounts (they use API keys: package apikeys).
	IntegrationPasswordOff bool
	// MFARequired makes admins and channel managers give an e-mailed code
	// after their password (package hooks/account).
	MFARequired bool
}

// Defaults of the partner page cap and the export row cap (also used by
// tests and the UI's own limits).
const (
	DefaultExportRowCap   = 10000
	DefaultPartnerPageCap = 50
)

// DefaultSettings are the settings without a settings_prm record. With the
// record, a value left at 0 keeps its default, except the score threshold
// and the inactivity days, where 0 means "no threshold" and "off" (the
// migration that creates the record writes the same values).
func DefaultSettings() Settings {
	return Settings{
		ScoreThreshold: 60, DefaultAcceptHours: 48, MaxOffers: 3, ExportRowCap: DefaultExportRowCap,
		PartnerPageCap: DefaultPartnerPageCap, ProtectionDays: 90, WonValidationAmount: 50000,
		SessionIdleMinutes: 480, SessionMaxHours: 24, OfferReminderHours: 4, DigestStaleDays: 7,
		CertRequirements: assign.DefaultCertRequirements(),
	}
}

// LoadSettings returns settings_prm, falling back to defaults for unset
// values (and for a missing record). It reads from memory outside
// transactions (the cache is reset whenever settings_prm changes, see
// caches.go) and from the database inside one. A read error is returned:
// callers refuse to act rather than act on defaults.
func LoadSettings(app core.App) (Settings, error) {
	s, err := cachedSettings(app)
	if err != nil {
		return Settings{}, err
	}
	s.WebFormKeys = slices.Clone(s.WebFormKeys)
	s.CertRequirements = slices.Clone(s.CertRequirements)
	return s, nil
}

// settingsFrom parses the settings_prm record (nil: DefaultSettings).
func settingsFrom(r *core.Record) Settings {
	s := DefaultSettings()
	if r == nil {
		return s
	}
	setInt := func(dst *int, field string) {
		if v := r.GetInt(field); v > 0 {
			*dst = v
		}
	}
	s.ScoreThreshold = r.GetInt("score_threshold")
	s.InactivityDays = r.GetInt("inactivity_days")
	setInt(&s.DefaultAcceptHours, "default_accept_hours")
	setInt(&s.MaxOffers, "max_offers")
	setInt(&s.ExportRowCap, "export_row_cap")
	setInt(&s.PartnerPageCap, "partner_page_cap")
	setInt(&s.ProtectionDays, "protection_days")
	setInt(&s.SessionIdleMinutes, "session_idle_minutes")
	setInt(&s.SessionMaxHours, "session_max_hours")
	setInt(&s.OfferReminderHours, "offer_reminder_hours")
	setInt(&s.DigestStaleDays, "digest_stale_days")
	if v := r.GetFloat("won_validation_amount"); v > 0 {
		s.WonValidationAmount = v
	}
	s.SuspendInactive = r.GetBool("suspend_inactive")
	s.IntegrationPasswordOff = r.GetBool("integration_password_off")
	s.MFARequired = r.GetBool("mfa_required")
	s.WebFormKeys = r.GetStringSlice("web_form_keys")
	s.CertRequirements = certRequirements(r.GetString("certificate_rules"))
	return s
}

// certRequirements reads settings_prm certificate_rules: the default when
// unset (or not a list of requirements), else the stored list (empty:
// no lead needs a certificate).
func certRequirements(raw string) []assign.CertRequirement {
	if raw == "" || raw == "null" {
		return assign.DefaultCertRequirements()
	}
	var out []assign.CertRequirement
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return assign.DefaultCertRequirements()
	}
	if out == nil {
		out = []assign.CertRequirement{}
	}
	return out
}
