package distribution

import (
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/notify"
)

// notifyNoCandidate alerts the channel managers of the lead's territory
// (all admins when nobody manages it) that no partner can take it, in one
// notification per manager and territory: while a manager has not read
// it, each new lead adds one to its count and becomes its latest lead;
// once read, the next lead starts a new one (notify.SendGrouped). The
// notification names no lead record: it leads to the waiting leads of
// the distribution board.
func notifyNoCandidate(tx core.App, lead *core.Record, reason string, now time.Time) error {
	territory := lead.GetString("territory")
	users, err := notify.ChannelManagers(tx, territory)
	if err != nil || len(users) == 0 {
		return err
	}
	// the territory's name is read once, and only for a new notification
	// (an update keeps the one it has)
	var name *string
	var nameErr error
	for _, u := range users {
		_, err := notify.SendGrouped(tx, u, NotifyNoCandidate, territory, func(prev *notify.Message) notify.Message {
			if prev != nil {
				return noCandidateMessage(prev, lead, prev.Args["territory"].V, reason, now)
			}
			if name == nil {
				n, err := territoryName(tx, territory)
				name, nameErr = &n, err
			}
			return noCandidateMessage(prev, lead, *name, reason, now)
		})
		if err != nil {
			return err
		}
		if nameErr != nil {
			return nameErr
		}
	}
	return nil
}

// noCandidateMessage is the grouped message after one more lead: the
// previous count plus one (1 for a new notification), the lead as the
// latest, with its town, reason and time.
func noCandidateMessage(prev *notify.Message, lead *core.Record, territory, reason string, now time.Time) notify.Message {
	count := 1
	if prev != nil {
		if n, err := strconv.Atoi(prev.Args["count"].V); err == nil {
			count = n + 1
		}
	}
	return notify.Msg(NoCandidateGroupMsg, "count", count, "territory", territory, "lead", leadName(lead), "city", lead.GetString("city"),
		"reason", notify.Label("wait_reason", reason), "at", notify.Time(now))
}

// NoCandidateGroupMsg is the catalogue id of the grouped notification of
// the leads no partner can take.
const NoCandidateGroupMsg = "no_candidate_group"

// territoryName is the name of a territory ("" for none or an unknown one).
func territoryName(tx core.App, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	var name string
	err := tx.DB().NewQuery("SELECT name FROM territories WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}
