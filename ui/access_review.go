package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/governance"
)

// accessReviewPage is the "who sees what" report of SPEC §5 (admins): every
// account with its role, partner, territories, running grants, the number
// of leads, accounts and contacts it can see right now (counted by the
// governance code through the read path), its last login and flags; and
// the quarterly campaign, decided line by line (review_campaign.go).
type accessReviewPage struct {
	*page
	Rows     []governance.ReviewRow
	Campaign *campaignView
	// CanOpen: the quarter has no campaign yet (the admin may open it)
	CanOpen bool
	Period  string
	// Lapsed are the partners whose certificate lapsed.
	Lapsed []certificates.LapsedPartner
}

// When formats a date stored as text in the review (a last login, a
// grant's expiry) in the page's language; "" when empty or unreadable.
func (p *accessReviewPage) When(s string) string {
	d, err := types.ParseDateTime(s)
	if err != nil || d.IsZero() {
		return ""
	}
	return p.DateTime(d)
}

// accessReview renders the access review.
func (h *handlers) accessReview(e *core.RequestEvent) error {
	p, err := h.accessReviewPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "access_review", p)
}

func (h *handlers) accessReviewPage(e *core.RequestEvent) (*accessReviewPage, error) {
	rows, err := governance.AccessReview(e.App, h.now())
	if err != nil {
		return nil, err
	}
	p := &accessReviewPage{page: h.page(e, "access_review", "review.title"), Rows: rows, Period: governance.ReviewPeriod(h.now())}
	if p.Campaign, err = h.latestCampaign(sess(e)); err != nil {
		return nil, err
	}
	p.CanOpen = p.Campaign == nil || p.Campaign.Period != p.Period
	if p.Lapsed, err = lapsedVisible(e.App, sess(e).user, h.now()); err != nil {
		return nil, err
	}
	return p, nil
}
