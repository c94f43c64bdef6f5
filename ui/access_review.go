package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/governance"
)

// accessReviewPage is the "who sees what" report of SPEC §5 (admins): every
// account with its role, partner, territories, running grants, the number
// of leads, accounts and contacts it can see right now (counted by the
// governance code through the read path), its last login and flags.
type accessReviewPage struct {
	*page
	Rows []governance.ReviewRow
	// Lapsed are the partners whose certificate lapsed.
	Lapsed []certificates.LapsedPartner
}

// accessReview renders the access review.
func (h *handlers) accessReview(e *core.RequestEvent) error {
	rows, err := governance.AccessReview(e.App, h.now())
	if err != nil {
		return err
	}
	p := &accessReviewPage{page: h.page(e, "access_review", "review.title"), Rows: rows}
	if p.Lapsed, err = lapsedVisible(e.App, sess(e).user, h.now()); err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "access_review", p)
}
