package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/webhooks"
)

// deliveriesLimit is how many events the delivery log shows.
const deliveriesLimit = 200

// deliveriesPage is the delivery log of the status webhooks (admins): the
// latest events, their state, attempts and last answer, with "resend".
type deliveriesPage struct {
	*page
	Rows   []webhooks.Delivery
	Status string
}

// deliveries renders the delivery log (?status=pending|delivered).
func (h *handlers) deliveries(e *core.RequestEvent) error {
	status := e.Request.URL.Query().Get("status")
	if status != webhooks.StatusPending && status != webhooks.StatusDelivered {
		status = ""
	}
	rows, err := webhooks.Deliveries(e.App, "", status, deliveriesLimit)
	if err != nil {
		return err
	}
	p := &deliveriesPage{page: h.page(e, "integrations", "deliveries.title"), Rows: rows, Status: status}
	return h.render(e, http.StatusOK, "integration_deliveries", p)
}

// resendDelivery queues an event again (same id) and returns to the log.
func (h *handlers) resendDelivery(e *core.RequestEvent) error {
	if err := webhooks.Resend(e.App, access.ByRequest(e).Actor, e.Request.PathValue("id"), h.now()); err != nil {
		return err
	}
	setFlash(e, "flash.event_resent")
	return e.Redirect(http.StatusSeeOther, "/integrations/deliveries")
}
