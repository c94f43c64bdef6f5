package distribution

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
)

// leadCertificates are the certificates a lead requires under the
// settings (its segment and its need, the interest field).
func leadCertificates(s access.Settings, lead *core.Record) [][]string {
	return assign.RequiredCertificates(s.CertRequirements, lead.GetString("segment"), lead.GetString("interest"))
}

// partnerCertificates reads, for the partners in the IN list in (with its
// params), the latest valid-until date of their certificates per kind.
func partnerCertificates(app core.App, in string, params map[string]any) (map[string]map[string]time.Time, error) {
	rows := []struct {
		P string `db:"p"`
		K string `db:"k"`
		T string `db:"t"`
	}{}
	if err := app.DB().NewQuery("SELECT partner AS p, kind AS k, MAX(valid_until) AS t FROM " + policy.CertificatesCollection +
		" WHERE partner IN (" + in + ") GROUP BY partner, kind").Bind(params).All(&rows); err != nil {
		return nil, err
	}
	out := map[string]map[string]time.Time{}
	for _, r := range rows {
		d, err := types.ParseDateTime(r.T)
		if err != nil || d.IsZero() {
			continue
		}
		if out[r.P] == nil {
			out[r.P] = map[string]time.Time{}
		}
		out[r.P][r.K] = d.Time()
	}
	return out, nil
}

// checkCertified refuses to hand a lead to a partner that lacks a valid
// certificate the lead requires (the manual assignment's check; the
// engine's is assign.Eligible).
func checkCertified(tx core.App, s access.Settings, lead *core.Record, partnerID string, now time.Time) error {
	required := leadCertificates(s, lead)
	if len(required) == 0 {
		return nil
	}
	in, params := inList("pid", []any{partnerID})
	held, err := partnerCertificates(tx, in, params)
	if err != nil {
		return err
	}
	if missing := assign.MissingCertificate(required, held[partnerID], now); missing != nil {
		return domain.Conflict("certificate_required", "this lead needs a valid certificate this partner does not hold: "+strings.Join(missing, " or "))
	}
	return nil
}
