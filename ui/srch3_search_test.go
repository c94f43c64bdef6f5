package ui

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/textindex"
)

// The search's differential test: for random searches and every kind of
// role, the leads page (and the two shapes of the condition, driven from
// the matches or probing each listed lead) lists exactly what a brute
// force finds in Go from what the user may read through the rules: every
// word in the lead's company, town or postal code (case and accents
// ignored; a LIKE for words shorter than a trigram), or starting the
// e-mail or a name of a contact the user may read, or (internal roles)
// starting the SIRET; newest change first; the total, stopped at the cap.

// allFor reads every record of a collection auth may list, through the
// rules.
func allFor(t *testing.T, app core.App, auth *core.Record, coll string) []*core.Record {
	t.Helper()
	var out []*core.Record
	for page := 1; ; page++ {
		recs, res, err := access.ListFor(app, auth, coll, access.ListQuery{Page: page, PerPage: access.MaxPerPage, Sort: "id"})
		require.NoError(t, err)
		out = append(out, recs...)
		if len(recs) < res.PerPage {
			return out
		}
	}
}

// fold is a text as the trigram index compares it: lower case, without
// accents.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// asciiLower lowers ASCII letters only (SQLite's LIKE and NOCASE).
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// bruteMatch reports whether a lead matches every word of q for a user
// who reads contact (nil: none) and, when internal, the SIRET.
func bruteMatch(lead, contact *core.Record, words []string, internal bool) bool {
	for _, w := range words {
		ok := false
		if !textindex.ContactOnly(w) {
			for _, f := range []string{"company", "city", "postal_code"} {
				v := lead.GetString(f)
				if textindex.Indexed(w) && strings.Contains(fold(v), fold(w)) ||
					!textindex.Indexed(w) && strings.Contains(asciiLower(v), asciiLower(w)) {
					ok = true
				}
			}
		}
		if contact != nil {
			for _, f := range textindex.ContactFields {
				if strings.HasPrefix(asciiLower(contact.GetString(f)), asciiLower(w)) {
					ok = true
				}
			}
		}
		if internal && sirenWord(w) && strings.HasPrefix(lead.GetString("siret"), w) {
			ok = true
		}
		if !ok {
			return false
		}
	}
	return true
}

// newestFirst sorts leads like the list's default order.
func newestFirst(leads []*core.Record) {
	slices.SortStableFunc(leads, func(a, b *core.Record) int {
		if c := strings.Compare(b.GetString("updated"), a.GetString("updated")); c != 0 {
			return c
		}
		return strings.Compare(b.GetString("created"), a.GetString("created"))
	})
}

// orderKey is a lead's place in the default order (ties compare equal).
func orderKey(r *core.Record) string { return r.GetString("updated") + "|" + r.GetString("created") }

// samePage asserts that got lists the leads of want in the same order,
// leads of equal order key in any order.
func samePage(t *testing.T, want []*core.Record, got []string, byID map[string]*core.Record, msg string) {
	t.Helper()
	require.Len(t, got, len(want), msg)
	keys := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = orderKey(byID[id])
		}
		return out
	}
	var wantIDs []string
	for _, r := range want {
		wantIDs = append(wantIDs, r.Id)
	}
	assert.Equal(t, keys(wantIDs), keys(got), msg)
	assert.ElementsMatch(t, wantIDs, got, msg)
}

// searchTerms draws random searches from the data: words of companies
// and towns (any case, a part of them), postal codes and their beginning,
// contacts' e-mails and names and their beginning, SIREN-like digits,
// two-letter words, two-word searches and words found nowhere.
func searchTerms(r *rand.Rand, leads, contacts []*core.Record, n int) []string {
	pick := func(recs []*core.Record, f string) string {
		for range 20 {
			if v := recs[r.IntN(len(recs))].GetString(f); v != "" {
				return v
			}
		}
		return "zz"
	}
	word := func() string {
		switch r.IntN(9) {
		case 0, 1:
			ws := strings.Fields(pick(leads, "company"))
			if len(ws) == 0 {
				return "ab"
			}
			w := ws[r.IntN(len(ws))]
			if r.IntN(2) == 0 {
				w = strings.ToUpper(w)
			}
			return w
		case 2:
			c := []rune(pick(leads, "city"))
			return string(c[:min(len(c), 3+r.IntN(4))])
		case 3:
			pc := pick(leads, "postal_code")
			return pc[:min(len(pc), 2+r.IntN(4))]
		case 4:
			return pick(contacts, "email")
		case 5:
			v := pick(contacts, "last_name")
			return v[:min(len(v), 2+r.IntN(5))]
		case 6:
			return strings.ToLower(pick(contacts, "first_name"))
		case 7:
			return fmt.Sprint(100000000 + r.IntN(900000000))
		default:
			return []string{"qxzw", "é", "de", "SARL", "ferme", "énergie"}[r.IntN(6)]
		}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = word()
		if r.IntN(3) == 0 {
			out[i] += " " + word()
		}
	}
	return out
}

// srch3Users are the users of the differential test, one per kind of
// reader.
var srch3Users = []string{"admin@demo.test", "manager.ouest@demo.test", "sales@demo.test", "teleop@demo.test",
	"installer001@demo.test", "installer001.sales@demo.test", "installer002@demo.test"}

func TestLeadsSearchIsTheBruteForceSearch(t *testing.T) {
	e := newEnv(t)
	r := rand.New(rand.NewPCG(16, 3))
	admin := e.user("admin@demo.test")
	terms := searchTerms(r, allFor(t, e.app, admin, "leads"), allFor(t, e.app, admin, "lead_contacts"), 40)
	for _, email := range srch3Users {
		user := e.user(email)
		leads := allFor(t, e.app, user, "leads")
		byID := map[string]*core.Record{}
		for _, l := range leads {
			byID[l.Id] = l
		}
		contacts := map[string]*core.Record{}
		if recs, _, err := access.ListFor(e.app, user, "lead_contacts", access.ListQuery{PerPage: 1}); err == nil && recs != nil {
			for _, c := range allFor(t, e.app, user, "lead_contacts") {
				contacts[c.GetString("lead")] = c
			}
		}
		kind, err := access.RoleKindOf(e.app, user)
		require.NoError(t, err)
		newestFirst(leads)
		b := e.signedIn(email)
		perPage, err := leadsPerPage(e.app, &session{kind: string(kind)})
		require.NoError(t, err)
		for _, q := range terms {
			words := searchWords(q)
			var want []*core.Record
			for _, l := range leads {
				if bruteMatch(l, contacts[l.Id], words, kind == "internal") {
					want = append(want, l)
				}
			}
			msg := fmt.Sprintf("%s searches %q", email, q)
			page := want[:min(len(want), perPage)]
			ids, total, _ := searchLeads(t, b, q)
			samePage(t, page, ids, byID, msg)
			assert.Equal(t, min(len(want), searchCap), total, msg)

			// both shapes of the condition list the same leads
			s, err := newLeadSearch(e.app, user, q)
			require.NoError(t, err)
			for _, probe := range []bool{false, true} {
				cond, err := textindex.LeadWordsAs(s.words, s.contacts, s.partner, textindex.Shape{Probe: probe})
				require.NoError(t, err)
				recs, _, err := access.ListFor(e.app, user, "leads", access.ListQuery{Where: cond, Sort: leadSorts[""], PerPage: perPage})
				require.NoError(t, err)
				samePage(t, page, recordIDs(recs), byID, fmt.Sprintf("%s (probe %v)", msg, probe))
				// the contact branch resolved once lists the same leads
				cond, err = textindex.LeadWordsResolved(s.words, s.mixed, s.partner, textindex.Shape{Probe: probe})
				require.NoError(t, err)
				recs, _, err = access.ListFor(e.app, user, "leads", access.ListQuery{Where: cond, Sort: leadSorts[""], PerPage: perPage})
				require.NoError(t, err)
				samePage(t, page, recordIDs(recs), byID, fmt.Sprintf("%s (resolved, probe %v)", msg, probe))
			}
			n, err := s.count(e.app, user, nil)
			require.NoError(t, err)
			assert.Equal(t, min(len(want), searchCap+1), n, msg+": the count")
		}
	}
}

// A search's total stops at the cap: the page shows "1,000+" ("1 000+"
// in French) and its pages go on while the count is capped; the capped
// count counts among the index's first matches only when they are
// enough.
func TestLeadsSearchTotalStopsAtTheCap(t *testing.T) {
	e := newEnv(t)
	old := searchCap
	t.Cleanup(func() { searchCap = old })
	admin := e.user("admin@demo.test")
	// a word of many leads
	var word string
	var n int
	require.NoError(t, e.app.DB().NewQuery(`SELECT city, COUNT(*) AS n FROM leads WHERE length(city) >= 3 GROUP BY city ORDER BY n DESC LIMIT 1`).Row(&word, &n))
	require.Greater(t, n, 8, "a common town of the demo")
	searchCap = 5
	s, err := newLeadSearch(e.app, admin, word)
	require.NoError(t, err)
	got, err := s.count(e.app, admin, nil)
	require.NoError(t, err)
	assert.Equal(t, 6, got, "the count stops one past the cap")

	b := e.signedIn("admin@demo.test")
	r := b.get("/leads?q=" + url.QueryEscape(word))
	assert.Contains(t, r.Body, `id="leads-total">5+ leads (le décompte s’arrête là`)
	assert.Contains(t, r.Body, "page=2", "a next page")
	b.post("/lang", url.Values{"lang": {"en"}})
	r = b.get("/leads?q=" + url.QueryEscape(word))
	assert.Contains(t, r.Body, `id="leads-total">5+ leads (the count stops there`)

	searchCap = 100000
	got, err = s.count(e.app, admin, nil)
	require.NoError(t, err)
	all, err := access.CountFor(e.app, admin, "leads", nil, 0)
	require.NoError(t, err)
	require.Greater(t, all, n)
	want := 0
	for _, l := range allFor(t, e.app, admin, "leads") {
		if bruteMatch(l, nil, searchWords(word), true) {
			want++
		}
	}
	assert.GreaterOrEqual(t, got, want, "an uncapped count finds every text match (contacts may add)")
}

// CountFor counts what ListFor lists, through the same rule and hint,
// and stops at its limit.
func TestCountForIsTheListsTotalUpToItsLimit(t *testing.T) {
	e := newEnv(t)
	for _, email := range srch3Users {
		user := e.user(email)
		_, res, err := access.ListFor(e.app, user, "leads", access.ListQuery{Count: true, PerPage: 1})
		require.NoError(t, err)
		n, err := access.CountFor(e.app, user, "leads", nil, 0)
		require.NoError(t, err)
		assert.Equal(t, res.TotalItems, n, email)
		n, err = access.CountFor(e.app, user, "leads", dbx.NewExp("leads.status = 'won'"), 3)
		require.NoError(t, err)
		assert.LessOrEqual(t, n, 3, email)
	}
}
