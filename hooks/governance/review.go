package governance

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// Access review (SPEC §5): "who sees what". AccessReview computes, for every
// account (users and PocketBase superusers), its role, partner,
// territories, running grants, the number of leads, accounts and contacts
// it can see right now — counted through ListFor, i.e. the rules in force,
// exactly what the REST API would list — its last login and flags. A
// quarterly campaign (cron, or `relais access-review --open`) stores one
// access_review_items record per user; an admin records keep / revoke /
// change per item with DecideReviewItem; revoke deactivates the account at
// once and ends its grants.

// Audit actions of access reviews.
const (
	ActionReviewOpen   = "access_reviews.open"
	ActionReviewDecide = "access_review_items.decide"
)

// Review flags.
const (
	FlagSuperuser        = "superuser"
	FlagAdmin            = "admin"
	FlagDeactivated      = "deactivated"
	FlagExpired          = "expired"
	FlagTemporary        = "temporary"
	FlagPartnerEnded     = "partner_ended"
	FlagPartnerSuspended = "partner_suspended"
	FlagInactive         = "inactive"
	FlagNeverLoggedIn    = "never_logged_in"
	// FlagCertificateLapsed: the account's partner holds a certificate
	// kind whose latest certificate ended (package certificates).
	FlagCertificateLapsed = "certificate_lapsed"
)

// ReviewGrant is a running grant as shown in the review.
type ReviewGrant struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Territory string `json:"territory,omitempty"` // territory code
	Resource  string `json:"resource,omitempty"`
	Expires   string `json:"expires"`
}

// ReviewRow is one account of the access review.
type ReviewRow struct {
	Account       string        `json:"account"` // "user" or "superuser"
	ID            string        `json:"id"`
	Email         string        `json:"email"`
	Name          string        `json:"name,omitempty"`
	Role          string        `json:"role"`
	RoleKind      string        `json:"role_kind,omitempty"`
	Partner       string        `json:"partner,omitempty"`
	PartnerName   string        `json:"partner_name,omitempty"`
	PartnerStatus string        `json:"partner_status,omitempty"`
	Territories   []string      `json:"territories"` // codes of the managed territories
	Active        bool          `json:"active"`
	AccessExpires string        `json:"access_expires,omitempty"`
	Grants        []ReviewGrant `json:"grants"`
	Leads         int           `json:"leads"`
	Accounts      int           `json:"accounts"`
	Contacts      int           `json:"contacts"`
	LastLogin     string        `json:"last_login,omitempty"`
	Flags         []string      `json:"flags"`
}

// reviewCounted are the collections whose visible records are counted.
var reviewCounted = []string{"leads", "accounts", "contacts"}

// AccessReview returns one row per account, superusers first, then users
// by e-mail.
func AccessReview(app core.App, now time.Time) ([]ReviewRow, error) {
	rv, err := newReviewer(app, now)
	if err != nil {
		return nil, err
	}
	var rows []ReviewRow
	supers, err := app.FindAllRecords(core.CollectionNameSuperusers)
	if err != nil {
		return nil, err
	}
	sort.Slice(supers, func(i, j int) bool { return supers[i].Email() < supers[j].Email() })
	for _, su := range supers {
		if IsInstallerPlaceholder(su) {
			continue
		}
		row, err := rv.superuserRow(su)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	users, err := app.FindRecordsByFilter("users", "", "email", 0, 0)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		row, err := rv.userRow(u)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// IsInstallerPlaceholder reports whether su is the placeholder superuser
// PocketBase's installer creates on a fresh data dir (and deletes once a
// real superuser exists): nobody can sign in with it, so the review does
// not list it as an account.
func IsInstallerPlaceholder(su *core.Record) bool {
	return su.IsSuperuser() && su.Email() == core.DefaultInstallerEmail
}

// reviewer reads what the rows of one review need: the inactivity
// setting, territory codes, role kinds and (cached) partners.
type reviewer struct {
	app      core.App
	now      time.Time
	days     int
	codes    map[string]string // territory id → code
	kinds    map[string]string // role id → kind
	partners map[string]*core.Record
	certs    map[string]certificates.Summary // partner id → certificate status
}

func newReviewer(app core.App, now time.Time) (*reviewer, error) {
	s, err := access.LoadSettings(app)
	if err != nil {
		return nil, err
	}
	rv := &reviewer{app: app, now: now, days: s.InactivityDays, codes: map[string]string{}, kinds: map[string]string{}, partners: map[string]*core.Record{}}
	if rv.certs, err = certificates.Statuses(app, now); err != nil {
		return nil, err
	}
	territories, err := app.FindAllRecords("territories")
	if err != nil {
		return nil, err
	}
	for _, t := range territories {
		rv.codes[t.Id] = t.GetString("code")
	}
	roleRecs, err := app.FindAllRecords("roles")
	if err != nil {
		return nil, err
	}
	for _, r := range roleRecs {
		rv.kinds[r.Id] = r.GetString("kind")
	}
	return rv, nil
}

// superuserRow is the row of a superuser: its last login comes from the
// audit log (superusers have no last_login field).
func (rv *reviewer) superuserRow(su *core.Record) (ReviewRow, error) {
	row := ReviewRow{Account: "superuser", ID: su.Id, Email: su.Email(), Role: "superuser", Active: true,
		Territories: []string{}, Grants: []ReviewGrant{}}
	var last struct {
		At string `db:"at"`
	}
	if err := rv.app.DB().NewQuery("SELECT COALESCE(MAX(at), '') AS at FROM audit_log WHERE action = {:a} AND resource = {:r} AND record = {:id}").
		Bind(dbx.Params{"a": audit.ActionLogin, "r": core.CollectionNameSuperusers, "id": su.Id}).One(&last); err != nil {
		return row, err
	}
	row.LastLogin = last.At
	row.Flags = ReviewFlags(AccountFacts{Superuser: true, Active: true, LastLogin: row.LastLogin, Created: su.GetDateTime("created").Time()}, rv.days, rv.now)
	return row, countVisible(rv.app, su, &row)
}

// userRow is the row of a user.
func (rv *reviewer) userRow(u *core.Record) (ReviewRow, error) {
	row := ReviewRow{
		Account: "user", ID: u.Id, Email: u.Email(), Name: u.GetString("name"), Role: u.GetString("role"),
		RoleKind: rv.kinds[u.GetString("role")], Partner: u.GetString("partner"), Active: u.GetBool("active"),
		AccessExpires: u.GetString("access_expires"), LastLogin: u.GetString("last_login"),
		Territories: []string{}, Grants: []ReviewGrant{},
	}
	for _, t := range u.GetStringSlice("territories") {
		row.Territories = append(row.Territories, rv.codes[t])
	}
	if row.Partner != "" {
		p, err := rv.partner(row.Partner)
		if err != nil {
			return row, err // a review must not lose the partner's flags
		}
		if p != nil {
			row.PartnerName, row.PartnerStatus = p.GetString("name"), p.GetString("status")
		}
	}
	facts := AccountFacts{Role: row.Role, Active: row.Active, PartnerStatus: row.PartnerStatus, LastLogin: row.LastLogin, Created: u.GetDateTime("created").Time(),
		CertificateLapsed: row.Partner != "" && rv.certs[row.Partner].Status == certificates.StatusLapsed}
	if exp := u.GetDateTime("access_expires"); !exp.IsZero() {
		facts.AccessExpires = exp.Time()
	}
	row.Flags = ReviewFlags(facts, rv.days, rv.now)
	grants, err := ActiveGrants(rv.app, u, rv.now)
	if err != nil {
		return row, err
	}
	for _, g := range grants {
		row.Grants = append(row.Grants, ReviewGrant{ID: g.Id, Kind: g.GetString("kind"), Territory: rv.codes[g.GetString("territory")],
			Resource: g.GetString("resource"), Expires: g.GetString("expires")})
	}
	return row, countVisible(rv.app, u, &row)
}

// partner returns a partner by id, read once per review (nil when it does
// not exist).
func (rv *reviewer) partner(id string) (*core.Record, error) {
	if p, ok := rv.partners[id]; ok {
		return p, nil
	}
	p, err := rv.app.FindRecordById("partners", id)
	if errors.Is(err, sql.ErrNoRows) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	rv.partners[id] = p
	return p, nil
}

// AccountFacts are what the flags of an account in the review are decided
// from.
type AccountFacts struct {
	Superuser     bool
	Role          string
	Active        bool
	AccessExpires time.Time // zero: no expiry
	PartnerStatus string    // "" for no partner
	LastLogin     string    // as stored; "" for never
	Created       time.Time
	// CertificateLapsed: the account's partner has a lapsed certificate.
	CertificateLapsed bool
}

// ReviewFlags decides the flags of an account at now, in the order the
// review shows them: superuser, admin, deactivated, temporary or expired,
// partner_ended or partner_suspended, certificate_lapsed, never_logged_in, inactive (no login —
// or, never logged in, no creation — for more than inactivityDays; 0 turns
// the check off).
func ReviewFlags(a AccountFacts, inactivityDays int, now time.Time) []string {
	flags := []string{}
	add := func(ok bool, flag string) {
		if ok {
			flags = append(flags, flag)
		}
	}
	add(a.Superuser, FlagSuperuser)
	add(a.Role == roles.Admin, FlagAdmin)
	add(!a.Active, FlagDeactivated)
	if !a.AccessExpires.IsZero() {
		add(a.AccessExpires.After(now), FlagTemporary)
		add(!a.AccessExpires.After(now), FlagExpired)
	}
	add(a.PartnerStatus == "ended", FlagPartnerEnded)
	add(a.PartnerStatus == "suspended", FlagPartnerSuspended)
	add(a.CertificateLapsed, FlagCertificateLapsed)
	add(a.LastLogin == "", FlagNeverLoggedIn)
	add(inactiveSince(a.LastLogin, a.Created, inactivityDays, now), FlagInactive)
	return flags
}

// inactiveSince reports whether an account whose last login is last (""
// for never: its creation counts) has been unused for more than days at
// now; days <= 0 turns the check off.
func inactiveSince(last string, created time.Time, days int, now time.Time) bool {
	if days <= 0 {
		return false
	}
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	if last == "" {
		return created.Before(cutoff)
	}
	t, err := time.Parse(types.DefaultDateLayout, last)
	return err == nil && t.Before(cutoff)
}

// countVisible fills the counts of records auth can list right now, through
// the rule-aware read path.
func countVisible(app core.App, auth *core.Record, row *ReviewRow) error {
	for _, coll := range reviewCounted {
		n := 0
		_, res, err := access.ListFor(app, auth, coll, access.ListQuery{PerPage: 1, Count: true})
		switch {
		case errors.Is(err, domain.ErrForbidden):
		case err != nil:
			return fmt.Errorf("counting %s for %s: %w", coll, auth.Id, err)
		default:
			n = res.TotalItems
		}
		switch coll {
		case "leads":
			row.Leads = n
		case "accounts":
			row.Accounts = n
		case "contacts":
			row.Contacts = n
		}
	}
	return nil
}

// ReviewCSVHeader is the header of the CSV form of the review.
var ReviewCSVHeader = []string{"account", "id", "email", "name", "role", "role_kind", "partner", "partner_name", "partner_status",
	"territories", "active", "access_expires", "grants", "leads", "accounts", "contacts", "last_login", "flags"}

// CSV returns the row in the order of ReviewCSVHeader (not neutralised:
// pass it through NeutraliseCell when writing a spreadsheet).
func (r ReviewRow) CSV() []string {
	grants := make([]string, len(r.Grants))
	for i, g := range r.Grants {
		what := g.Territory
		if g.Kind == "export" {
			what = g.Resource
		}
		grants[i] = g.Kind + ":" + what + " until " + g.Expires
	}
	return []string{r.Account, r.ID, r.Email, r.Name, r.Role, r.RoleKind, r.Partner, r.PartnerName, r.PartnerStatus,
		strings.Join(r.Territories, ";"), fmt.Sprint(r.Active), r.AccessExpires, strings.Join(grants, ";"),
		fmt.Sprint(r.Leads), fmt.Sprint(r.Accounts), fmt.Sprint(r.Contacts), r.LastLogin, strings.Join(r.Flags, ";")}
}
