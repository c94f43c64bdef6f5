package team

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/writepath"
)

// NewUser is an account to create: Partner is required for partner roles
// (a partner manager's invitations default to its own company);
// Territories are a channel manager's; Expires is optional.
type NewUser struct {
	Email, Name, Role, Partner, Locale string
	Territories                        []string
	Expires                            time.Time
}

// body is the users record body of an account to create: active, not yet
// verified (the invitation's page verifies it).
func (n NewUser) body() map[string]any {
	b := map[string]any{
		"email": strings.ToLower(strings.TrimSpace(n.Email)), "name": strings.TrimSpace(n.Name), "role": n.Role,
		"partner": n.Partner, "active": true, "verified": false,
	}
	if n.Locale != "" {
		b["locale"] = n.Locale
	}
	if len(n.Territories) > 0 {
		b["territories"] = n.Territories
	}
	if !n.Expires.IsZero() {
		b["access_expires"] = n.Expires.UTC()
	}
	return b
}

// check refuses an account without a name or e-mail, or that expires in
// the past.
func (n NewUser) check(now time.Time) error {
	switch {
	case strings.TrimSpace(n.Email) == "":
		return domain.Invalid("required", "email", "the e-mail address is required")
	case strings.TrimSpace(n.Name) == "":
		return domain.Invalid("required", "name", "the name is required")
	case n.Role == "":
		return domain.Invalid("required", "role", "the role is required")
	case !n.Expires.IsZero() && !n.Expires.After(now):
		return domain.Invalid("expires_past", "access_expires", "the access must end in the future")
	}
	return nil
}

// MemberOf describes an account for the ceiling, from the cached matrix.
func MemberOf(app core.App, u *core.Record) (Member, error) {
	return memberWithRole(app, u.GetString("role"), u.GetString("partner"))
}

func memberWithRole(app core.App, roleID, partner string) (Member, error) {
	m, err := access.SharedMatrix(app)
	if err != nil {
		return Member{}, err
	}
	r, _ := m.Role(roleID)
	return Member{Kind: r.Kind, Manager: IsManager(r.Kind, m.Cell(roleID, "users").Read), Partner: partner}, nil
}

// Manages reports whether user may run its company's team (a partner
// manager of an active company whose account may log in).
func Manages(app core.App, user *core.Record, now time.Time) (bool, error) {
	if user == nil || user.Collection().Name != "users" || access.AccountBlock(app, user, now) != "" {
		return false, nil
	}
	me, err := MemberOf(app, user)
	if err != nil || !me.Manager || me.Partner == "" {
		return false, err
	}
	p, err := app.FindRecordById("partners", me.Partner)
	if err != nil {
		return false, domain.MissingAsNotVisible(err)
	}
	return p.GetString("status") == "active", nil
}

// Invite creates an account and sends its invitation. Internal users
// create through the write path (the users CreateRule); partner roles
// through the team ceiling only. The account is created even when the
// e-mail cannot be sent: the error then says so (ErrNotSent) and Resend
// tries again.
func Invite(app core.App, by access.By, in NewUser, now time.Time) (*core.Record, error) {
	if by.User == nil {
		return nil, domain.ErrForbidden
	}
	if err := in.check(now); err != nil {
		return nil, err
	}
	kind, err := access.RoleKindOf(app, by.User)
	if err != nil {
		return nil, err
	}
	var rec *core.Record
	if kind == roles.Partner {
		rec, err = inviteToTeam(app, by, in, now)
	} else {
		rec, err = writepath.CreateFor(app, by, "users", in.body())
	}
	if err != nil {
		return nil, err
	}
	return rec, send(app, rec)
}

// ErrNotSent says that an account was created (or exists) but its
// invitation e-mail could not be sent.
var ErrNotSent = domain.Conflict("invite_not_sent", "the account exists but the invitation e-mail could not be sent")

func send(app core.App, u *core.Record) error {
	if err := mails.SendRecordVerification(app, u); err != nil {
		app.Logger().Error("invitation e-mail not sent", "user", u.Id, "error", err)
		return ErrNotSent
	}
	return nil
}

// inviteToTeam creates a salesperson of the partner manager's company.
func inviteToTeam(app core.App, by access.By, in NewUser, now time.Time) (*core.Record, error) {
	ok, err := Manages(app, by.User, now)
	if err != nil {
		return nil, err
	}
	me, err := MemberOf(app, by.User)
	if err != nil {
		return nil, err
	}
	if !ok {
		me.Manager = false
	}
	if in.Partner == "" {
		in.Partner = me.Partner
	}
	target, err := memberWithRole(app, in.Role, in.Partner)
	if err != nil {
		return nil, err
	}
	if err := Ceiling(me, target); err != nil {
		return nil, err
	}
	if len(in.Territories) > 0 {
		return nil, domain.Forbidden(CodeRole, "partner accounts have no territories")
	}
	return saveAudited(app, by, "users.create", func() (*core.Record, error) {
		coll, err := app.FindCachedCollectionByNameOrId("users")
		if err != nil {
			return nil, err
		}
		body := in.body()
		if err := fieldcheck.Body(coll, body); err != nil {
			return nil, fieldcheck.AsDomain(err)
		}
		rec := core.NewRecord(coll)
		access.LoadBody(rec, body)
		rec.SetVerified(false)
		rec.SetRandomPassword()
		return rec, nil
	})
}

// saveAudited saves the record prepare returns with its audit entry, in
// one transaction.
func saveAudited(app core.App, by access.By, action string, prepare func() (*core.Record, error)) (*core.Record, error) {
	rec, err := prepare()
	if err != nil {
		return nil, err
	}
	changes := audit.Diff(rec)
	err = app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(rec); err != nil {
			return fieldcheck.AsDomain(err)
		}
		return audit.Append(tx, by.Actor, action, "users", rec.Id, changes)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// InvitableRoles are the roles a user may pick for a new account: for a
// partner manager, the partner roles that are not managers; for an
// internal user, every role (the users CreateRule decides).
func InvitableRoles(app core.App, user *core.Record) ([]string, error) {
	m, err := access.SharedMatrix(app)
	if err != nil {
		return nil, err
	}
	me, err := MemberOf(app, user)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range m.Roles {
		target := Member{Kind: r.Kind, Manager: IsManager(r.Kind, m.Cell(r.ID, "users").Read), Partner: me.Partner}
		if me.Kind != roles.Partner || Ceiling(me, target) == nil {
			out = append(out, r.ID)
		}
	}
	return out, nil
}
