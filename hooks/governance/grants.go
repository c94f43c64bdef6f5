package governance

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// Grants are time-boxed rights (SPEC §2 grants, §5):
//
//   - kind "territory": the user reaches the records of one more territory
//     wherever their role holds the `territory` level. The compiled rules
//     check starts/expires against @now (policy.inTerritory), so the grant
//     stops at `expires` even if no job runs.
//   - kind "export": a one-off right to export one resource with
//     GET /api/prm/export/{resource}; the first export uses it up
//     (`used_at`), and it cannot be used after `expires`.
//   - kind "role" (temporary role) is not supported: the rules read the
//     role from the account itself, so a temporary role could not stop at
//     expiry without a job. Requests and grants of that kind are refused.
//
// Grants are created by CreateGrant (route POST /api/prm/grants, admins)
// or by approving an access request; superusers may also create them in
// /_/ (audited as grants.create by the REST API's audit). The suspension job records
// the expiry of each grant (grants.expire).

// MaxGrantDuration bounds how long a grant may run.
const MaxGrantDuration = 366 * 24 * time.Hour

// GrantSpec describes a grant to create.
type GrantSpec struct {
	User      string    // users id (required)
	Kind      string    // "territory" or "export"
	Territory string    // territories id, for kind territory
	Resource  string    // matrix resource, for kind export
	Starts    time.Time // zero: now
	Expires   time.Time // required, after Starts, at most MaxGrantDuration after now
	Reason    string
	GrantedBy string // users id of the grantor ("" for superusers and jobs)
}

// grantActions are the audit actions of grants.
const (
	ActionGrantCreate = "grants.create"
	ActionGrantRevoke = "grants.revoke"
	ActionGrantExpire = "grants.expire"
)

// CreateGrant validates s, stores the grant and writes one grants.create
// audit entry, in one transaction.
func CreateGrant(app core.App, by audit.Actor, s GrantSpec, now time.Time) (*core.Record, error) {
	var g *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		if g, err = newGrant(tx, s, now); err != nil {
			return err
		}
		return audit.Append(tx, by, ActionGrantCreate, "grants", g.Id, grantChanges(g))
	})
	return g, err
}

// grantChanges is the audited description of a grant.
func grantChanges(g *core.Record) map[string]any {
	return map[string]any{
		"user": g.GetString("user"), "kind": g.GetString("kind"), "territory": g.GetString("territory"),
		"resource": g.GetString("resource"), "starts": g.GetString("starts"), "expires": g.GetString("expires"),
		"reason": g.GetString("reason"), "granted_by": g.GetString("granted_by"),
	}
}

// newGrant validates and saves a grant (no audit: the caller records the
// action that created it).
func newGrant(tx core.App, s GrantSpec, now time.Time) (*core.Record, error) {
	if err := validateGrant(tx, &s, now); err != nil {
		return nil, err
	}
	c, err := tx.FindCachedCollectionByNameOrId("grants")
	if err != nil {
		return nil, err
	}
	g := core.NewRecord(c)
	g.Set("user", s.User)
	g.Set("kind", s.Kind)
	g.Set("territory", s.Territory)
	g.Set("resource", s.Resource)
	g.Set("starts", s.Starts)
	g.Set("expires", s.Expires)
	g.Set("reason", s.Reason)
	g.Set("granted_by", s.GrantedBy)
	if err := tx.Save(g); err != nil {
		return nil, err
	}
	return g, nil
}

// validateGrant checks a grant against the invariants: a known, usable
// user; a territory grant only for non-partner roles (a partner role never
// reaches beyond its company, SPEC §3.3.1); an export grant only on a
// collection resource the user's role can read; a bounded period.
func validateGrant(app core.App, s *GrantSpec, now time.Time) error {
	bad := func(field, format string, args ...any) error {
		return domain.Errorf(domain.KindInvalid, "invalid_grant", field, format, args...)
	}
	user, err := app.FindRecordById("users", s.User)
	if errors.Is(err, sql.ErrNoRows) {
		return bad("user", "unknown user")
	}
	if err != nil {
		return err
	}
	kind, err := access.RoleKind(app, user.GetString("role"))
	if err != nil {
		return err
	}
	switch s.Kind {
	case "territory":
		if s.Territory == "" {
			return bad("territory", "a territory grant needs an existing territory")
		}
		if _, err := app.FindRecordById("territories", s.Territory); errors.Is(err, sql.ErrNoRows) {
			return bad("territory", "a territory grant needs an existing territory")
		} else if err != nil {
			return err
		}
		if kind != roles.Internal {
			return bad("territory", "only internal roles can hold territory grants (partner roles never reach beyond their company)")
		}
		s.Resource = ""
	case "export":
		if !exportableResource(app, s.Resource) {
			return bad("resource", "an export grant needs an exportable resource")
		}
		cell, ok, err := access.RoleCell(app, user.GetString("role"), s.Resource)
		if err != nil {
			return err
		}
		if !ok || cell.Read == policy.None {
			return bad("resource", "the user's role cannot read %s", s.Resource)
		}
		s.Territory = ""
	case "role":
		return bad("kind", "temporary roles are not supported; change the user's role instead")
	default:
		return bad("kind", "kind must be territory or export")
	}
	if s.Starts.IsZero() {
		s.Starts = now
	}
	if s.Expires.IsZero() || !s.Expires.After(s.Starts) || !s.Expires.After(now) {
		return bad("expires", "expires must be in the future and after starts")
	}
	if s.Expires.Sub(now) > MaxGrantDuration {
		return bad("expires", "a grant runs for at most %d days", int(MaxGrantDuration.Hours()/24))
	}
	return nil
}

// RevokeGrant ends a running grant now and writes one grants.revoke entry.
func RevokeGrant(app core.App, by audit.Actor, id string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		g, err := tx.FindRecordById("grants", id)
		if err != nil {
			return domain.MissingAsNotVisible(err)
		}
		if !g.GetDateTime("ended_at").IsZero() || !g.GetDateTime("expires").Time().After(now) {
			return domain.Errorf(domain.KindConflict, "grant_ended", "", "this grant has already ended")
		}
		from := g.GetString("expires")
		g.Set("expires", now)
		g.Set("ended_at", now)
		if err := tx.Save(g); err != nil {
			return err
		}
		return audit.Append(tx, by, ActionGrantRevoke, "grants", g.Id, map[string]any{
			"user": g.GetString("user"), "kind": g.GetString("kind"), "expires": map[string]any{"from": from, "to": g.GetString("expires")},
		})
	})
}

// runningGrant is the filter of grants that run at :now.
const runningGrant = "(starts = '' OR starts <= {:now}) AND expires > {:now} AND NOT (kind = 'export' AND used_at != '')"

// ActiveGrants returns the grants of a user (and of their partner company)
// that run at now; a used export grant no longer runs.
func ActiveGrants(app core.App, user *core.Record, now time.Time) ([]*core.Record, error) {
	where := dbx.NewExp("(user = {:u} OR (partner != '' AND partner = {:p})) AND "+runningGrant,
		dbx.Params{"u": user.Id, "p": user.GetString("partner"), "now": now.UTC().Format(types.DefaultDateLayout)})
	return app.FindAllRecords("grants", where)
}
