package hooks_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http"
	neturl "net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

// The differential oracle test asks every forbidden question the filter
// syntax allows and checks that the answer never depends on records the
// caller cannot see (SPEC §3.3.3, POCKETBASE.md "Negated and all-of filters
// through back-relations bypass the related ListRule").
//
// It is generated from the schema, not hand-listed: for each role, each
// collection the role can list (an entry point), each path reachable from it
// by up to two relation, back-relation or @collection hops, each comparable
// field at the end of the path and each operator, it compares the answer for
// a value that exists only in records the role cannot see ("secret") with
// the answer for a value that exists nowhere ("nowhere"). The nowhere value
// is the secret's neighbour (secret + "\x01" for text, secret + a small step
// for numbers), chosen so that every record the role can see compares the
// same way to both values: equal to neither, containing neither, on the same
// side of both. Any difference in the answer can therefore only come from a
// hidden record, and is reported with the exact query.
//
// The default run checks every one-hop path and a deterministic sample of
// the two-hop ones; `go test ./hooks -run Oracle -oracle.full` sweeps them
// all.

var (
	oracleFull  = flag.Bool("oracle.full", false, "differential oracle test: sweep every two-hop path (slow)")
	oracleEvery = flag.Int("oracle.every", 1, "differential oracle test: ask one cell in N (to try the generator quickly)")
)

// oracleOps are the filter operators of PocketBase's syntax.
var oracleOps = []string{"=", "!=", "~", "!~", "<", ">", "?=", "?!=", "?~", "?!~"}

// oracleRoles are the world users the oracle asks as (one per default role).
var oracleRoles = []string{"admin", "channel_manager", "sales", "teleoperator", "partner_manager", "partner_user", "integration"}

// oracleValue is one comparable value of a field, as a filter literal and
// as a value to compare in Go.
type oracleValue struct {
	text   string  // the value as text (for text-like fields)
	num    float64 // the value (for numbers)
	number bool
}

func (v oracleValue) literal() string {
	if v.number {
		return strconv.FormatFloat(v.num, 'f', -1, 64)
	}
	return strconv.Quote(v.text)
}

// sqlText is how SQLite renders the value in a LIKE comparison.
func (v oracleValue) sqlText() string {
	if v.number {
		if v.num == math.Trunc(v.num) && math.Abs(v.num) < 1e15 {
			return strconv.FormatInt(int64(v.num), 10)
		}
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	}
	return v.text
}

func (v oracleValue) less(o oracleValue) bool {
	if v.number {
		return v.num < o.num
	}
	return v.text < o.text
}

func (v oracleValue) equal(o oracleValue) bool {
	if v.number {
		return v.num == o.num
	}
	return v.text == o.text
}

// oraclePath is a filter path from an entry collection to a comparable
// field.
type oraclePath struct {
	path  string
	hops  int
	term  *core.Collection
	field core.Field
}

// comparable reports whether the oracle can pick secret values of a field.
func oracleComparable(f core.Field) bool {
	switch f.Type() {
	case core.FieldTypeText, core.FieldTypeEmail, core.FieldTypeURL, core.FieldTypeEditor, core.FieldTypeSelect,
		core.FieldTypeRelation, core.FieldTypeNumber, core.FieldTypeDate, core.FieldTypeAutodate:
		return true
	}
	return false
}

// oraclePaths enumerates the paths of an entry collection, up to maxHops
// relation hops, in a stable order.
func oraclePaths(t testing.TB, app core.App, entry *core.Collection, maxHops int, withCollections bool) []oraclePath {
	all, err := app.FindAllCollections()
	require.NoError(t, err)
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	byID := map[string]*core.Collection{}
	for _, c := range all {
		byID[c.Id] = c
	}
	var out []oraclePath
	var walk func(c *core.Collection, prefix string, hops int, single bool)
	walk = func(c *core.Collection, prefix string, hops int, single bool) {
		for _, f := range c.Fields {
			if f.GetHidden() || !oracleComparable(f) {
				continue
			}
			if single && f.GetName() == core.FieldNameId {
				// PocketBase reads "rel.id" of a single relation as the
				// relation field itself: the entry record's own value
				continue
			}
			out = append(out, oraclePath{path: prefix + f.GetName(), hops: hops, term: c, field: f})
		}
		if hops == maxHops {
			return
		}
		// forward relations
		for _, f := range c.Fields {
			rf, ok := f.(*core.RelationField)
			if !ok || f.GetHidden() || byID[rf.CollectionId] == nil {
				continue
			}
			walk(byID[rf.CollectionId], prefix+f.GetName()+".", hops+1, !rf.IsMultiple())
		}
		// back-relations
		for _, b := range all {
			for _, f := range b.Fields {
				rf, ok := f.(*core.RelationField)
				if !ok || f.GetHidden() || rf.CollectionId != c.Id {
					continue
				}
				walk(b, prefix+b.Name+"_via_"+f.GetName()+".", hops+1, false)
			}
		}
	}
	walk(entry, "", 0, false)
	// @collection joins reach every collection from anywhere: the
	// caller's first entry point asks them
	if maxHops > 0 && withCollections {
		for _, c := range all {
			if c.IsView() {
				continue
			}
			for _, f := range c.Fields {
				if f.GetHidden() || !oracleComparable(f) {
					continue
				}
				out = append(out, oraclePath{path: "@collection." + c.Name + "." + f.GetName(), hops: 1, term: c, field: f})
			}
		}
	}
	return out
}

// oracleValues returns the values of a field of a record (empty ones left
// out; multi-valued fields give one value per item).
func oracleValues(rec *core.Record, f core.Field) []oracleValue {
	raw := rec.Get(f.GetName())
	var out []oracleValue
	addText := func(s string) {
		if s != "" && !strings.ContainsAny(s, "\"\\\x00\x01") {
			out = append(out, oracleValue{text: s})
		}
	}
	switch v := raw.(type) {
	case string:
		addText(v)
	case []string:
		for _, s := range v {
			addText(s)
		}
	case types.DateTime:
		if !v.IsZero() {
			addText(v.String())
		}
	case float64:
		out = append(out, oracleValue{num: v, number: true})
	case int:
		out = append(out, oracleValue{num: float64(v), number: true})
	}
	return out
}

// neighbour returns the nowhere value of a secret: one that no record holds
// and that sorts right after it.
func neighbour(s oracleValue, all []oracleValue) oracleValue {
	if !s.number {
		return oracleValue{text: s.text + "\x01"}
	}
	step := 0.5
	for _, v := range all {
		if d := v.num - s.num; d > 0 && d/2 < step {
			step = d / 2
		}
	}
	return oracleValue{num: s.num + step, number: true}
}

// safePair reports whether every visible value compares the same way to the
// secret and to its neighbour.
func safePair(visible []oracleValue, s, n oracleValue) bool {
	st, nt := strings.ToLower(s.sqlText()), strings.ToLower(n.sqlText())
	for _, v := range visible {
		if v.equal(s) || v.equal(n) || v.less(s) != v.less(n) || s.less(v) != n.less(v) {
			return false
		}
		vt := strings.ToLower(v.sqlText())
		if strings.Contains(vt, st) || strings.Contains(vt, nt) {
			return false
		}
	}
	return true
}

// oracle holds the world and what each role can see.
type oracle struct {
	t       testing.TB
	w       *world
	super   *core.Record
	visible map[string]map[string][]*core.Record // role → collection → visible records
	all     map[string][]*core.Record            // collection → all records
	stable  map[string]bool                      // ids that existed before the sweep
	secrets map[string][]oracleValue             // cache: role|collection|field → candidates
	reach   map[string]map[string]bool           // cache: entry|path|value → entry ids that reach it
}

func newOracle(t testing.TB) *oracle {
	w := newWorld(t)
	populateOracleWorld(w)
	o := &oracle{t: t, w: w, visible: map[string]map[string][]*core.Record{}, all: map[string][]*core.Record{},
		stable: map[string]bool{}, secrets: map[string][]oracleValue{}, reach: map[string]map[string]bool{}}
	su, err := w.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	require.NoError(t, err)
	o.super = core.NewRecord(su)
	o.super.SetEmail("oracle-root@world.test")
	o.super.SetPassword("oracle-root-password")
	require.NoError(t, w.app.Save(o.super))
	colls, err := w.app.FindAllCollections()
	require.NoError(t, err)
	for _, c := range colls {
		if c.IsView() || c.Name == core.CollectionNameSuperusers || strings.HasPrefix(c.Name, "_") {
			continue
		}
		recs, err := w.app.FindAllRecords(c)
		require.NoError(t, err)
		o.all[c.Name] = recs
		for _, r := range recs {
			o.stable[r.Id] = true
		}
		for _, role := range oracleRoles {
			if o.visible[role] == nil {
				o.visible[role] = map[string][]*core.Record{}
			}
			o.visible[role][c.Name] = o.listAll(role, c.Name)
		}
	}
	return o
}

// listAll lists every record of a collection the role can see.
func (o *oracle) listAll(role, coll string) []*core.Record {
	var out []*core.Record
	pageCap, err := access.PageCapFor(o.w.app, o.w.users[role])
	require.NoError(o.t, err)
	for page := 1; ; page++ {
		recs, _, err := access.ListFor(o.w.app, o.w.users[role], coll, access.ListQuery{Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			return out // closed to the role
		}
		out = append(out, recs...)
		if len(recs) == 0 || len(recs) < pageCap && len(recs) < access.MaxPerPage {
			return out
		}
	}
}

// pair returns a secret of the path's field for the role, reachable from a
// record of the entry collection the role can see, and its neighbour.
func (o *oracle) pair(role string, entry *core.Collection, p oraclePath) (oracleValue, oracleValue, bool) {
	key := role + "|" + p.term.Name + "|" + p.field.GetName()
	cands, ok := o.secrets[key]
	if !ok {
		seen := map[string]bool{}
		var visible, every []oracleValue
		for _, r := range o.visible[role][p.term.Name] {
			seen[r.Id] = true
			visible = append(visible, oracleValues(r, p.field)...)
		}
		var hidden []oracleValue
		for _, r := range o.all[p.term.Name] {
			vals := oracleValues(r, p.field)
			every = append(every, vals...)
			if !seen[r.Id] {
				hidden = append(hidden, vals...)
			}
		}
		for _, s := range hidden {
			n := neighbour(s, every)
			if safePair(visible, s, n) && !slices.ContainsFunc(cands, s.equal) {
				cands = append(cands, s)
			}
		}
		o.secrets[key] = cands
	}
	if len(cands) == 0 {
		return oracleValue{}, oracleValue{}, false
	}
	entryIDs := map[string]bool{}
	for _, r := range o.visible[role][entry.Name] {
		entryIDs[r.Id] = true
	}
	if len(entryIDs) == 0 {
		return oracleValue{}, oracleValue{}, false
	}
	var every []oracleValue
	for _, r := range o.all[p.term.Name] {
		every = append(every, oracleValues(r, p.field)...)
	}
	// the first candidate a visible entry record reaches
	for i, s := range cands {
		if i == 4 {
			break
		}
		for id := range o.reachedBy(entry, p, s) {
			if entryIDs[id] {
				return s, neighbour(s, every), true
			}
		}
	}
	return oracleValue{}, oracleValue{}, false
}

// reachedBy returns the ids of the entry records whose path holds v (asked
// as a superuser, who sees everything).
func (o *oracle) reachedBy(entry *core.Collection, p oraclePath, v oracleValue) map[string]bool {
	key := entry.Name + "|" + p.path + "|" + v.literal()
	if r, ok := o.reach[key]; ok {
		return r
	}
	out := map[string]bool{}
	filter := p.path + " ?= " + v.literal()
	for page := 1; ; page++ {
		recs, _, err := access.ListFor(o.w.app, o.super, entry.Name, access.ListQuery{Filter: filter, Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			break
		}
		for _, r := range recs {
			out[r.Id] = true
		}
		if len(recs) < access.MaxPerPage {
			break
		}
	}
	o.reach[key] = out
	return out
}

// answer is what a list request tells: its status and the stable records
// it returned (records created during the sweep, such as audit entries of
// refused filters, are left out).
func (o *oracle) answer(res struct {
	Status int
	Body   string
}) string {
	if res.Status != http.StatusOK {
		return strconv.Itoa(res.Status)
	}
	var page struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(res.Body), &page); err != nil {
		return "200 " + res.Body
	}
	ids := []string{}
	for _, it := range page.Items {
		if o.stable[it.ID] {
			ids = append(ids, it.ID)
		}
	}
	return "200 " + strings.Join(ids, ",")
}

// oracleCell is one question: role, entry collection, filter pair.
type oracleCell struct {
	role, entry, path, op string
	secret, nowhere       string // filter literals
	p                     oraclePath
	value                 oracleValue // the secret
}

func (c oracleCell) filter(v string) string { return c.path + " " + c.op + " " + v }

func (c oracleCell) String() string {
	return fmt.Sprintf("%s: GET /api/collections/%s/records?filter=%s (vs %s)", c.role, c.entry, neturl.QueryEscape(c.filter(c.secret)), strconv.Quote(c.nowhere))
}

// cells generates the questions.
func (o *oracle) cells(pl oraclePlan) []oracleCell {
	colls, err := o.w.app.FindAllCollections()
	require.NoError(o.t, err)
	sort.Slice(colls, func(i, j int) bool { return colls[i].Name < colls[j].Name })
	var out []oracleCell
	for _, role := range oracleRoles {
		first := true
		for _, entry := range colls {
			if len(o.visible[role][entry.Name]) == 0 {
				continue
			}
			paths := oraclePaths(o.t, o.w.app, entry, 2, first)
			first = false
			for _, p := range paths {
				if !pl.keep(p) {
					continue
				}
				s, n, ok := o.pair(role, entry, p)
				if !ok {
					continue
				}
				for _, op := range pl.ops(p) {
					out = append(out, oracleCell{role: role, entry: entry.Name, path: p.path, op: op, secret: s.literal(), nowhere: n.literal(), p: p, value: s})
				}
			}
		}
	}
	if *oracleEvery > 1 {
		kept := out[:0]
		for i, c := range out {
			if i%*oracleEvery == 0 {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out
}

// oraclePlan says which questions a run asks. The full sweep
// (-oracle.full) asks every path of up to two hops with every operator. The
// default run, part of `go test ./...`, keeps under a minute: every one-hop
// relation and back-relation path, one @collection path in 3 and one
// two-hop path in 8, each with 4 of the 10 operators, rotating with the
// path so that every operator is asked on every kind of path.
type oraclePlan struct{ full bool }

func currentPlan() oraclePlan { return oraclePlan{full: *oracleFull} }

func pathHash(p oraclePath) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(p.path); i++ {
		h = (h ^ uint32(p.path[i])) * 16777619
	}
	return h
}

func (pl oraclePlan) keep(p oraclePath) bool {
	switch {
	case pl.full:
		return true
	case p.hops >= 2:
		return pathHash(p)%8 == 0
	case strings.HasPrefix(p.path, "@collection."):
		return pathHash(p)%3 == 0
	}
	return true
}

func (pl oraclePlan) ops(p oraclePath) []string {
	if pl.full {
		return oracleOps
	}
	h := int(pathHash(p) % uint32(len(oracleOps)))
	out := make([]string, 4)
	for i := range out {
		out[i] = oracleOps[(h+i*3)%len(oracleOps)]
	}
	return out
}

// TestFilterOracle is the REST list oracle.
func TestFilterOracle(t *testing.T) {
	start := time.Now()
	o := newOracle(t)
	cells := o.cells(currentPlan())
	require.NotEmpty(t, cells)
	findings, requests, sorts := o.sweep(cells, func(role, entry, query string) string {
		res := o.w.client.Do(http.MethodGet, "/api/collections/"+entry+"/records?perPage=200&"+query, o.w.tokens[role], nil)
		return o.answer(struct {
			Status int
			Body   string
		}{res.Status, res.Body})
	})
	t.Logf("REST oracle: %d filter cells, %d sort cells, %d requests, %d findings, %s", len(cells), sorts, requests, len(findings), time.Since(start).Round(time.Millisecond))
	if len(findings) > 0 {
		max := min(len(findings), 40)
		t.Errorf("%d filters or sorts tell hidden records apart (first %d):\n%s", len(findings), max, strings.Join(findings[:max], "\n"))
	}
}

// sweep asks every filter question (secret against nowhere) and every sort
// question (hidden value low against high, ascending and descending)
// through one channel; ask gets the role, the entry collection and the
// query string.
func (o *oracle) sweep(cells []oracleCell, ask func(role, entry, query string) string) (findings []string, requests, sorts int) {
	for _, c := range cells {
		a := ask(c.role, c.entry, "filter="+neturl.QueryEscape(c.filter(c.secret)))
		b := ask(c.role, c.entry, "filter="+neturl.QueryEscape(c.filter(c.nowhere)))
		requests += 2
		if a != b {
			findings = append(findings, c.String())
		}
	}
	// the sort questions that move the same hidden records are asked
	// together: one move low, one move high
	groups := map[string][]sortCell{}
	var keys []string
	for _, sc := range o.sortCells(cells) {
		k := sc.term + "|" + sc.field + "|" + strings.Join(sc.ids, ",")
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], sc)
	}
	for _, k := range keys {
		g := groups[k]
		askAll := func() []string {
			var out []string
			for _, sc := range g {
				for _, desc := range []string{"", "-"} {
					out = append(out, ask(sc.role, sc.entry, "sort="+neturl.QueryEscape(desc+sc.path+",id")))
				}
			}
			return out
		}
		low := o.withHidden(g[0], false, askAll)
		high := o.withHidden(g[0], true, askAll)
		for i, sc := range g {
			for j, desc := range []string{"", "-"} {
				sorts++
				requests += 2
				if low[2*i+j] != high[2*i+j] {
					findings = append(findings, sc.String(desc))
				}
			}
		}
	}
	return findings, requests, sorts
}

// sortCell is a sort question: does the order of the records a role sees
// change when only records it cannot see change?
type sortCell struct {
	role, entry, path string
	term, field       string
	number            bool
	ids               []string // the hidden records whose value moves
}

func (c sortCell) String(desc string) string {
	return fmt.Sprintf("%s: GET /api/collections/%s/records?sort=%s (hidden %s.%s low vs high)", c.role, c.entry, neturl.QueryEscape(desc+c.path), c.term, c.field)
}

// sortCells derives one sort question per role, entry and single-valued
// path of the filter cells: the records holding the cell's secret (hidden
// from the role, reachable from what it sees) are the ones moved.
func (o *oracle) sortCells(cells []oracleCell) []sortCell {
	seen := map[string]bool{}
	var out []sortCell
	for _, c := range cells {
		key := c.role + "|" + c.entry + "|" + c.path
		if seen[key] {
			continue
		}
		seen[key] = true
		if m, ok := c.p.field.(core.MultiValuer); ok && m.IsMultiple() {
			continue
		}
		if c.p.field.GetName() == core.FieldNameId {
			continue // an id cannot be moved
		}
		visible := map[string]bool{}
		for _, r := range o.visible[c.role][c.p.term.Name] {
			visible[r.Id] = true
		}
		sc := sortCell{role: c.role, entry: c.entry, path: c.path, term: c.p.term.Name, field: c.p.field.GetName(), number: c.value.number}
		for _, r := range o.all[c.p.term.Name] {
			if visible[r.Id] {
				continue
			}
			for _, v := range oracleValues(r, c.p.field) {
				if v.equal(c.value) {
					sc.ids = append(sc.ids, r.Id)
					break
				}
			}
		}
		if len(sc.ids) > 0 {
			out = append(out, sc)
		}
	}
	return out
}

// withHidden sets the hidden records' value to the lowest or the highest
// value of its type (by SQL: no hook, no validation), runs ask, and puts
// the values back.
func (o *oracle) withHidden(sc sortCell, high bool, ask func() []string) []string {
	db := o.w.app.NonconcurrentDB()
	type row struct {
		ID string `db:"id"`
		V  any    `db:"v"`
	}
	var saved []row
	require.NoError(o.t, db.Select("id", "[["+sc.field+"]] AS v").From(sc.term).Where(dbx.In("id", toAny(sc.ids)...)).All(&saved))
	for i, r := range saved {
		if b, ok := r.V.([]byte); ok {
			saved[i].V = string(b)
		}
	}
	var v any = "!"
	switch {
	case sc.number && high:
		v = 1e12
	case sc.number:
		v = -1e12
	case high:
		v = "~~~~~~~~"
	}
	_, err := db.Update(sc.term, dbx.Params{sc.field: v}, dbx.In("id", toAny(sc.ids)...)).Execute()
	require.NoError(o.t, err)
	defer func() {
		for _, r := range saved {
			_, err := db.Update(sc.term, dbx.Params{sc.field: r.V}, dbx.HashExp{"id": r.ID}).Execute()
			require.NoError(o.t, err)
		}
	}()
	return ask()
}

func toAny(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
