package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
)

// figuresPage is a partner company's own figures (partner managers): its
// leads by status, offer answers, conversion and revenue. Every count is
// taken through the read path, so it covers exactly the company's leads.
type figuresPage struct {
	*page
	ByStatus   []statusCount
	Offers     map[string]int
	AcceptRate float64
	Conversion float64
	Revenue    float64
	Won, Lost  int
	HasAnswers bool
	HasClosed  bool
}

type statusCount struct {
	Status string
	Count  int
}

// figures computes the company's figures.
func (h *handlers) figures(e *core.RequestEvent) error {
	s := sess(e)
	p := &figuresPage{page: h.page(e, "figures", "figures.title"), Offers: map[string]int{}}
	count := func(collection string, where dbx.Expression) (int, error) {
		_, res, err := access.ListFor(e.App, s.user, collection, access.ListQuery{Where: where, PerPage: 1, Count: true})
		if err != nil {
			return 0, err
		}
		return res.TotalItems, nil
	}
	for _, st := range lifecycle.Statuses() {
		if lifecycle.InPool(st) {
			continue
		}
		n, err := count("leads", dbx.HashExp{"leads.status": st})
		if err != nil {
			return err
		}
		p.ByStatus = append(p.ByStatus, statusCount{Status: st, Count: n})
		switch st {
		case lifecycle.StatusWon:
			p.Won = n
		case lifecycle.StatusLost:
			p.Lost = n
		}
	}
	for _, o := range []string{"accepted", "declined", "expired", "pending"} {
		n, err := count("lead_offers", dbx.HashExp{"lead_offers.outcome": o, "lead_offers.partner": s.user.GetString("partner")})
		if err != nil {
			return err
		}
		p.Offers[o] = n
	}
	if answered := p.Offers["accepted"] + p.Offers["declined"] + p.Offers["expired"]; answered > 0 {
		p.HasAnswers = true
		p.AcceptRate = float64(p.Offers["accepted"]) / float64(answered)
	}
	if p.Won+p.Lost > 0 {
		p.HasClosed = true
		p.Conversion = float64(p.Won) / float64(p.Won+p.Lost)
	}
	for page := 1; ; page++ {
		recs, _, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: dbx.HashExp{"leads.status": "won"}, Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			return err
		}
		for _, r := range recs {
			p.Revenue += r.GetFloat("won_amount")
		}
		if len(recs) < access.MaxPerPage {
			break
		}
	}
	return h.render(e, http.StatusOK, "figures", p)
}
