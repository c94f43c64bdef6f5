package certificates

import (
	"sort"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/policy"
)

// HeldAll reads, for every partner holding a certificate, the latest
// valid-until date per kind (not a user-facing read: callers show it only
// for partners the user may see).
func HeldAll(app core.App) (map[string]map[string]time.Time, error) {
	rows := []struct {
		P string `db:"p"`
		K string `db:"k"`
		T string `db:"t"`
	}{}
	if err := app.DB().NewQuery("SELECT partner AS p, kind AS k, MAX(valid_until) AS t FROM " + policy.CertificatesCollection +
		" GROUP BY partner, kind").All(&rows); err != nil {
		return nil, err
	}
	out := map[string]map[string]time.Time{}
	for _, r := range rows {
		d, err := types.ParseDateTime(r.T)
		if err != nil || d.IsZero() {
			continue
		}
		if out[r.P] == nil {
			out[r.P] = map[string]time.Time{}
		}
		out[r.P][r.K] = d.Time()
	}
	return out, nil
}

// Statuses sums up the certificates of every partner holding one.
func Statuses(app core.App, now time.Time) (map[string]Summary, error) {
	held, err := HeldAll(app)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Summary, len(held))
	for p, h := range held {
		out[p] = Status(h, now)
	}
	return out, nil
}

// LapsedPartner is a partner whose certificate lapsed.
type LapsedPartner struct {
	ID, Name string
	Kinds    []string
}

// Lapsed lists, by name, the partners (among ids; nil: all) that are not
// ended and hold a kind of certificate whose latest one ended.
func Lapsed(app core.App, ids []string, now time.Time) ([]LapsedPartner, error) {
	st, err := Statuses(app, now)
	if err != nil {
		return nil, err
	}
	var want map[string]bool
	if ids != nil {
		want = map[string]bool{}
		for _, id := range ids {
			want[id] = true
		}
	}
	var ids2 []any
	for id, s := range st {
		if s.Status == StatusLapsed && (want == nil || want[id]) {
			ids2 = append(ids2, id)
		}
	}
	if len(ids2) == 0 {
		return nil, nil
	}
	// their names and statuses in one read (a certificate of a deleted
	// partner is deleted with it: an id not found is skipped)
	partners := []struct {
		ID     string `db:"id"`
		Name   string `db:"name"`
		Status string `db:"status"`
	}{}
	if err := app.DB().Select("id", "name", "status").From("partners").Where(dbx.In("id", ids2...)).All(&partners); err != nil {
		return nil, err
	}
	var out []LapsedPartner
	for _, p := range partners {
		if p.Status == "ended" {
			continue
		}
		out = append(out, LapsedPartner{ID: p.ID, Name: p.Name, Kinds: st[p.ID].Lapsed})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
