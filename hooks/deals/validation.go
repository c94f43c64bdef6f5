package deals

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// requireValidator refuses users whose role does not validate wins and
// decide registrations (channel managers in their territories, admins).
func requireValidator(app core.App, user *core.Record, what string) error {
	if user == nil {
		return domain.ErrForbidden
	}
	a, err := actorOf(app, user)
	if err != nil {
		return err
	}
	if !a.Validator {
		return domain.Forbidden("not_allowed", "only channel managers and admins "+what)
	}
	return nil
}

// validatorView returns the opportunity if the validator may see and
// update it (channel managers: their territories).
func validatorView(app core.App, user *core.Record, id string) (*core.Record, error) {
	rec, err := access.ViewFor(app, user, "opportunities", id)
	if err != nil {
		return nil, err
	}
	ok, err := access.CanDo(app, user, rec, "update", map[string]any{})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.ErrNotVisible
	}
	return rec, nil
}

// ValidateWin decides a pending win: approve moves the opportunity to won;
// reject (with a note) leaves its stage. The requester is notified.
func ValidateWin(app core.App, by access.By, id string, approve bool, note string) (*core.Record, error) {
	if err := requireValidator(app, by.User, "validate wins"); err != nil {
		return nil, err
	}
	if _, err := validatorView(app, by.User, id); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if !approve && len([]rune(note)) < 3 {
		return nil, domain.Invalid("required", "note", "a reason is required to refuse a win")
	}
	if len([]rune(note)) > 1000 {
		return nil, domain.Invalid("too_long", "note", "the note is longer than 1000 characters")
	}
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		// validatorView read it through the rules; this is the re-read
		// inside the write transaction (decisions are serialised)
		rec, err := tx.FindRecordById("opportunities", id)
		if err != nil {
			return domain.ErrNotVisible
		}
		if !rec.GetBool("won_pending") {
			return domain.Conflict("no_pending_win", "this opportunity has no win waiting for validation")
		}
		now := types.NowDateTime()
		action, msgID := "opportunity.win_reject", "win_rejected"
		rec.Set("won_pending", false)
		rec.Set("won_validated_by", by.User.Id)
		rec.Set("won_validated_at", now)
		rec.Set("validation_note", note)
		if approve {
			if rec.GetFloat("amount") <= 0 {
				return domain.Invalid(CodeOutcomeRequired, "amount", "a won opportunity needs an amount greater than zero")
			}
			rec.Set("stage", Won)
			if rec.GetDateTime("close_date").IsZero() {
				rec.Set("close_date", now)
			}
			action, msgID = "opportunity.win_validate", "win_validated"
		}
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		if err := audit.Append(tx, by.Actor, action, "opportunities", rec.Id, changes); err != nil {
			return err
		}
		if req := rec.GetString("won_requested_by"); req != "" {
			msg := notify.Msg(msgID, append(oppArgs(rec), "note", note)...)
			if err := notify.Send(tx, req, "win_decision", rec.GetString("lead"), msg); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	return out, err
}

// validatorsOf returns the users who arbitrate an opportunity: the active
// channel managers of its territory and its partner's channel manager, or
// every active admin when there is none. A system read (who to notify):
// the ids are never shown to the user who acts.
func validatorsOf(app core.App, rec *core.Record) ([]string, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	if t := rec.GetString("territory"); t != "" {
		err := app.DB().NewQuery(`SELECT DISTINCT u.id AS id FROM users u, json_each(CASE WHEN json_valid(u.territories) THEN u.territories ELSE '[]' END) t
			WHERE u.role = {:role} AND u.active = 1 AND t.value = {:t}`).Bind(dbx.Params{"t": t, "role": roles.ChannelManager}).All(&rows)
		if err != nil {
			return nil, err
		}
	}
	if p := rec.GetString("partner"); p != "" {
		more := rows[:0:0]
		err := app.DB().NewQuery(`SELECT u.id AS id FROM partners p JOIN users u ON u.id = p.channel_manager
			WHERE p.id = {:p} AND u.active = 1`).Bind(dbx.Params{"p": p}).All(&more)
		if err != nil {
			return nil, err
		}
		rows = append(rows, more...)
	}
	if len(rows) == 0 {
		if err := app.DB().NewQuery("SELECT id FROM users WHERE role = {:role} AND active = 1").Bind(dbx.Params{"role": roles.Admin}).All(&rows); err != nil {
			return nil, err
		}
	}
	var ids []string
	for _, r := range rows {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}

// NotifyWinToValidate tells the validators that a win waits for them.
func NotifyWinToValidate(tx core.App, rec *core.Record, by *core.Record) error {
	ids, err := validatorsOf(tx, rec)
	if err != nil {
		return err
	}
	msg := notify.Msg("win_to_validate", oppArgs(rec)...)
	for _, id := range ids {
		if by != nil && by.Id == id {
			continue
		}
		if err := notify.Send(tx, id, "win_validation", rec.GetString("lead"), msg); err != nil {
			return err
		}
	}
	return nil
}

// partnerRecipients returns the registrant and the active partner managers
// of an opportunity's partner: who "the partner" is for a notification. A
// system read, like validatorsOf.
func partnerRecipients(app core.App, rec *core.Record) ([]string, error) {
	var ids []string
	if r := rec.GetString("registered_by"); r != "" {
		ids = append(ids, r)
	}
	rows := []struct {
		ID string `db:"id"`
	}{}
	if p := rec.GetString("partner"); p != "" {
		if err := app.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = {:role} AND active = 1").
			Bind(dbx.Params{"p": p, "role": roles.PartnerManager}).All(&rows); err != nil {
			return nil, err
		}
	}
	for _, r := range rows {
		if !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}
