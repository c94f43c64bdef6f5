package ui

import (
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/textindex"
)

// Search, filters and sorts of the users lists (the admins' users page and
// a partner manager's team), and the users a search word names elsewhere
// (the audit log's actors). Every read is access.ListFor on users: a
// search never matches an account the user may not list (a partner
// manager's, another company's).

// usersPerPage is the page size of the users lists.
const usersPerPage = 50

// userSorts are the sorts of the users lists; "" is by name.
var userSorts = map[string]string{
	"": "name", "name": "name", "-name": "-name",
	"last_login": "last_login,name", "-last_login": "-last_login,name",
	"access_expires": "access_expires,name", "-access_expires": "-access_expires,name",
}

// userStates are the values of the users lists' state filter.
var userStates = []string{"active", "inactive"}

// userSearchWhere is the condition of a search: every word matches the
// user's name or e-mail. Nil for an empty search.
func userSearchWhere(q string) dbx.Expression {
	words := searchWords(q)
	if len(words) == 0 {
		return nil
	}
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		all = append(all, dbx.Or(textindex.Contains("users.name", w), textindex.Contains("users.email", w)))
	}
	return dbx.And(all...)
}

// userFilterWhere is the condition of the role and state filters (nil
// for none); role must be a role the caller may pick (checked by them).
func userFilterWhere(role, state string) []dbx.Expression {
	var where []dbx.Expression
	if role != "" {
		where = append(where, dbx.HashExp{"users.role": role})
	}
	switch state {
	case "active":
		where = append(where, dbx.HashExp{"users.active": true})
	case "inactive":
		where = append(where, dbx.HashExp{"users.active": false})
	}
	return where
}

// userIDsMatching returns the users auth may list whose name or e-mail
// contains w (one page of access.MaxPerPage); none when the role may not
// list users.
func userIDsMatching(app core.App, auth *core.Record, w string) ([]string, error) {
	recs, _, err := access.ListFor(app, auth, "users", access.ListQuery{Where: userSearchWhere(w), PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return recordIDs(recs), nil
}
