package distribution

import (
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// Audit actions of a reassignment.
const (
	ActionReassign   = "lead.reassign"
	ActionRedispatch = "lead.redispatch"
	ActionWithdraw   = "offer.withdraw"
)

// CheckReason validates the mandatory reason of a reassignment (3 to 500
// characters once trimmed) and returns it trimmed.
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := len([]rune(reason)); {
	case n < 3:
		return "", domain.Invalid("required", "reason", "a reason is required to reassign a lead")
	case n > 500:
		return "", domain.Invalid("too_long", "reason", "the reason is longer than 500 characters")
	}
	return reason, nil
}

// reassignStep decides whether a lead in status, entrusted to partner,
// may be moved to target: any lead that is not closed and not already
// with that partner.
func reassignStep(status, partner, target string) error {
	switch {
	case lifecycle.Closed(status):
		return domain.Conflict("lead_closed", "a "+status+" lead cannot be reassigned")
	case partner != "" && partner == target:
		return domain.Conflict("already_with_partner", "the lead is already with this partner")
	}
	return nil
}

// Reassign moves a lead, whatever its stage (offered, accepted, contacted,
// meeting, or still in the pool), to another partner: channel managers in
// their territories and admins anywhere (the same check as Assign), with a
// mandatory reason. In one transaction, the former partner's pending offer
// is withdrawn, the opportunities it opened from the lead are detached from
// it, the activities its users logged become internal (kept for internal
// roles, not shown to the next partner), its users' notifications about the
// lead are removed and they are told the lead was withdrawn; the lead is
// then offered to the new partner (its contact details stay hidden until
// that partner accepts). From the commit
// on, the rules give the former partner nothing of the lead: not the lead,
// its contact, its activities or its opportunities. Audited as
// lead.reassign (from, to, reason) followed by the offer (lead.assign).
func Reassign(app core.App, by access.By, leadID, partnerID, reason string) (*core.Record, error) {
	reason, err := CheckReason(reason)
	if err != nil {
		return nil, err
	}
	if err := checkAssign(app, by.User, leadID, partnerID); err != nil {
		return nil, err
	}
	now := time.Now()
	var out *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		from := lead.GetString("partner")
		if err := reassignStep(lead.GetString("status"), from, partnerID); err != nil {
			return err
		}
		if err := checkTakingPartner(tx, partnerID, now); err != nil {
			return err
		}
		changes := map[string]any{"from_partner": from, "from_assignee": lead.GetString("assignee"), "from_status": lead.GetString("status"),
			"to_partner": partnerID, "reason": reason}
		if from != "" {
			released, err := releaseFromPartner(tx, lead, by, now)
			if err != nil {
				return err
			}
			for k, v := range released {
				changes[k] = v
			}
		}
		lead.Set("held", false)
		if err := audit.Append(tx, by.Actor, ActionReassign, "leads", lead.Id, changes); err != nil {
			return err
		}
		settings, err := access.LoadSettings(tx)
		if err != nil {
			return err
		}
		if err := checkCertified(tx, settings, lead, partnerID, now); err != nil {
			return err
		}
		out = lead
		return offer(tx, lead, partnerID, settings.DefaultAcceptHours, by.Actor, "lead.assign", now)
	})
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return nil, de
		}
		return nil, err
	}
	return out, nil
}

// releaseFromPartner takes a lead away from its partner inside the
// reassignment's transaction: its pending offer withdrawn (reason
// "reassigned": the partner reads its offers, the manager's reason stays
// in the audit log), the opportunities the partner opened from it detached, the
// activities its users logged made internal, the notifications of the
// partner's users about it removed, and those users told, without the
// lead's details. It returns what the audit entry adds.
func releaseFromPartner(tx core.App, lead *core.Record, by access.By, now time.Time) (map[string]any, error) {
	partner, assignee := lead.GetString("partner"), lead.GetString("assignee")
	changes := map[string]any{}
	if o, err := pendingOffer(tx, lead.Id, partner); err == nil {
		o.Set("outcome", "withdrawn")
		o.Set("decided_at", now)
		if by.User != nil && by.User.Collection().Name == "users" {
			o.Set("decided_by", by.User.Id)
		}
		// the partner reads its offers: the manager's words stay in the audit log
		o.Set("reason", "reassigned")
		if err := tx.Save(o); err != nil {
			return nil, err
		}
		changes["withdrawn_offer"] = o.Id
	}
	opps, err := tx.FindAllRecords("opportunities", dbx.HashExp{"lead": lead.Id, "partner": partner})
	if err != nil {
		return nil, err
	}
	var detached []string
	for _, o := range opps {
		o.Set("partner", "")
		if err := tx.Save(o); err != nil {
			return nil, err
		}
		detached = append(detached, o.Id)
	}
	if len(detached) > 0 {
		changes["detached_opportunities"] = detached
	}
	users, err := partnerUserIDs(tx, partner)
	if err != nil {
		return nil, err
	}
	if err := forgetNotifications(tx, lead.Id, users); err != nil {
		return nil, err
	}
	kept, err := keepActivitiesInternal(tx, lead.Id, users)
	if err != nil {
		return nil, err
	}
	if len(kept) > 0 {
		changes["internal_activities"] = kept
	}
	return changes, tellWithdrawn(tx, lead, partner, assignee)
}

// keepActivitiesInternal marks internal the activities the former
// partner's users logged on the lead: the history stays for internal
// roles, and the new partner does not read the former one's notes.
func keepActivitiesInternal(tx core.App, leadID string, users []any) ([]string, error) {
	if len(users) == 0 {
		return nil, nil
	}
	recs, err := tx.FindAllRecords("activities", dbx.HashExp{"lead": leadID, "internal": false}, dbx.In("author", users...))
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, a := range recs {
		a.Set("internal", true)
		if err := tx.Save(a); err != nil {
			return nil, err
		}
		out = append(out, a.Id)
	}
	return out, nil
}

// partnerUserIDs lists the ids of a partner's users (any status).
func partnerUserIDs(tx core.App, partnerID string) ([]any, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	if err := tx.DB().NewQuery("SELECT id FROM users WHERE partner = {:p}").Bind(dbx.Params{"p": partnerID}).All(&rows); err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out, nil
}

// forgetNotifications deletes the notifications about a lead of the given
// users (the former partner's: they linked to a lead they lose).
func forgetNotifications(tx core.App, leadID string, users []any) error {
	if len(users) == 0 {
		return nil
	}
	recs, err := tx.FindAllRecords("notifications", dbx.HashExp{"lead": leadID}, dbx.In("user", users...))
	if err != nil {
		return err
	}
	for _, n := range recs {
		if err := tx.Delete(n); err != nil {
			return err
		}
	}
	return nil
}

// tellWithdrawn tells the former assignee and the partner's managers that
// a lead was withdrawn from them: the name a partner saw on the offer and
// the town, no link to the lead (they may no longer open it), no contact.
func tellWithdrawn(tx core.App, lead *core.Record, partnerID, assignee string) error {
	managers := []struct {
		ID string `db:"id"`
	}{}
	if err := tx.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1").
		Bind(dbx.Params{"p": partnerID, "role": roles.PartnerManager}).All(&managers); err != nil {
		return err
	}
	recipients := []string{}
	if assignee != "" {
		recipients = append(recipients, assignee)
	}
	for _, m := range managers {
		if m.ID != assignee {
			recipients = append(recipients, m.ID)
		}
	}
	msg := notify.Msg("lead_withdrawn", "lead", leadName(lead), "city", lead.GetString("city"))
	for _, u := range recipients {
		if err := notify.Send(tx, u, "lead_withdrawn", "", msg); err != nil {
			return err
		}
	}
	return nil
}

// Redispatch hands a lead of a partner company to another of its users: a
// partner manager, for a lead of his company that is offered or being
// worked (accepted, contacted, meeting), at any time. The new assignee
// must be an active user of the same company. The reason is optional.
// Audited as lead.redispatch; the new assignee is notified.
func Redispatch(app core.App, by access.By, leadID, assigneeID, reason string) (*core.Record, error) {
	user := by.User
	if user == nil || user.GetString("role") != roles.PartnerManager {
		return nil, domain.Forbidden("dispatch_not_allowed", "only a partner manager dispatches a lead")
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 500 {
		return nil, domain.Invalid("too_long", "reason", "the reason is longer than 500 characters")
	}
	if strings.TrimSpace(assigneeID) == "" {
		return nil, domain.Invalid("required", "assignee", "assignee is required")
	}
	if _, err := visibleLead(app, user, leadID); err != nil {
		return nil, err
	}
	now := time.Now()
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		if lead.GetString("partner") != user.GetString("partner") || !lifecycle.Entrusted(lead.GetString("status")) {
			return domain.Conflict("not_dispatchable", "this lead is not being worked by your company")
		}
		colleague, err := activeColleague(tx, user, assigneeID, now)
		if err != nil {
			return err
		}
		from := lead.GetString("assignee")
		if from == colleague.Id {
			return domain.Conflict("already_assigned", "the lead is already assigned to this user")
		}
		lead.Set("assignee", colleague.Id)
		if err := tx.Save(lead); err != nil {
			return err
		}
		if o, err := pendingOffer(tx, lead.Id, lead.GetString("partner")); err == nil {
			o.Set("assignee", colleague.Id)
			if err := tx.Save(o); err != nil {
				return err
			}
		}
		if err := audit.Append(tx, by.Actor, ActionRedispatch, "leads", lead.Id, map[string]any{
			"partner": lead.GetString("partner"), "from_assignee": from, "to_assignee": colleague.Id, "reason": reason,
		}); err != nil {
			return err
		}
		out = lead
		return notify.Send(tx, colleague.Id, "lead_dispatched", lead.Id,
			notify.Msg("lead_dispatched", "lead", leadName(lead), "city", lead.GetString("city"), "reason", reason))
	})
	return out, err
}

// activeColleague returns the user id if it is an active, unexpired user
// of a partner role in the same company as user.
func activeColleague(tx core.App, user *core.Record, id string, now time.Time) (*core.Record, error) {
	bad := domain.Invalid("invalid_value", "assignee", "the colleague must be an active user of your company")
	c, err := tx.FindRecordById("users", id)
	if err != nil || c.GetString("partner") != user.GetString("partner") || !c.GetBool("active") {
		return nil, bad
	}
	if exp := c.GetDateTime("access_expires"); !exp.IsZero() && !exp.Time().After(now) {
		return nil, bad
	}
	if ok, err := access.HasKind(tx, c, roles.Partner); err != nil {
		return nil, err
	} else if !ok {
		return nil, bad
	}
	return c, nil
}
