package access

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/roles"
)

// PageCapFor returns the largest page a user may list: the partner page
// cap (settings_prm.partner_page_cap) for partner-kind roles, MaxPerPage
// otherwise. Go handlers that list for partners pass it as PerPage. An
// error reading the role's kind or the settings is returned: the cap is
// never dropped because it could not be read.
func PageCapFor(app core.App, auth *core.Record) (int, error) {
	partner, err := HasKind(app, auth, roles.Partner)
	if err != nil {
		return 0, err
	}
	if partner {
		s, err := LoadSettings(app)
		return s.PartnerPageCap, err
	}
	return MaxPerPage, nil
}
