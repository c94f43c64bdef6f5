package team

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/writepath"
)

// SetActive deactivates (or reactivates) an account. Internal users go
// through the write path (the users UpdateRule); a partner manager through
// the team ceiling, for its own company's salespeople only. Deactivation
// rotates the token key (the account hooks): every session ends.
func SetActive(app core.App, by access.By, id string, active bool, now time.Time) (*core.Record, error) {
	if by.User == nil {
		return nil, domain.ErrForbidden
	}
	kind, err := access.RoleKindOf(app, by.User)
	if err != nil {
		return nil, err
	}
	if kind != roles.Partner {
		return writepath.UpdateFor(app, by, "users", id, map[string]any{"active": active})
	}
	rec, err := teamMember(app, by, id, now)
	if err != nil {
		return nil, err
	}
	return saveAudited(app, by, "users.update", func() (*core.Record, error) {
		rec.Set("active", active)
		return rec, nil
	})
}

// Resend sends the invitation of an account again, to a user who may
// manage it (an internal user who may update it, a partner manager for
// its salespeople), while it has not set its password.
func Resend(app core.App, by access.By, id string, now time.Time) (*core.Record, error) {
	if by.User == nil {
		return nil, domain.ErrForbidden
	}
	kind, err := access.RoleKindOf(app, by.User)
	if err != nil {
		return nil, err
	}
	var rec *core.Record
	if kind == roles.Partner {
		rec, err = teamMember(app, by, id, now)
	} else {
		rec, err = access.ViewFor(app, by.User, "users", id)
		if err == nil {
			var ok bool
			if ok, err = access.CanDo(app, by.User, rec, "update", map[string]any{"active": true}); err == nil && !ok {
				err = domain.Forbidden("not_allowed", "you may not manage this account")
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if rec.Verified() {
		return nil, domain.Conflict("invite_accepted", "this account has already set its password")
	}
	if access.AccountBlock(app, rec, now) != "" {
		return nil, domain.Conflict("invite_blocked", "this account may not log in")
	}
	return rec, send(app, rec)
}

// teamMember returns an account a partner manager may manage: one it
// sees (the users rules) within the team ceiling, not itself.
func teamMember(app core.App, by access.By, id string, now time.Time) (*core.Record, error) {
	if id == by.User.Id {
		return nil, domain.Forbidden(CodeSelf, "you cannot change your own account this way")
	}
	rec, err := access.ViewFor(app, by.User, "users", id)
	if err != nil {
		return nil, err
	}
	ok, err := Manages(app, by.User, now)
	if err != nil {
		return nil, err
	}
	me, err := MemberOf(app, by.User)
	if err != nil {
		return nil, err
	}
	me.Manager = me.Manager && ok
	target, err := MemberOf(app, rec)
	if err != nil {
		return nil, err
	}
	if err := Ceiling(me, target); err != nil {
		return nil, err
	}
	return rec, nil
}

// CanManage reports whether a partner manager may deactivate, reactivate
// or re-invite target (an account it already sees): the team ceiling, not
// itself.
func CanManage(app core.App, user, target *core.Record, now time.Time) (bool, error) {
	if user == nil || target.Id == user.Id {
		return false, nil
	}
	ok, err := Manages(app, user, now)
	if err != nil || !ok {
		return false, err
	}
	me, err := MemberOf(app, user)
	if err != nil {
		return false, err
	}
	them, err := MemberOf(app, target)
	if err != nil {
		return false, err
	}
	return Ceiling(me, them) == nil, nil
}
