package distribution

import (
	"errors"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// MatchedKey is one duplicate key a held lead shares with the record it
// matched: its kind (siren, email, phone, company, domain) and value (empty
// for a contact detail the user may not read).
type MatchedKey struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// ConflictSides is the two sides of a held lead, for the users who
// arbitrate it: the lead, the record it matched (kind lead, account or
// registration; nil when the rules do not let the user view it) and its
// holder partner (nil likewise), and the keys they share.
type ConflictSides struct {
	Lead   *core.Record
	Kind   string
	Ref    string
	Other  *core.Record
	Holder *core.Record
	Keys   []MatchedKey
}

// ConflictOf returns the two sides of a held lead for a user who may
// arbitrate it (mayArbitrate); a lead that is not held is a conflict
// error. Both sides are read through the rule-aware read path.
func ConflictOf(app core.App, user *core.Record, leadID string) (*ConflictSides, error) {
	if err := mayArbitrate(app, user, leadID); err != nil {
		return nil, err
	}
	lead, err := access.ViewFor(app, user, "leads", leadID)
	if err != nil {
		return nil, err
	}
	if !lead.GetBool("held") {
		return nil, domain.Conflict("not_held", "this lead is not held as a channel conflict")
	}
	s := &ConflictSides{Lead: lead, Kind: lead.GetString("conflict_kind"), Ref: lead.GetString("conflict_ref")}
	if coll := conflictCollection(s.Kind); coll != "" && s.Ref != "" {
		if s.Other, err = viewIfVisible(app, user, coll, s.Ref); err != nil {
			return nil, err
		}
	}
	if p := lead.GetString("conflict_partner"); p != "" {
		if s.Holder, err = viewIfVisible(app, user, "partners", p); err != nil {
			return nil, err
		}
	}
	if s.Keys, err = sharedKeys(app, lead.Id, s.Ref); err != nil {
		return nil, err
	}
	// an e-mail, phone or e-mail domain key is a contact detail: its value
	// only for who may read the lead's contact
	contact, err := mayReadContact(app, user, lead.Id)
	if err != nil {
		return nil, err
	}
	for i := range s.Keys {
		if !contact && contactKind(s.Keys[i].Kind) {
			s.Keys[i].Value = ""
		}
	}
	return s, nil
}

// contactKind tells the key kinds made of contact details.
func contactKind(kind string) bool { return kind == "email" || kind == "phone" || kind == "domain" }

// mayReadContact reports whether the rules let user read the contact of
// a lead (false when it has none).
func mayReadContact(app core.App, user *core.Record, leadID string) (bool, error) {
	recs, _, err := access.ListFor(app, user, "lead_contacts", access.ListQuery{Where: dbx.HashExp{"lead_contacts.lead": leadID}, PerPage: 1})
	if errors.Is(err, domain.ErrForbidden) {
		return false, nil
	}
	return len(recs) > 0, err
}

// conflictCollection is the collection of a matched record's kind.
func conflictCollection(kind string) string {
	switch kind {
	case "lead":
		return "leads"
	case "account":
		return "accounts"
	case "registration":
		return "opportunities"
	}
	return ""
}

// viewIfVisible reads a record through the rules; nil when the user may
// not view it.
func viewIfVisible(app core.App, user *core.Record, coll, id string) (*core.Record, error) {
	rec, err := access.ViewFor(app, user, coll, id)
	if errors.Is(err, domain.ErrNotVisible) || errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	return rec, err
}

// sharedKeys lists the duplicate keys two records share, strongest kind
// first (the order of the key kinds), then by value.
func sharedKeys(app core.App, a, b string) ([]MatchedKey, error) {
	if a == "" || b == "" {
		return nil, nil
	}
	rows := []struct {
		Key string `db:"key"`
	}{}
	err := app.DB().NewQuery("SELECT DISTINCT key FROM dedup_keys WHERE record = {:a} AND key IN (SELECT key FROM dedup_keys WHERE record = {:b}) ORDER BY key").
		Bind(dbx.Params{"a": a, "b": b}).All(&rows)
	if err != nil {
		return nil, err
	}
	order := map[string]int{"siren": 0, "email": 1, "phone": 2, "company": 3, "domain": 4}
	out := make([]MatchedKey, 0, len(rows))
	for _, r := range rows {
		kind, value, _ := strings.Cut(r.Key, ":")
		out = append(out, MatchedKey{Kind: kind, Value: value})
	}
	slices.SortStableFunc(out, func(x, y MatchedKey) int { return rank(order, x.Kind) - rank(order, y.Kind) })
	return out, nil
}

func rank(order map[string]int, kind string) int {
	if r, ok := order[kind]; ok {
		return r
	}
	return len(order)
}
