package notify

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/roles"
)

// ChannelManagers lists the active channel managers of a territory, or the
// active admins when nobody manages it (or territory is empty).
func ChannelManagers(tx core.App, territory string) ([]string, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	if territory != "" {
		err := tx.DB().NewQuery(`SELECT DISTINCT u.id AS id FROM users u, json_each(CASE WHEN json_valid(u.territories) THEN u.territories ELSE '[]' END) t
		WHERE u.role = {:role} AND u.active = 1 AND t.value = {:t} ORDER BY u.id`).Bind(dbx.Params{"t": territory, "role": roles.ChannelManager}).All(&rows)
		if err != nil {
			return nil, err
		}
	}
	if len(rows) == 0 {
		if err := tx.DB().NewQuery("SELECT id FROM users WHERE role = {:role} AND active = 1 ORDER BY id").Bind(dbx.Params{"role": roles.Admin}).All(&rows); err != nil {
			return nil, err
		}
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out, nil
}
