package deals

import (
	"errors"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/roles"
)

// AccountMatch is a record that an account being written shares a
// duplicate key with, as far as the user may learn of it.
type AccountMatch struct {
	Kind   string // account | lead | registration
	Record string // its id
	// Visible is true when the user may view the record (ViewFor); Name
	// is then its name (account name, lead company, opportunity name).
	Visible bool
	Name    string
	// Partner holds the partner holding the record, for internal users
	// only (a partner user never learns of another partner).
	Partner string
	// KeyKind is the kind of the shared key (dedup.KindSIREN,
	// dedup.KindCompany); Key its value (a SIREN, "company|postal code").
	KeyKind, Key string
	// Entrusted is true when a partner other than the account's holds
	// the record: CheckAccountConflict refuses the account to an internal
	// user.
	Entrusted bool
}

// matchCollections names the collection of each kind of duplicate key.
var matchCollections = map[string]string{"account": "accounts", "lead": "leads", "registration": "opportunities"}

// AccountMatches lists, for the form that creates or edits an account, the
// records sharing one of its duplicate keys (AccountKeys) that the user may
// be told about: the accounts they may view, and — for internal users only
// — the customers a partner other than the account's holds (the refusal of
// CheckAccountConflict, with the key that matched). A partner user is told
// of its own company's records only: never that another partner holds the
// customer. Oldest key first, one entry per record.
func AccountMatches(app core.App, user, account *core.Record) ([]AccountMatch, error) {
	keys := AccountKeys(account)
	if len(keys) == 0 || user == nil {
		return nil, nil
	}
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return nil, err
	}
	held, err := intake.FindConflicts(app, keys, account.Id)
	if err != nil {
		return nil, err
	}
	holder := map[string]string{}
	for _, c := range held {
		holder[c.Kind+":"+c.Record] = c.Partner
	}
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = k
	}
	rows := []struct {
		Key    string `db:"key"`
		Kind   string `db:"kind"`
		Record string `db:"record"`
	}{}
	err = app.DB().Select("key", "kind", "record").From("dedup_keys").
		Where(dbx.In("key", vals...)).AndWhere(dbx.NewExp("record != {:x}", dbx.Params{"x": account.Id})).
		OrderBy("created ASC").All(&rows)
	if err != nil {
		return nil, err
	}
	var out []AccountMatch
	seen := map[string]bool{}
	for _, r := range rows {
		id := r.Kind + ":" + r.Record
		if seen[id] || matchCollections[r.Kind] == "" {
			continue
		}
		seen[id] = true
		m, ok, err := accountMatch(app, user, kind, account, r.Kind, r.Record, r.Key, holder)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// accountMatch builds the match of one record; ok is false when the user
// may not be told of it.
func accountMatch(app core.App, user *core.Record, kind roles.Kind, account *core.Record, recKind, recID, key string, holder map[string]string) (AccountMatch, bool, error) {
	partner, holds := holder[recKind+":"+recID]
	m := AccountMatch{Kind: recKind, Record: recID}
	m.Entrusted = holds && partner != "" && partner != account.GetString("partner")
	m.KeyKind, m.Key, _ = strings.Cut(key, ":")
	rec, err := access.ViewFor(app, user, matchCollections[recKind], recID)
	switch {
	case err == nil:
		m.Visible = true
		m.Name = matchName(recKind, rec)
	case errors.Is(err, domain.ErrNotVisible):
	default:
		return m, false, err
	}
	internal := kind == roles.Internal || user.IsSuperuser()
	if internal && holds {
		m.Partner = partner
	}
	switch {
	case m.Visible && (recKind == "account" || m.Entrusted):
		return m, true, nil
	case m.Entrusted && internal:
		return m, true, nil
	}
	return m, false, nil
}

// matchName is how a matched record is named.
func matchName(kind string, rec *core.Record) string {
	switch kind {
	case "lead":
		return intake.LeadName(rec)
	case "registration":
		if n := rec.GetString("name"); n != "" {
			return n
		}
		return rec.GetString("company")
	}
	return rec.GetString("name")
}
