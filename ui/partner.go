package ui

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// partnerPage shows one partner: its contract, territories, users and the
// activate / suspend control for those whose rules allow it.
type partnerPage struct {
	*page
	Partner     partnerRow
	Segments    []string
	Territories []string
	Users       []userRow
	CanStatus   bool
	CanEdit     bool // the partner form (partners update)
	Statuses    []string
	Error       string
	Certs       certSection
}

// showPartner renders a partner the user may view.
func (h *handlers) showPartner(e *core.RequestEvent) error {
	p, err := h.partnerPage(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "partner", p)
}

func (h *handlers) partnerPage(e *core.RequestEvent, id string) (*partnerPage, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "partners", id)
	if err != nil {
		return nil, err
	}
	stats, err := h.partnerStats([]string{id})
	if err != nil {
		return nil, err
	}
	st := stats[id]
	p := &partnerPage{page: h.page(e, "partners", ""), Statuses: partnerStatuses, Segments: rec.GetStringSlice("segments")}
	p.Partner = partnerRow{
		ID: rec.Id, Name: rec.GetString("name"), Kind: rec.GetString("kind"), Tier: rec.GetString("tier"), Status: rec.GetString("status"),
		ContractEnd: rec.GetDateTime("contract_end"), Capacity: rec.GetInt("capacity"), Open: st.open, Accepted: st.accepted, Answered: st.answered,
	}
	p.Title = p.Partner.Name
	tn, err := h.names(s, "territories", rec.GetStringSlice("territories"))
	if err != nil {
		return nil, err
	}
	for _, t := range rec.GetStringSlice("territories") {
		if n := tn[t]; n != "" {
			p.Territories = append(p.Territories, n)
		}
	}
	users, _, err := access.ListFor(e.App, s.user, "users", access.ListQuery{Where: dbx.HashExp{"users.partner": id}, Sort: "name", PerPage: access.MaxPerPage})
	if err != nil && !errors.Is(err, domain.ErrForbidden) {
		return nil, err
	}
	if p.Users, err = h.userRows(s, users); err != nil {
		return nil, err
	}
	other := "suspended"
	if p.Partner.Status != "active" {
		other = "active"
	}
	if p.CanStatus, err = access.CanDo(e.App, s.user, rec, "update", map[string]any{"status": other}); err != nil {
		return nil, err
	}
	if p.CanEdit, err = access.CanDo(e.App, s.user, rec, "update", map[string]any{"name": rec.GetString("name")}); err != nil {
		return nil, err
	}
	if p.Certs, err = certSectionFor(e, s.user, id, time.Now()); err != nil {
		return nil, err
	}
	return p, nil
}

// setPartnerStatus activates or suspends a partner (suspension ends its
// users' sessions through the account hooks).
func (h *handlers) setPartnerStatus(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	st := e.Request.FormValue("status")
	var uerr *domain.Error
	if st != "active" && st != "suspended" && st != "ended" {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	if _, err := writepath.UpdateFor(e.App, access.ByRequest(e), "partners", id, map[string]any{"status": st}); err != nil && !errors.As(err, &uerr) {
		return err
	}
	if !isHX(e) && uerr == nil {
		return e.Redirect(http.StatusSeeOther, "/partners/"+id)
	}
	p, err := h.partnerPage(e, id)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if uerr != nil {
		p.Error, status = p.Err(uerr), api.HTTPStatus(uerr)
	} else {
		p.Flash = p.T("partner.saved")
	}
	return h.render(e, status, "partner", p)
}
