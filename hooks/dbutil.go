package hooks

import "github.com/pocketbase/dbx"

func dbxEq(col string, v any) dbx.Expression { return dbx.HashExp{col: v} }
