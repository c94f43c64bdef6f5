package ui

import (
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/textindex"
)

// The search box of the pipeline (/opportunities): every word is in the
// opportunity's name or customer (company), or in the name of its account
// or of its partner as the user may read them (access.ListFor on accounts
// and partners: a partner matches only its own company's name and
// accounts, never another partner's). The board, the pending wins and the
// network table all follow the search; the words stay in the URL (?q=).

// maxOppNameMatches caps the accounts or partners a word matches by name
// (one rule-aware page): their opportunities join the search.
const maxOppNameMatches = access.MaxPerPage

// oppSearchWhere is the condition of a pipeline search for auth (nil for
// an empty search).
func oppSearchWhere(app core.App, auth *core.Record, q string) (dbx.Expression, error) {
	words := searchWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	var conds []dbx.Expression
	for i, w := range words {
		k := fmt.Sprintf("oppq%d", i)
		like := dbx.Params{k: "%" + textindex.EscapeLike(w) + "%"}
		ors := []dbx.Expression{
			dbx.NewExp("opportunities.name LIKE {:"+k+"} ESCAPE '\\'", like),
			dbx.NewExp("opportunities.company LIKE {:"+k+"} ESCAPE '\\'", like),
		}
		for _, rel := range []struct{ coll, field string }{{"accounts", "account"}, {"partners", "partner"}} {
			ids, err := namedIDs(app, auth, rel.coll, w, i)
			if err != nil {
				return nil, err
			}
			if len(ids) > 0 {
				ors = append(ors, dbx.In("opportunities."+rel.field, anys(ids)...))
			}
		}
		conds = append(conds, dbx.Or(ors...))
	}
	return dbx.And(conds...), nil
}

// namedIDs are the records of coll auth may list whose name holds w (at
// most maxOppNameMatches); none when the role may not list coll.
func namedIDs(app core.App, auth *core.Record, coll, w string, i int) ([]string, error) {
	k := fmt.Sprintf("oppn%d", i)
	where := dbx.NewExp(coll+".name LIKE {:"+k+"} ESCAPE '\\'", dbx.Params{k: "%" + textindex.EscapeLike(w) + "%"})
	recs, _, err := access.ListFor(app, auth, coll, access.ListQuery{Where: where, PerPage: maxOppNameMatches})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return recordIDs(recs), nil
}
