package distribution

import (
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// Arbitration is a channel manager's decision on a held lead: the action
// (Arbitrate* constants), the partner of ArbitrateAssignOther and the
// mandatory reason.
type Arbitration struct {
	Action  string `json:"action"`
	Partner string `json:"partner"`
	Reason  string `json:"reason"`
}

// Arbitrate decides a lead held as a channel conflict: channel managers in
// their territories and admins anywhere (whoever distributes leads and may
// update this one), with a reason, in one transaction audited as
// lead.arbitrate (action, reason, the matched record and its partner):
//
//   - assign to the holder / elsewhere: the hold is released and the lead
//     offered to that partner (audited lead.assign too);
//   - merge: the lead is closed (lost, reason "merged") into the lead it
//     matched; its activities move there as internal ones, its contact too
//     when that lead has none, and an internal note records the merge;
//   - return to pool: the hold is released and the lead goes back to
//     qualification (qualifying: not distributed until qualified again);
//   - dismiss: not a duplicate; the hold and the match are cleared and a
//     ready lead is distributed at once.
func Arbitrate(app core.App, by access.By, leadID string, a Arbitration) (*core.Record, error) {
	reason, err := checkArbitrationReason(a.Reason)
	if err != nil {
		return nil, err
	}
	if err := mayArbitrate(app, by.User, leadID); err != nil {
		return nil, err
	}
	if a.Action == ArbitrateAssignOther {
		if err := checkAssign(app, by.User, leadID, a.Partner); err != nil {
			return nil, err
		}
	}
	now := time.Now()
	var out *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		lead, err := tx.FindRecordById("leads", leadID)
		if err != nil {
			return domain.ErrNotVisible
		}
		h := heldOf(lead)
		partner, err := arbitrationStep(a.Action, h, a.Partner)
		if err != nil {
			return err
		}
		changes := map[string]any{"action": a.Action, "reason": reason, "conflict_kind": h.ConflictKind,
			"conflict_ref": h.ConflictRef, "conflict_partner": h.Holder, "from_status": h.Status}
		out = lead
		switch a.Action {
		case ArbitrateAssignHolder, ArbitrateAssignOther:
			return arbitrateAssign(tx, by, lead, partner, changes, now)
		case ArbitrateMerge:
			return arbitrateMerge(tx, by, lead, reason, changes, now)
		case ArbitrateReturn:
			lead.Set("held", false)
			lead.Set("status", lifecycle.StatusQualifying)
			if err := tx.Save(lead); err != nil {
				return err
			}
			return audit.Append(tx, by.Actor, ActionArbitrate, "leads", lead.Id, changes)
		}
		return arbitrateDismiss(tx, by, lead, changes, now)
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

// heldOf reads what the arbitration decision needs of a lead.
func heldOf(lead *core.Record) heldLead {
	return heldLead{Held: lead.GetBool("held"), Status: lead.GetString("status"), ConflictKind: lead.GetString("conflict_kind"),
		ConflictRef: lead.GetString("conflict_ref"), Holder: lead.GetString("conflict_partner")}
}

// mayArbitrate checks, through the rules, that user arbitrates conflicts
// on this lead: an internal role that distributes leads (update at the
// territory or all level) and may view and update the lead.
func mayArbitrate(app core.App, user *core.Record, leadID string) error {
	if ok, err := access.HasKind(app, user, roles.Internal); err != nil {
		return err
	} else if !ok {
		return domain.Forbidden("not_allowed", "only channel managers and admins arbitrate conflicts")
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
	if ok, err := access.CanDo(app, user, lead, "update", map[string]any{}); err != nil {
		return err
	} else if !ok {
		return domain.ErrNotVisible
	}
	return nil
}

// arbitrateAssign releases the hold and offers the lead to partner.
func arbitrateAssign(tx core.App, by access.By, lead *core.Record, partner string, changes map[string]any, now time.Time) error {
	if err := checkTakingPartner(tx, partner, now); err != nil {
		return err
	}
	changes["to_partner"] = partner
	if err := audit.Append(tx, by.Actor, ActionArbitrate, "leads", lead.Id, changes); err != nil {
		return err
	}
	settings, err := access.LoadSettings(tx)
	if err != nil {
		return err
	}
	lead.Set("held", false)
	return offer(tx, lead, partner, settings.DefaultAcceptHours, by.Actor, "lead.assign", now)
}

// arbitrateDismiss clears the hold and the match of a lead that is not a
// duplicate, then distributes it if it is ready.
func arbitrateDismiss(tx core.App, by access.By, lead *core.Record, changes map[string]any, now time.Time) error {
	lead.Set("held", false)
	for _, f := range []string{"duplicate_of", "conflict_kind", "conflict_ref", "conflict_partner"} {
		lead.Set(f, "")
	}
	if err := tx.Save(lead); err != nil {
		return err
	}
	if err := audit.Append(tx, by.Actor, ActionArbitrate, "leads", lead.Id, changes); err != nil {
		return err
	}
	if !lifecycle.Distributable(lead.GetString("status")) {
		return nil
	}
	_, err := Distribute(tx, lead.Id, by.Actor, now)
	return err
}

// arbitrateMerge closes the lead into the lead it matched: its activities
// move there (internal: they were logged before any partner had the lead),
// its contact too when the target has none, an internal note tells the
// merge, and the lead is closed as lost with the reason "merged".
func arbitrateMerge(tx core.App, by access.By, lead *core.Record, reason string, changes map[string]any, now time.Time) error {
	target, err := tx.FindRecordById("leads", lead.GetString("conflict_ref"))
	if err != nil {
		return domain.Conflict("not_mergeable", "the matched lead no longer exists")
	}
	acts, err := tx.FindAllRecords("activities", dbx.HashExp{"lead": lead.Id})
	if err != nil {
		return err
	}
	moved := make([]string, 0, len(acts))
	for _, act := range acts {
		act.Set("lead", target.Id)
		act.Set("internal", true)
		if err := tx.Save(act); err != nil {
			return err
		}
		moved = append(moved, act.Id)
	}
	changes["merged_into"] = target.Id
	changes["moved_activities"] = moved
	if c, err := moveContact(tx, lead.Id, target.Id); err != nil {
		return err
	} else if c != "" {
		changes["moved_contact"] = c
	}
	if err := mergeNote(tx, by, lead, target, reason, now); err != nil {
		return err
	}
	lead.Set("held", false)
	lead.Set("duplicate_of", target.Id)
	lead.Set("status", lifecycle.StatusLost)
	lead.Set("lost_reason", MergedReason)
	lead.Set("closed_at", now)
	if err := tx.Save(lead); err != nil {
		return err
	}
	return audit.Append(tx, by.Actor, ActionArbitrate, "leads", lead.Id, changes)
}

// moveContact moves the contact of a merged lead to the target lead when
// the target has none; it returns the moved contact's id ("" if none).
func moveContact(tx core.App, from, to string) (string, error) {
	var n int
	if err := tx.DB().NewQuery("SELECT COUNT(*) FROM lead_contacts WHERE lead = {:l}").Bind(dbx.Params{"l": to}).Row(&n); err != nil || n > 0 {
		return "", err
	}
	recs, err := tx.FindAllRecords("lead_contacts", dbx.HashExp{"lead": from})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	recs[0].Set("lead", to)
	return recs[0].Id, tx.Save(recs[0])
}

// mergeNote records on the target lead, as an internal note, that a
// duplicate was merged into it and why.
func mergeNote(tx core.App, by access.By, lead, target *core.Record, reason string, now time.Time) error {
	c, err := tx.FindCachedCollectionByNameOrId("activities")
	if err != nil {
		return err
	}
	note := core.NewRecord(c)
	note.Set("lead", target.Id)
	note.Set("kind", "note")
	note.Set("summary", "Doublon fusionné / duplicate merged ("+lead.GetString("source")+" "+lead.Id+"): "+reason)
	note.Set("at", now)
	note.Set("internal", true)
	if by.User != nil && by.User.Collection().Name == "users" {
		note.Set("author", by.User.Id)
	}
	return tx.Save(note)
}
