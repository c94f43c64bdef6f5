package ui

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// leadPartnerFilter reads ?partner= of the leads list: the leads of one
// partner the user may see (a partner page links here). The partner's
// name comes through the rule-aware read path; an unknown or hidden
// partner is a 404. The leads themselves stay those the leads rules let
// the user list.
func (h *handlers) leadPartnerFilter(e *core.RequestEvent, p *leadsPage, where *[]dbx.Expression) error {
	pid := e.Request.URL.Query().Get("partner")
	if pid == "" {
		return nil
	}
	names, err := h.names(sess(e), "partners", []string{pid})
	if err != nil {
		return err
	}
	if names[pid] == "" {
		return errNotFound
	}
	p.Partner, p.PartnerName = pid, names[pid]
	*where = append(*where, dbx.HashExp{"leads.partner": pid})
	return nil
}
