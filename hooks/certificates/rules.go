package certificates

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// Which leads need which certificate (settings_prm certificate_rules,
// read by access.LoadSettings into CertRequirements and applied by the
// assignment engine): admins edit the list on /certificate-rules.

// ActionRulesSaved is the audit action of a change of the rules.
const ActionRulesSaved = "settings.certificate_rules"

// RuleSegments are the lead segments a rule may name (leads.segment).
var RuleSegments = []string{"residential", "farm", "business", "industry", "public", "collective"}

// Bounds of the rules list.
const (
	MaxRules      = 50
	MaxKeywords   = 20
	MaxKeywordLen = 60
)

// CheckRules validates a list of rules: each names at least one known
// certificate kind, applies to a segment or a need (a rule on every lead
// is refused: it would stop every offer to installers without that
// certificate), with known segments and keywords of 1–60 characters. It
// returns the rules cleaned (keywords trimmed, duplicates removed).
func CheckRules(in []assign.CertRequirement) ([]assign.CertRequirement, error) {
	if len(in) > MaxRules {
		return nil, domain.Invalid("cert_rules_count", "rules", "too many rules")
	}
	out := make([]assign.CertRequirement, 0, len(in))
	for _, r := range in {
		var c assign.CertRequirement
		for _, k := range r.Kinds {
			if !slices.Contains(assign.CertificateKinds(), k) {
				return nil, domain.Invalid("cert_rules_kind", "kinds", "unknown certificate kind")
			}
			if !slices.Contains(c.Kinds, k) {
				c.Kinds = append(c.Kinds, k)
			}
		}
		for _, s := range r.Segments {
			if !slices.Contains(RuleSegments, s) {
				return nil, domain.Invalid("cert_rules_segment", "segments", "unknown segment")
			}
			if !slices.Contains(c.Segments, s) {
				c.Segments = append(c.Segments, s)
			}
		}
		for _, k := range r.Keywords {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			if len([]rune(k)) > MaxKeywordLen {
				return nil, domain.Invalid("cert_rules_keyword", "keywords", "a keyword is too long")
			}
			if !slices.Contains(c.Keywords, k) {
				c.Keywords = append(c.Keywords, k)
			}
		}
		if len(c.Keywords) > MaxKeywords {
			return nil, domain.Invalid("cert_rules_keywords", "keywords", "too many keywords in one rule")
		}
		if len(c.Kinds) == 0 {
			return nil, domain.Invalid("cert_rules_no_kind", "kinds", "a rule requires at least one certificate kind")
		}
		if len(c.Segments) == 0 && len(c.Keywords) == 0 {
			return nil, domain.Invalid("cert_rules_everything", "segments", "a rule applies to a segment or a need")
		}
		out = append(out, c)
	}
	return out, nil
}

// SaveRules replaces the rules for by (the admin role, or a superuser):
// checked (CheckRules), written to settings_prm and audited (before and
// after) in one transaction.
func SaveRules(app core.App, by access.By, rules []assign.CertRequirement) error {
	if by.User == nil || (!by.User.IsSuperuser() && by.User.GetString("role") != roles.Admin) {
		return domain.ErrForbidden
	}
	clean, err := CheckRules(rules)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return err
	}
	return app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("settings_prm", access.SettingsID)
		if err != nil {
			return err
		}
		before := r.GetString("certificate_rules")
		r.Set("certificate_rules", string(raw))
		if err := tx.Save(r); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, ActionRulesSaved, "settings_prm", r.Id, map[string]any{"before": before, "after": string(raw)})
	})
}
