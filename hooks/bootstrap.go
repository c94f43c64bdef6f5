package hooks

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/reports"
)

// The migrations are frozen: they write literal schema, rules and seed
// rows and never call the live code, so what depends on the code of the day
// is done at start-up instead, by Reconcile, after the migrations:
//
//   - the derived data a migration asked for (it lists them in the
//     relais_rebuild table, see migrations/rebuild.go) and the report
//     rollups when one of their tables is missing are rebuilt;
//   - the rules in force are recompiled from the stored permission matrix
//     when they differ from it (drift: a new compiler, a matrix the
//     migrations seeded for an older one), and the change is audited.
//
// Each step does nothing when there is nothing to do, so a second start
// changes nothing and writes no audit entry.

// rebuildTable is where migrations list the derived data to rebuild; it
// exists only while something waits (Reconcile drops it once empty).
const rebuildTable = "relais_rebuild"

// Derived data a migration may ask Reconcile to rebuild.
const (
	// RebuildRollupsName recomputes the report rollups (creating any
	// missing table).
	RebuildRollupsName = "rollups"
	// RebuildAccountKeysName recomputes the duplicate keys of every account.
	RebuildAccountKeysName = "account_keys"
	// RebuildAccountPlacesName derives the département and territory of
	// every account from its postal code.
	RebuildAccountPlacesName = "account_places"
	// RebuildCountersName recomputes the distribution counters (creating
	// their table when missing).
	RebuildCountersName = "distribution_counters"
)

// ActorStartup is the audit actor of the start-up repairs.
var ActorStartup = audit.SystemActor("startup")

// reconcilePriority runs Reconcile before every other Relais handler of the
// serve event (routes, caches, the drift check of bindPolicy), right after
// PocketBase applied the migrations.
const reconcilePriority = -100

// bindBootstrap runs Reconcile when the server starts (`relais serve`
// applies the migrations just before the serve event); the server does not
// start when it fails. The commands that run the migrations call it too.
func bindBootstrap(app core.App) {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id:       "relaisReconcile",
		Priority: reconcilePriority,
		Func: func(se *core.ServeEvent) error {
			if _, err := Reconcile(se.App); err != nil {
				return fmt.Errorf("start-up: %w", err)
			}
			return se.Next()
		},
	})
}

// Reconciled is what Reconcile changed.
type Reconciled struct {
	// Rebuilt names the derived data it recomputed, in order.
	Rebuilt []string
	// Policy is the drift it repaired, one entry per collection whose
	// rules it recompiled (none when the rules were in force).
	Policy []access.RuleDrift
}

// Changed reports whether Reconcile changed anything.
func (r Reconciled) Changed() bool { return len(r.Rebuilt) > 0 || len(r.Policy) > 0 }

// Reconcile brings what the frozen migrations leave to the live code in
// line with this binary, after the migrations and before anything else:
// it rebuilds the derived data the migrations asked for (and the rollups
// when a table of theirs is missing), then recompiles the rules when they
// drift from the stored matrix, audited as a policy.apply by
// system:startup. It is idempotent, and it checks its result: an error
// when drift remains.
func Reconcile(app core.App) (Reconciled, error) {
	var out Reconciled
	pending, err := pendingRebuilds(app)
	if err != nil {
		return out, err
	}
	for _, what := range pending {
		start := time.Now()
		err := app.RunInTransaction(func(tx core.App) error {
			if err := rebuild(tx, what); err != nil {
				return err
			}
			if !tx.HasTable(rebuildTable) {
				return nil
			}
			_, err := tx.DB().NewQuery("DELETE FROM " + rebuildTable + " WHERE name = {:name}").Bind(dbx.Params{"name": what}).Execute()
			return err
		})
		if err != nil {
			return out, fmt.Errorf("rebuilding %s: %w", what, err)
		}
		out.Rebuilt = append(out.Rebuilt, what)
		app.Logger().Info("start-up: derived data rebuilt", "what", what, "took", time.Since(start).String())
	}
	if app.HasTable(rebuildTable) {
		if _, err := app.DB().NewQuery("DROP TABLE " + rebuildTable).Execute(); err != nil {
			return out, err
		}
	}

	if out.Policy, err = repairDrift(app); err != nil || len(out.Policy) == 0 {
		return out, err
	}
	names := make([]string, len(out.Policy))
	for i, d := range out.Policy {
		names[i] = d.Collection
	}
	app.Logger().Warn("start-up: the rules in force differed from the permission matrix; recompiled and audited", "collections", names)
	left, err := access.Drift(app)
	if err != nil {
		return out, err
	}
	if len(left) > 0 {
		return out, fmt.Errorf("rules still differ from the permission matrix after recompiling: %v", left)
	}
	return out, nil
}

// pendingRebuilds are the rebuilds the migrations asked for, in name order,
// plus the rollups when one of their tables is missing. An unknown name is
// an error: a migration asks for something this binary cannot do.
func pendingRebuilds(app core.App) ([]string, error) {
	var names []string
	if app.HasTable(rebuildTable) {
		if err := app.DB().NewQuery("SELECT name FROM " + rebuildTable + " ORDER BY name").Column(&names); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		if !slices.Contains([]string{RebuildRollupsName, RebuildAccountKeysName, RebuildAccountPlacesName, RebuildCountersName}, n) {
			return nil, fmt.Errorf("%s: unknown rebuild %q (written by a newer migration?)", rebuildTable, n)
		}
	}
	if !slices.Contains(names, RebuildRollupsName) && slices.ContainsFunc(reports.RollupTableNames, func(t string) bool { return !app.HasTable(t) }) {
		names = append(names, RebuildRollupsName)
	}
	if !slices.Contains(names, RebuildCountersName) && (!app.HasTable(distribution.CountersTable) || !app.HasTable(distribution.UserCountersTable)) {
		names = append(names, RebuildCountersName)
	}
	return names, nil
}

// rebuild recomputes one kind of derived data in tx.
func rebuild(tx core.App, what string) error {
	switch what {
	case RebuildRollupsName:
		if err := reports.InstallRollups(tx.DB()); err != nil {
			return err
		}
		return reports.RebuildRollups(tx.DB())
	case RebuildAccountKeysName:
		accounts, err := tx.FindAllRecords("accounts")
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if err := deals.RefreshAccountKeys(tx, a); err != nil {
				return fmt.Errorf("account %s: %w", a.Id, err)
			}
		}
		return nil
	case RebuildAccountPlacesName:
		return deals.DeriveAccountPlaces(tx)
	case RebuildCountersName:
		if err := distribution.InstallCounters(tx.DB()); err != nil {
			return err
		}
		return distribution.RebuildCounters(tx.DB())
	}
	return errors.New("unknown rebuild " + what)
}

// repairDrift recompiles the rules when they differ from the stored
// matrix, in one transaction with its audit entry, and returns the drift
// it repaired. Without drift it writes nothing (no transaction either).
func repairDrift(app core.App) ([]access.RuleDrift, error) {
	rep, err := access.DriftReport(app)
	if err != nil || len(rep) == 0 {
		return nil, err
	}
	var fixed []access.RuleDrift
	err = app.RunInTransaction(func(tx core.App) error {
		rep, err := access.DriftReport(tx)
		if err != nil || len(rep) == 0 {
			return err
		}
		if _, err := access.ApplyPolicy(tx); err != nil {
			return err
		}
		changed := map[string]any{}
		for _, d := range rep {
			if d.Missing {
				changed[d.Collection] = "missing"
			} else {
				changed[d.Collection] = d.Rules
			}
		}
		fixed = rep
		return audit.Append(tx, ActorStartup, access.ActionPolicyApply, "permissions", "", map[string]any{"recompiled": changed})
	})
	return fixed, err
}
