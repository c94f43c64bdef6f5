package distribution

import (
	"fmt"
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/notify"
)

// PartnerLeftResult tells what PartnerLeft did.
type PartnerLeftResult struct {
	Withdrawn []string // leads whose pending offer was withdrawn (back to distribution)
	Open      []string // leads the partner still works: to reassign
}

// OpenLeadsOf lists the ids of the leads a partner works (accepted,
// contacted, meeting), oldest first: what a channel manager reassigns when
// the partner is suspended or ended.
func OpenLeadsOf(app core.App, partnerID string) ([]string, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	err := app.DB().NewQuery("SELECT id FROM leads WHERE partner = {:p} AND status IN (" + lifecycle.SQLList(lifecycle.PipelineStatuses()) + ") ORDER BY created, id").
		Bind(dbx.Params{"p": partnerID}).All(&rows)
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, err
}

// PartnerLeft runs when a partner stops being active (suspended, ended by
// hand or at its contract end), in the transaction of that change: its
// pending offers are withdrawn and the leads go back to distribution (the
// partner, no longer active, is not a candidate), and the channel managers
// of the territories of the leads it still works are told, one
// notification each with the count, to reassign them (the partner page
// lists them). Each withdrawal is audited (offer.withdraw).
func PartnerLeft(tx core.App, partner *core.Record, now time.Time) (PartnerLeftResult, error) {
	var res PartnerLeftResult
	offered := []struct {
		ID string `db:"id"`
	}{}
	if err := tx.DB().NewQuery("SELECT id FROM leads WHERE partner = {:p} AND status = 'offered' ORDER BY created, id").
		Bind(dbx.Params{"p": partner.Id}).All(&offered); err != nil {
		return res, err
	}
	actor := audit.SystemActor("partner-" + partner.GetString("status"))
	reason := "partner_" + partner.GetString("status")
	for _, r := range offered {
		lead, err := tx.FindRecordById("leads", r.ID)
		if err != nil {
			return res, err
		}
		o, err := pendingOffer(tx, lead.Id, partner.Id)
		if err != nil {
			continue // no pending offer row: nothing to withdraw
		}
		if err := closeOffer(tx, lead, o, "withdrawn", reason, nil, actor, ActionWithdraw); err != nil {
			return res, err
		}
		if _, err := Distribute(tx, lead.Id, audit.SystemActor("distribution"), now); err != nil {
			return res, err
		}
		res.Withdrawn = append(res.Withdrawn, lead.Id)
	}
	open, err := OpenLeadsOf(tx, partner.Id)
	if err != nil {
		return res, err
	}
	res.Open = open
	return res, notifyToReassign(tx, partner, open)
}

// notifyToReassign tells each channel manager of the territories of the
// open leads (the admins where nobody manages one) how many leads of the
// partner wait for reassignment.
func notifyToReassign(tx core.App, partner *core.Record, open []string) error {
	if len(open) == 0 {
		return nil
	}
	counts := map[string]int{}
	for _, id := range open {
		var territory string
		if err := tx.DB().NewQuery("SELECT territory FROM leads WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&territory); err != nil {
			return err
		}
		ids, err := notify.ChannelManagers(tx, territory)
		if err != nil {
			return err
		}
		for _, u := range ids {
			counts[u]++
		}
	}
	users := make([]string, 0, len(counts))
	for u := range counts {
		users = append(users, u)
	}
	sort.Strings(users)
	name := partner.GetString("name")
	for _, u := range users {
		title := notify.Text{
			FR: fmt.Sprintf("Partenaire %s indisponible : %d lead(s) à réattribuer", name, counts[u]),
			EN: fmt.Sprintf("Partner %s unavailable: %d lead(s) to reassign", name, counts[u]),
		}
		body := notify.Text{FR: "Ses leads en cours sont listés dans « Leads à réattribuer ».", EN: "Its leads in progress are listed under “Leads to reassign”."}
		if err := notify.SendText(tx, u, "partner_left", "", title, body); err != nil {
			return err
		}
	}
	return nil
}
