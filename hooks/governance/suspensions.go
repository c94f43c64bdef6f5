package governance

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
)

// Audit actions of the suspension job (and of the same changes made
// elsewhere).
const (
	ActionUserActivate   = "users.activate"
	ActionUserDeactivate = "users.deactivate"
	ActionUserFlag       = "users.flag_inactive"
	ActionPartnerEnd     = "partners.end"
)

// SuspensionReport lists what one RunSuspensions pass changed (record ids).
type SuspensionReport struct {
	Expired           []string `json:"expired,omitempty"`            // users deactivated at access_expires
	PartnersEnded     []string `json:"partners_ended,omitempty"`     // partners ended at contract_end
	FlaggedInactive   []string `json:"flagged_inactive,omitempty"`   // users flagged inactive (not suspended)
	SuspendedInactive []string `json:"suspended_inactive,omitempty"` // users flagged and deactivated (settings suspend_inactive)
	GrantsExpired     []string `json:"grants_expired,omitempty"`     // grants whose expiry was recorded
}

// Empty reports whether the pass changed nothing.
func (r SuspensionReport) Empty() bool {
	return len(r.Expired)+len(r.PartnersEnded)+len(r.FlaggedInactive)+len(r.SuspendedInactive)+len(r.GrantsExpired) == 0
}

// RunSuspensions is the automatic suspension job (SPEC §5), run every five
// minutes under `serve` and callable directly. As of now it:
//
//  1. deactivates active users whose access_expires has passed (the users
//     hook rotates their token key: every session ends);
//  2. ends partners whose contract_end has passed (the partners hook
//     revokes the sessions of all their users; the rules and the login
//     check refuse users of a partner that is not active);
//  3. flags active users who have not logged in for more than
//     settings_prm.inactivity_days (never logged in: counted from the
//     account's creation), and also deactivates them when
//     settings_prm.suspend_inactive is set; a login clears the flag;
//  4. records the expiry of grants (they stopped working at `expires`
//     without this job; this only writes grants.expire).
//
// Access was already refused at the deadline by the rules and the session
// guard (they compare with the clock); the job makes the state explicit
// and audited. Each change is saved with its audit entry in one
// transaction; an error on one record does not stop the others.
func RunSuspensions(app core.App, now time.Time) (SuspensionReport, error) {
	var rep SuspensionReport
	var errs []error
	actor := audit.SystemActor("suspensions")
	at := now.UTC().Format(types.DefaultDateLayout)

	// each applies a change to every record matching where, each in its own
	// transaction (re-checked inside it); apply returns the report list the
	// record goes to once committed.
	each := func(collection string, where dbx.Expression, apply func(tx core.App, r *core.Record) (*[]string, error)) {
		recs, err := app.FindAllRecords(collection, where)
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, r := range recs {
			var list *[]string
			err := app.RunInTransaction(func(tx core.App) error {
				fresh, err := tx.FindRecordById(collection, r.Id, func(q *dbx.SelectQuery) error {
					q.AndWhere(where)
					return nil
				})
				if errors.Is(err, sql.ErrNoRows) {
					return errSkip // changed meanwhile
				}
				if err != nil {
					return err // a read error is reported, not taken for a change
				}
				list, err = apply(tx, fresh)
				return err
			})
			switch {
			case err == nil:
				*list = append(*list, r.Id)
			case !errors.Is(err, errSkip):
				errs = append(errs, fmt.Errorf("%s %s: %w", collection, r.Id, err))
			}
		}
	}

	// 1. accounts past access_expires
	each("users", dbx.NewExp("active = 1 AND access_expires != '' AND access_expires <= {:now}", dbx.Params{"now": at}),
		func(tx core.App, u *core.Record) (*[]string, error) {
			u.Set("active", false)
			if err := tx.Save(u); err != nil {
				return nil, err
			}
			return &rep.Expired, audit.Append(tx, actor, ActionUserDeactivate, "users", u.Id, map[string]any{
				"active": map[string]any{"from": true, "to": false}, "reason": "access_expires", "access_expires": u.GetString("access_expires"),
			})
		})

	// 2. partners past contract_end
	each("partners", dbx.NewExp("status != 'ended' AND contract_end != '' AND contract_end <= {:now}", dbx.Params{"now": at}),
		func(tx core.App, p *core.Record) (*[]string, error) {
			from := p.GetString("status")
			p.Set("status", "ended")
			if err := tx.Save(p); err != nil {
				return nil, err
			}
			return &rep.PartnersEnded, audit.Append(tx, actor, ActionPartnerEnd, "partners", p.Id, map[string]any{
				"status": map[string]any{"from": from, "to": "ended"}, "reason": "contract_end", "contract_end": p.GetString("contract_end"),
			})
		})

	// 3. inactivity
	// (unreadable settings skip this step, reported, and let the others run)
	s, err := access.LoadSettings(app)
	if err != nil {
		errs = append(errs, fmt.Errorf("inactivity: %w", err))
	}
	if err == nil && s.InactivityDays > 0 {
		days := s.InactivityDays
		suspend := s.SuspendInactive
		cutoff := now.Add(-time.Duration(days) * 24 * time.Hour).UTC().Format(types.DefaultDateLayout)
		each("users", dbx.NewExp("active = 1 AND inactive_flagged_at = '' AND "+
			"((last_login != '' AND last_login < {:cutoff}) OR (last_login = '' AND created < {:cutoff}))", dbx.Params{"cutoff": cutoff}),
			func(tx core.App, u *core.Record) (*[]string, error) {
				u.Set("inactive_flagged_at", now)
				action := ActionUserFlag
				changes := map[string]any{"reason": "inactivity", "inactivity_days": days, "last_login": u.GetString("last_login")}
				if suspend {
					u.Set("active", false)
					action = ActionUserDeactivate
					changes["active"] = map[string]any{"from": true, "to": false}
				}
				if err := tx.Save(u); err != nil {
					return nil, err
				}
				list := &rep.FlaggedInactive
				if suspend {
					list = &rep.SuspendedInactive
				}
				return list, audit.Append(tx, actor, action, "users", u.Id, changes)
			})
	}

	// 4. grant expiry
	each("grants", dbx.NewExp("ended_at = '' AND expires <= {:now}", dbx.Params{"now": at}),
		func(tx core.App, g *core.Record) (*[]string, error) {
			g.Set("ended_at", now)
			if err := tx.Save(g); err != nil {
				return nil, err
			}
			return &rep.GrantsExpired, audit.Append(tx, actor, ActionGrantExpire, "grants", g.Id, map[string]any{
				"user": g.GetString("user"), "kind": g.GetString("kind"), "territory": g.GetString("territory"),
				"resource": g.GetString("resource"), "expires": g.GetString("expires"), "used_at": g.GetString("used_at"),
			})
		})

	return rep, errors.Join(errs...)
}

// errSkip rolls back a step whose record no longer qualifies.
var errSkip = errors.New("skip")
