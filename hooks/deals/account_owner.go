package deals

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// Accounts written by users (the REST API and the UI's write path), after
// their rule check: ownership, and the channel conflict check leads get
// (SPEC §4.2: sales never take over an account entrusted to a partner).

// PrepareAccount completes an account a user creates: an internal user's
// account without a partner is owned by its creator (the `own` level of
// the matrix reads owner, so without it the creator could not see it); a
// partner user's account belongs to its company. Then the conflict check
// (CheckAccountConflict), whose conflict to report (a partner user's) is
// returned: the caller reports it once the account is saved
// (ReportAccountConflict).
func PrepareAccount(app core.App, user, account *core.Record) (*intake.Conflict, error) {
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return nil, err
	}
	if account.IsNew() {
		if account.Id == "" {
			account.Id = core.GenerateDefaultRandomId()
		}
		if err := derivePlace(app, account); err != nil {
			return nil, err
		}
	}
	switch kind {
	case roles.Internal:
		if account.GetString("owner") == "" && account.GetString("partner") == "" {
			account.Set("owner", user.Id)
		}
	case roles.Partner:
		if account.GetString("partner") == "" {
			account.Set("partner", user.GetString("partner"))
		}
	}
	return CheckAccountConflict(app, user, account)
}

// accountConflictFields are the fields whose change re-runs the check.
var accountConflictFields = []string{"name", "siren", "postal_code", "partner"}

// CheckAccountConflict refuses, for an internal user, an account whose
// duplicate keys (AccountKeys) match a customer a partner holds — an
// account entrusted to a partner, a lead a partner works or a protected
// registration (intake.FindConflicts, the leads' check) — unless the
// account goes to that same partner: a 409 "account_entrusted". A partner
// user's write is not refused (the refusal would tell it that another
// partner holds the customer): the channel managers of the account's
// territory are told instead (the conflict is returned for
// ReportAccountConflict), and the keys keep holding matching leads. An
// update is checked only when a key field or the partner changed.
func CheckAccountConflict(app core.App, user, account *core.Record) (*intake.Conflict, error) {
	if !account.IsNew() && !keyFieldChanged(account) {
		return nil, nil
	}
	all, err := intake.FindConflicts(app, AccountKeys(account), account.Id)
	if err != nil {
		return nil, err
	}
	c := heldByAnotherPartner(all, account.GetString("partner"))
	if c == nil {
		return nil, nil
	}
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return nil, err
	}
	if kind != roles.Partner {
		return nil, domain.Conflict("account_entrusted", "this customer is already entrusted to a partner: the channel manager arbitrates")
	}
	return c, nil
}

// heldByAnotherPartner returns the first conflict held by a partner other
// than partner (nil: none; records of the central pool hold nobody's).
func heldByAnotherPartner(all []intake.Conflict, partner string) *intake.Conflict {
	for i := range all {
		if all[i].Partner != "" && all[i].Partner != partner {
			return &all[i]
		}
	}
	return nil
}

// keyFieldChanged reports whether an update changes a field of the
// duplicate keys or the account's partner.
func keyFieldChanged(account *core.Record) bool {
	for _, f := range accountConflictFields {
		if account.Original().GetString(f) != account.GetString(f) {
			return true
		}
	}
	return false
}

// ReportAccountConflict tells the channel managers of the account's
// territory that a partner user recorded a customer another partner holds
// (c, from PrepareAccount or CheckAccountConflict; nil: nothing to tell),
// and audits it. Call it in the transaction that saved the account.
func ReportAccountConflict(app core.App, user, account *core.Record, c *intake.Conflict) error {
	if c == nil {
		return nil
	}
	ids, err := notify.ChannelManagers(app, account.GetString("territory"))
	if err != nil {
		return err
	}
	msg := notify.Msg("account_conflict", "account", account.GetString("name"), "siren", account.GetString("siren"),
		"postal_code", account.GetString("postal_code"), "kind", notify.Label("conflict", c.Kind), "record", c.Record)
	for _, id := range ids {
		if err := notify.Send(app, id, "account_conflict", "", msg); err != nil {
			return err
		}
	}
	return audit.Append(app, audit.ActorOfUser(user), "accounts.conflict", "accounts", account.Id, map[string]any{
		"name": account.GetString("name"), "siren": account.GetString("siren"), "conflict": map[string]any{"kind": c.Kind, "record": c.Record, "partner": c.Partner},
	})
}
