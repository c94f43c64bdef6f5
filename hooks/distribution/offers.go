package distribution

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/beforerow"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reasons"
	"github.com/relais/relais/hooks/roles"
)

// pendingOffer returns the pending offer of a lead to a partner (a plain
// indexed query: the filter parser and resolver of FindFirstRecordByFilter
// cost more than the lookup itself).
func pendingOffer(app core.App, leadID, partnerID string) (*core.Record, error) {
	rec := &core.Record{}
	err := app.RecordQuery("lead_offers").
		AndWhere(dbx.HashExp{"lead": leadID, "partner": partnerID, "outcome": "pending"}).
		Limit(1).One(rec)
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// visibleLead returns the lead if user may view it (the leads ViewRule),
// domain.ErrNotVisible otherwise. The rule is decided in memory on a plain read
// when access.RuleView can (partner roles: always with the compiled matrix),
// else by ViewFor's rule query: the same answer either way.
func visibleLead(app core.App, user *core.Record, leadID string) (*core.Record, error) {
	lead, err := app.FindRecordById("leads", leadID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotVisible
	}
	if err != nil {
		return nil, err
	}
	switch access.RuleView(app, user, lead) {
	case access.RuleTrue:
		return lead, nil
	case access.RuleFalse:
		return nil, domain.ErrNotVisible
	}
	return access.ViewFor(app, user, "leads", leadID)
}

// Accept accepts the pending offer of a lead for the user's partner
// company. Exactly one of concurrent accepts wins; the others get a 409. A
// partner salesperson becomes the assignee; a partner manager may dispatch
// the lead to a colleague (dispatchTo) or keep the offer's assignee. A lead
// the user may not view is domain.ErrNotVisible (a 404, like a missing lead). The
// returned record is the lead as saved, not yet checked against the rules
// for the response (the api renders it as the caller may see it).
func Accept(app core.App, by access.By, leadID, dispatchTo string) (*core.Record, error) {
	user := by.User
	if ok, err := access.HasKind(app, user, roles.Partner); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Forbidden("not_a_partner", "only partner users accept offers")
	}
	// visibility before the transaction, as the lead stood when the user
	// acted: a partner that lost the race to a colleague's dispatch gets
	// the 409 below, not a 404
	if _, err := visibleLead(app, user, leadID); err != nil {
		return nil, err
	}
	var out *core.Record
	err := acceptTx(app, func(tx core.App) error {
		// re-read inside the write transaction: transactions are serialised,
		// so the first accept changes the status and the others see it.
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		if lead.GetString("status") != "offered" || lead.GetString("partner") != user.GetString("partner") {
			return domain.Conflict("offer_not_pending", "this offer is no longer open")
		}
		now := time.Now()
		if !lead.GetDateTime("accept_by").Time().After(now) {
			return domain.Conflict("offer_expired", "this offer has expired")
		}
		assignee := lead.GetString("assignee")
		if user.GetString("role") == roles.PartnerUser {
			assignee = user.Id
		}
		if dispatchTo != "" {
			if user.GetString("role") != roles.PartnerManager {
				return domain.Forbidden("dispatch_not_allowed", "only a partner manager dispatches a lead")
			}
			colleague, err := tx.FindRecordById("users", dispatchTo)
			if err != nil || colleague.GetString("partner") != user.GetString("partner") || !colleague.GetBool("active") {
				return domain.Invalid("invalid_value", "assignee", "the colleague must be an active user of your company")
			}
			assignee = colleague.Id
		}
		o, err := pendingOffer(tx, lead.Id, lead.GetString("partner"))
		if err != nil {
			return domain.Conflict("offer_not_pending", "this offer is no longer open")
		}
		// both rows were just read in this transaction and nothing else
		// writes them before their saves: the rollups and counters take
		// their rows from these records instead of reading them again
		beforerow.Loaded(lead, nil)
		beforerow.Loaded(o, map[string]string{beforerow.LeadTerritory: lead.GetString("territory")})
		defer beforerow.Forget(lead, o)
		o.Set("outcome", "accepted")
		o.Set("decided_at", now)
		o.Set("decided_by", user.Id)
		o.Set("assignee", assignee)
		// Both rows are saved without PocketBase's validation: they were
		// read in this transaction, and the only values set are an
		// outcome and a status of their selects, times, and users just
		// resolved (the accepting user, the lead's assignee or the
		// colleague read above); the validation would count again every
		// relation of both rows (8 queries held in the writer).
		if err := tx.SaveNoValidate(o); err != nil {
			return err
		}
		lead.Set("status", "accepted")
		lead.Set("accepted_at", now)
		lead.Set("assignee", assignee)
		if err := tx.SaveNoValidate(lead); err != nil {
			return err
		}
		out = lead
		return audit.Append(tx, by.Actor, "offer.accept", "leads", lead.Id, map[string]any{"offer": o.Id, "partner": lead.GetString("partner"), "assignee": assignee})
	})
	return out, err
}

// Decline declines the pending offer of a lead with a reason code
// (reasons.DeclineCodes) and an optional note (required for "other"); the
// lead goes to the next candidate (never back to a partner that declined
// or let it expire) or back to the pool after the maximum number of
// offers.
func Decline(app core.App, by access.By, leadID, code, note string) error {
	user := by.User
	code, note = strings.TrimSpace(code), strings.TrimSpace(note)
	if ok, err := access.HasKind(app, user, roles.Partner); err != nil {
		return err
	} else if !ok {
		return domain.Forbidden("not_a_partner", "only partner users decline offers")
	}
	if err := checkDeclineReason(code, note); err != nil {
		return err
	}
	if _, err := access.ViewFor(app, user, "leads", leadID); err != nil {
		return err
	}
	return app.RunInTransaction(func(tx core.App) error {
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		if lead.GetString("status") != "offered" || lead.GetString("partner") != user.GetString("partner") {
			return domain.Conflict("offer_not_pending", "this offer is no longer open")
		}
		o, err := pendingOffer(tx, lead.Id, lead.GetString("partner"))
		if err != nil {
			return domain.Conflict("offer_not_pending", "this offer is no longer open")
		}
		o.Set("reason_code", code)
		o.Set("reason_note", note)
		return closeOffer(tx, lead, o, "declined", "", user, by.Actor, "offer.decline")
	})
}

// checkDeclineReason checks a decline's reason: a known code, a note of
// at most 500 characters, and for "other" a note of at least 3.
func checkDeclineReason(code, note string) error {
	if code == "" {
		return domain.Invalid("required", "reason", "a reason is required to decline an offer")
	}
	if !reasons.IsDecline(code) {
		return domain.Invalid("invalid_value", "reason", "the reason must be one of "+strings.Join(reasons.DeclineCodes, ", "))
	}
	if len([]rune(note)) > 500 {
		return domain.Invalid("too_long", "note", "the note is longer than 500 characters")
	}
	if code == reasons.Other && len([]rune(note)) < 3 {
		return domain.Invalid("required", "note", "a note is required when the reason is other")
	}
	return nil
}

// CodeDeclineReason gives a declined offer written with a text reason and
// no code (by code that predates the codes, or raw writes) its code and
// note (reasons.ParseDecline), so that every decline is counted by code.
// Bound to the creation and update of lead_offers, before the write.
func CodeDeclineReason(e *core.RecordEvent) error {
	o := e.Record
	if o.GetString("outcome") == "declined" && o.GetString("reason_code") == "" && strings.TrimSpace(o.GetString("reason")) != "" {
		code, note := reasons.ParseDecline(o.GetString("reason"))
		o.Set("reason_code", code)
		if o.GetString("reason_note") == "" {
			if len([]rune(note)) > 500 {
				note = string([]rune(note)[:500])
			}
			o.Set("reason_note", note)
		}
	}
	return e.Next()
}

// closeOffer ends a pending offer (declined, expired or withdrawn), returns
// the lead to `ready` and distributes it again.
func closeOffer(tx core.App, lead, o *core.Record, outcome, reason string, by *core.Record, actor audit.Actor, action string) error {
	now := time.Now()
	o.Set("outcome", outcome)
	o.Set("reason", reason)
	o.Set("decided_at", now)
	if by != nil {
		o.Set("decided_by", by.Id)
	}
	if err := tx.Save(o); err != nil {
		return err
	}
	partner := lead.GetString("partner")
	lead.Set("status", "ready")
	lead.Set("partner", "")
	lead.Set("assignee", "")
	lead.Set("offered_at", "")
	lead.Set("accept_by", "")
	if err := tx.Save(lead); err != nil {
		return err
	}
	changes := map[string]any{"offer": o.Id, "partner": partner, "reason": reason}
	if outcome == "declined" {
		changes["reason"], changes["note"] = o.GetString("reason_code"), o.GetString("reason_note")
	}
	if err := audit.Append(tx, actor, action, "leads", lead.Id, changes); err != nil {
		return err
	}
	if outcome == "withdrawn" {
		return nil
	}
	_, err := Distribute(tx, lead.Id, audit.SystemActor("distribution"), now)
	return err
}

// ExpireOffers expires every offer past its deadline and re-offers the
// leads, telling the channel managers (escalateExpiry); it is what the
// cron job runs every minute under serve.
func ExpireOffers(app core.App, now time.Time) (int, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	err := app.DB().NewQuery("SELECT id FROM leads WHERE status = 'offered' AND accept_by != '' AND accept_by <= {:now} ORDER BY accept_by LIMIT 500").
		Bind(dbx.Params{"now": now.UTC().Format(types.DefaultDateLayout)}).All(&rows)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		err := jobTx(app, func(tx core.App) error {
			lead, err := tx.FindRecordById("leads", r.ID)
			if err != nil {
				return err
			}
			if lead.GetString("status") != "offered" || lead.GetDateTime("accept_by").Time().After(now) {
				return nil // accepted or changed meanwhile
			}
			o, err := pendingOffer(tx, lead.Id, lead.GetString("partner"))
			if err != nil {
				return err
			}
			n++
			partner := lead.GetString("partner")
			if err := closeOffer(tx, lead, o, "expired", "", nil, audit.SystemActor("offer-expiry"), "offer.expire"); err != nil {
				return err
			}
			return escalateExpiry(tx, lead.Id, partner)
		})
		if err != nil {
			app.Logger().Error("expiring an offer failed", "lead", r.ID, "error", err)
		}
	}
	return n, nil
}

// Assign offers a lead to a chosen partner by hand (channel managers in
// their territories, admins anywhere — whoever may update the lead at the
// `territory` or `all` level). A pending offer to another partner is
// withdrawn; a held (conflicting) lead is released by this arbitration.
func Assign(app core.App, by access.By, leadID, partnerID string) (*core.Record, error) {
	if err := checkAssign(app, by.User, leadID, partnerID); err != nil {
		return nil, err
	}
	now := time.Now()
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		withdraw, err := assignStep(lead.GetString("status"), lead.GetString("partner"), partnerID)
		if err != nil {
			return err
		}
		if withdraw {
			if err := withdrawOffer(tx, lead, by.User, now); err != nil {
				return err
			}
		}
		// re-read in the write transaction (checked through the rules above)
		if err := checkTakingPartner(tx, partnerID, now); err != nil {
			return err
		}
		if lead.GetBool("held") {
			lead.Set("held", false)
		}
		settings, err := access.LoadSettings(tx)
		if err != nil {
			return err
		}
		if err := checkCertified(tx, settings, lead, partnerID, now); err != nil {
			return err
		}
		err = offer(tx, lead, partnerID, settings.DefaultAcceptHours, by.Actor, "lead.assign", now)
		var de *domain.Error
		if errors.As(err, &de) {
			return de
		}
		out = lead
		return err
	})
	return out, err
}

// checkAssign checks, through the rules, that user may assign the lead to
// the partner: an internal role that updates leads at the territory or all
// level (distributes), one that may update this lead, and a partner it may
// link (the same answer for an unknown one).
func checkAssign(app core.App, user *core.Record, leadID, partnerID string) error {
	if ok, err := access.HasKind(app, user, roles.Internal); err != nil {
		return err
	} else if !ok {
		return domain.Forbidden("not_allowed", "only channel managers and admins assign leads")
	}
	m, err := access.LoadMatrix(app)
	if err != nil {
		return err
	}
	if err := distributes(m.Cell(user.GetString("role"), "leads").Update); err != nil {
		return err
	}
	lead, err := access.ViewFor(app, user, "leads", leadID)
	if err != nil {
		return err
	}
	if ok, err := access.CanDo(app, user, lead, "update", map[string]any{}); err != nil || !ok {
		return domain.ErrNotVisible
	}
	if strings.TrimSpace(partnerID) == "" {
		return domain.Invalid("required", "partner", "partner is required")
	}
	// the partner is a relation the user writes: one it may view
	if ok, err := access.MayLink(app, user, "partners", partnerID); err != nil {
		return err
	} else if !ok {
		return access.UnknownRelation("partner")
	}
	return nil
}

// distributes refuses a role that does not update leads at the territory
// or all level: it does not distribute leads.
func distributes(update policy.Level) error {
	if update != policy.Territory && update != policy.All {
		return domain.Forbidden("not_allowed", "your role does not distribute leads")
	}
	return nil
}

// assignStep decides what assigning a lead in status, offered to partner
// (if any), to target needs: withdraw the pending offer of an offered lead
// to another partner; nothing for a lead in the pool; any other status (or
// an offer to the same partner) refuses the assignment.
func assignStep(status, partner, target string) (withdraw bool, err error) {
	switch {
	case status == lifecycle.StatusOffered && partner == target:
		return false, domain.Conflict("already_offered", "the lead is already offered to this partner")
	case status == lifecycle.StatusOffered:
		return true, nil
	case lifecycle.InPool(status):
		return false, nil
	}
	return false, domain.Conflict("not_assignable", "a lead in status "+status+" cannot be assigned")
}

// checkTakingPartner reads the partner a lead is handed to, in the write
// transaction: an unknown id is an unknown relation, and a partner that is
// not active or whose contract ended is refused (partnerRefusal).
func checkTakingPartner(tx core.App, partnerID string, now time.Time) error {
	p, err := tx.FindRecordById("partners", partnerID)
	if err != nil {
		return access.UnknownRelation("partner")
	}
	return partnerRefusal(p.GetString("status"), p.GetDateTime("contract_end").Time(), now)
}

// partnerRefusal refuses a partner that cannot receive an offer at now:
// not active, or past its contract end (zero: none).
func partnerRefusal(status string, contractEnd, now time.Time) error {
	if status != "active" {
		return domain.Conflict("partner_inactive", "this partner is not active")
	}
	if !contractEnd.IsZero() && contractEnd.Before(now) {
		return domain.Conflict("contract_ended", "this partner's contract has ended")
	}
	return nil
}

// withdrawOffer withdraws the pending offer of a lead (if any) to its
// current partner, reassigned by user.
func withdrawOffer(tx core.App, lead, user *core.Record, now time.Time) error {
	o, err := pendingOffer(tx, lead.Id, lead.GetString("partner"))
	if err != nil {
		return nil // no pending offer: nothing to withdraw
	}
	o.Set("outcome", "withdrawn")
	o.Set("decided_at", now)
	o.Set("decided_by", user.Id)
	o.Set("reason", "reassigned")
	return tx.Save(o)
}
