package distribution

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/beforerow"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/stmtcache"
)

// The hooks of the distribution counters (counters.go): every write of an
// offer or a lead applies its change to its partner's counters in the
// same transaction.

// CountersFollow are the collections whose writes the counters follow.
var CountersFollow = []string{"lead_offers", "leads"}

// contribution is what one offer or lead row adds to its partner's
// counters: the counterCols deltas and, for an offer, its offered_at.
type contribution struct {
	partner string
	n       [7]int
	last    string
	// user is a lead's assignee, userOpen 1 when the lead is open for it
	user     string
	userOpen int
}

// offerOutcomes are the outcomes with a counter, at their index in
// counterCols.
var offerOutcomes = map[string]int{"pending": 1, "accepted": 2, "declined": 3, "expired": 4}

// offerContribution is an offer row's contribution (none without a
// partner).
func offerContribution(partner, outcome, offeredAt string) contribution {
	c := contribution{partner: partner, last: offeredAt}
	if partner == "" {
		return contribution{}
	}
	c.n[0] = 1
	if i, ok := offerOutcomes[outcome]; ok {
		c.n[i] = 1
	}
	return c
}

// leadContribution is a lead row's contribution: an entrusted lead is
// open for its partner and its assignee, a won one won for its partner.
func leadContribution(partner, assignee, status string) contribution {
	open := slices.Contains(lifecycle.EntrustedStatuses(), status)
	c := contribution{}
	if assignee != "" && open {
		c.user, c.userOpen = assignee, 1
	}
	if partner == "" {
		return c
	}
	c.partner = partner
	if open {
		c.n[5] = 1
	}
	if status == lifecycle.StatusWon {
		c.n[6] = 1
	}
	return c
}

// addUser adds n to a user's open leads.
func addUser(db dbx.Builder, user string, n int) error {
	if user == "" || n == 0 {
		return nil
	}
	_, err := stmtcache.Query(db, "INSERT INTO "+UserCountersTable+" (user, open_leads) VALUES ({:u}, {:n})"+
		" ON CONFLICT (user) DO UPDATE SET open_leads = open_leads + excluded.open_leads").Bind(dbx.Params{"u": user, "n": n}).Execute()
	return err
}

// changeUser applies the move of a lead's assignee contribution.
func changeUser(db dbx.Builder, old, new contribution) error {
	if old.user == new.user {
		return addUser(db, new.user, new.userOpen-old.userOpen)
	}
	if err := addUser(db, old.user, -old.userOpen); err != nil {
		return err
	}
	return addUser(db, new.user, new.userOpen)
}

// add adds the deltas n and the offer time last (” for none) to a
// partner's counters; it never lowers last_offered_at (refreshLast
// recomputes it when needed).
func add(db dbx.Builder, partner string, n [7]int, last string) error {
	if partner == "" || (n == [7]int{} && last == "") {
		return nil
	}
	p := dbx.Params{"partner": partner, "last": last}
	cols, vals, set := "partner", "{:partner}", ""
	for i, name := range counterCols {
		p[name] = n[i]
		cols += ", " + name
		vals += ", {:" + name + "}"
		set += name + " = " + name + " + excluded." + name + ", "
	}
	_, err := stmtcache.Query(db, "INSERT INTO "+CountersTable+" ("+cols+", last_offered_at) VALUES ("+vals+", {:last})"+
		" ON CONFLICT (partner) DO UPDATE SET "+set+"last_offered_at = max(last_offered_at, excluded.last_offered_at)").Bind(p).Execute()
	return err
}

// minus is a - b.
func minus(a, b [7]int) [7]int {
	for i := range a {
		a[i] -= b[i]
	}
	return a
}

// refreshLast recomputes a partner's latest offer time after an offer
// dated at was removed from it, when that offer was its latest (through
// the index on lead_offers (partner, offered_at)).
func refreshLast(db dbx.Builder, partner, at string) error {
	if partner == "" || at == "" {
		return nil
	}
	_, err := db.NewQuery("UPDATE " + CountersTable + " SET last_offered_at = COALESCE((SELECT MAX(offered_at) FROM lead_offers WHERE partner = {:p}), '')" +
		" WHERE partner = {:p} AND last_offered_at = {:at}").Bind(dbx.Params{"p": partner, "at": at}).Execute()
	return err
}

// change applies the move of a row's contribution from old to new: one
// statement when the partner stays, two when it changes, and the partner's
// latest offer time recomputed when the offer dated it moved away.
func change(db dbx.Builder, old, new contribution) error {
	if old == new {
		return nil
	}
	if err := changeUser(db, old, new); err != nil {
		return err
	}
	if old.partner == new.partner {
		if err := add(db, new.partner, minus(new.n, old.n), new.last); err != nil {
			return err
		}
	} else {
		if err := add(db, old.partner, minus([7]int{}, old.n), ""); err != nil {
			return err
		}
		if err := add(db, new.partner, new.n, new.last); err != nil {
			return err
		}
	}
	if old.last != "" && (old.partner != new.partner || old.last != new.last) {
		return refreshLast(db, old.partner, old.last)
	}
	return nil
}

// rowContribution is a row's contribution before its write (none when
// the row does not exist), from the row its write's hooks share.
func rowContribution(table string, before beforerow.Row) contribution {
	if before == nil {
		return contribution{}
	}
	if table == "lead_offers" {
		return offerContribution(before.Str("partner"), before.Str("outcome"), before.Str("offered_at"))
	}
	return leadContribution(before.Str("partner"), before.Str("assignee"), before.Str("status"))
}

// recordContribution is a record's contribution as its row now holds it.
func recordContribution(r *core.Record) contribution {
	if r.Collection().Name == "lead_offers" {
		at := ""
		if d := r.GetDateTime("offered_at"); !d.IsZero() {
			at = d.String() // the stored format
		}
		return offerContribution(r.GetString("partner"), r.GetString("outcome"), at)
	}
	return leadContribution(r.GetString("partner"), r.GetString("assignee"), r.GetString("status"))
}

// CountCreate, CountUpdate and CountDelete keep the counters exact for one
// write of a lead_offers or leads record, in the write's transaction
// (opening one around a lone save): bind them to the record's Execute
// events.
func CountCreate(e *core.RecordEvent) error {
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		if err := e.Next(); err != nil {
			return err
		}
		return change(db, contribution{}, recordContribution(e.Record))
	})
}

// CountUpdate is CountCreate for an update.
func CountUpdate(e *core.RecordEvent) error {
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		return beforerow.With(e, db, func(before beforerow.Row) error {
			old := rowContribution(e.Record.Collection().Name, before)
			if err := e.Next(); err != nil {
				return err
			}
			return change(db, old, recordContribution(e.Record))
		})
	})
}

// CountDelete is CountCreate for a deletion.
func CountDelete(e *core.RecordEvent) error {
	return beforerow.InTxDB(e, func(db dbx.Builder) error {
		return beforerow.With(e, db, func(before beforerow.Row) error {
			old := rowContribution(e.Record.Collection().Name, before)
			if err := e.Next(); err != nil {
				return err
			}
			return change(db, old, contribution{})
		})
	})
}
