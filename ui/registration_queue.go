package ui

import (
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/domain"
)

// queueItem is a registration waiting for a decision and, side by side,
// the records its keys matched when it was submitted.
type queueItem struct {
	Reg       oppView
	Conflicts []conflictView
}

// conflictView is one record a registration conflicts with, as the
// deciding user may see it: its kind, the keys that matched, its partner,
// and the record itself when the user's rules let them read it (Visible).
type conflictView struct {
	Kind, ID, PartnerName string
	Keys                  []string
	Pending, Visible      bool
	Pool                  bool // a lead of the central pool (no partner)
	Title, Place, Status  string
	Amount                float64
	Link                  string
}

// registrationQueue lists the pending registrations the user decides
// (channel managers: their territories, by the opportunities rules), the
// oldest first, with their conflicts.
func (h *handlers) registrationQueue(s *session) ([]queueItem, error) {
	regs, _, err := h.listOpps(s, dbx.HashExp{"opportunities.registration_status": "pending"}, "created", access.MaxPerPage)
	if err != nil {
		return nil, err
	}
	out := make([]queueItem, 0, len(regs))
	for _, r := range regs {
		item := queueItem{Reg: r}
		if item.Conflicts, err = h.conflictViews(s, r.Conflicts); err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// conflictViews describes the conflicts of a registration for an internal
// user: the partner's name when the user may read it (else "another
// partner"), the record when the user may read it.
func (h *handlers) conflictViews(s *session, conflicts []deals.RegistrationConflict) ([]conflictView, error) {
	var pids []string
	for _, c := range conflicts {
		pids = append(pids, c.Partner)
	}
	names, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	var out []conflictView
	for _, c := range conflicts {
		v := conflictView{Kind: c.Kind, ID: c.Record, Keys: c.Keys, Pending: c.Pending, PartnerName: names[c.Partner], Pool: c.Partner == ""}
		if err := h.conflictRecord(s, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// conflictRecord fills the conflicting record's details when the user
// may read it (through the read path); otherwise only its kind, keys and
// partner show.
func (h *handlers) conflictRecord(s *session, v *conflictView) error {
	coll := map[string]string{"lead": "leads", "account": "accounts", "registration": "opportunities"}[v.Kind]
	if coll == "" {
		return nil
	}
	rec, err := access.ViewFor(h.app, s.user, coll, v.ID)
	if errors.Is(err, domain.ErrNotVisible) || errors.Is(err, domain.ErrForbidden) {
		return nil
	}
	if err != nil {
		return err
	}
	v.Visible = true
	switch v.Kind {
	case "lead":
		views, err := h.leadViews(s, []*core.Record{rec})
		if err != nil {
			return err
		}
		l := views[0]
		v.Title, v.Place, v.Status, v.Amount, v.Link = l.Company, l.PostalCode+" "+l.City, "status."+l.Status, l.Value, "/leads/"+rec.Id
		if l.Company == "" {
			v.Title = l.Name
		}
	case "account":
		v.Title, v.Place = rec.GetString("name"), rec.GetString("postal_code")+" "+rec.GetString("city")
	case "registration":
		o := newOppView(s, rec)
		v.Title, v.Place, v.Status, v.Amount, v.Link = o.Company, o.PostalCode, "deals.reg."+o.Registration, o.Amount, "/opportunities/"+rec.Id
	}
	return nil
}
