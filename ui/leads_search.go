package ui

import (
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/textindex"
)

// Search of the leads list. The words of the search box are matched by a
// server-built condition (access.ListQuery.Where, bound parameters) on the
// lead's own visible fields — company, town, postal code, through the
// full-text index (hooks/textindex: any part of the text, without case or
// accents; a LIKE for words shorter than a trigram) — and, through
// the rule-aware read path on lead_contacts, on the beginning of the
// contact's e-mail, last or first name (each through its own index): a
// user matches a contact only when lead_contacts' rules let them read it,
// so a partner never matches the contact of a lead it has not accepted,
// nor a private customer's name (SPEC §3.3.3: a private lead's company is
// empty, its name lives in the contact).
// For internal roles a SIREN or SIRET also matches the lead's SIRET (an
// internal field).

// maxContactLeads caps the contacts read to match one word (their leads
// join the search; a name shared by thousands of contacts finds the
// first ones): one rule-aware page per contact field at most.
const maxContactLeads = access.MaxPerPage

// searchCap is where the total of a search stops: beyond it the list
// shows "1 000+" (counting tens of thousands of matches would read them
// all); the page itself is exact.
var searchCap = 1000

// leadSearch is a search of the leads lists for a user: its words, the
// leads whose contact (or, for internal users, SIRET) matched each word,
// those among them that hold every word (mixed, resolved once), and the
// partner of a partner-role user (nil: no search).
type leadSearch struct {
	words    []string
	contacts [][]string
	mixed    []string
	partner  string
	// own are a partner-role user's leads matching the search (its
	// partner's leads holding every word in their texts, and mixed)
	own []string
	// matches counts the text matches once per request, up to bound+1
	// (-1: not yet)
	matches, bound int
}

// newLeadSearch prepares the search q for auth: every word matches the
// company, the town or the postal code of the lead, or the beginning of
// the e-mail or name of a contact auth may read (for an internal user,
// the SIRET of a SIREN or SIRET word). Nil for an empty search.
func newLeadSearch(app core.App, auth *core.Record, q string) (*leadSearch, error) {
	words := searchWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	partner, err := partnerOf(app, auth)
	if err != nil {
		return nil, err
	}
	contacts, err := contactLeadIDs(app, auth, words, partner)
	if err != nil {
		return nil, err
	}
	for i, w := range words {
		sids, err := siretLeadIDs(app, auth, w)
		if err != nil {
			return nil, err
		}
		contacts[i] = append(contacts[i], sids...)
	}
	mixed, err := textindex.Mixed(app.DB(), words, contacts)
	if err != nil {
		return nil, err
	}
	s := &leadSearch{words: words, contacts: contacts, mixed: mixed, partner: partner, matches: -1}
	if partner != "" {
		texts, err := textindex.PartnerTexts(app.DB(), words, partner)
		if err != nil {
			return nil, err
		}
		s.own = texts
		for _, id := range mixed {
			s.own = appendNew(s.own, id)
		}
	}
	return s, nil
}

// textMatches counts the leads whose texts hold every indexed word, once
// per request, up to the larger of the dense bound of a page of perPage
// (textindex.DenseBound) and twice the count's cap (plus one): one MATCH
// answers both questions.
func (s *leadSearch) textMatches(app core.App, perPage int) (m, bound int, err error) {
	if s.matches >= 0 {
		return s.matches, s.bound, nil
	}
	if s.bound, err = textindex.DenseBound(app.DB(), perPage); err != nil {
		return 0, 0, err
	}
	if s.matches, err = textindex.Matches(app.DB(), s.words, max(s.bound, 2*(searchCap+1))+1); err != nil {
		return 0, 0, err
	}
	return s.matches, s.bound, nil
}

// cond is the search's condition in shape; a partner-role user's own
// matching leads, found beforehand, whatever the shape.
func (s *leadSearch) cond(shape textindex.Shape) (dbx.Expression, error) {
	if s.partner != "" {
		return textindex.LeadsIn(s.own)
	}
	return textindex.LeadWordsResolved(s.words, s.mixed, s.partner, shape)
}

// where is the condition of the search's page. A partner-role user's is
// the list of its own matching leads (found once, cond); the leads of a
// list in the order of an index (ordered: the default sort) drive it when
// the matches are dense, walked newest first until a page of perPage is
// found; otherwise the matches drive it. The leads are the same either
// way.
func (s *leadSearch) where(app core.App, ordered bool, perPage int) (dbx.Expression, error) {
	shape := textindex.Shape{}
	if s.partner == "" && ordered {
		m, bound, err := s.textMatches(app, perPage)
		if err != nil {
			return nil, err
		}
		shape.Probe = m > bound
	}
	return s.cond(shape)
}

// total is the search's total for a page: taken from the page itself
// when it is not full (n leads on page number page of perPage: the last
// page, the count would find the same), otherwise counted (count), and
// never past searchCap+1.
func (s *leadSearch) total(app core.App, auth *core.Record, others []dbx.Expression, page, perPage, n int) (int, error) {
	page = max(page, 1)
	if n < perPage && (n > 0 || page == 1) {
		return min((page-1)*perPage+n, searchCap+1), nil
	}
	return s.count(app, auth, others)
}

// count is the number of leads auth may list matching the search and
// others (the list's other conditions), up to searchCap+1. With many text
// matches it first counts among the index's first ones only, which is
// enough to know the cap is reached; for a user who may list every lead
// and no other condition, the index's own count of the text matches is
// enough.
func (s *leadSearch) count(app core.App, auth *core.Record, others []dbx.Expression) (int, error) {
	limit := searchCap + 1
	countWith := func(shape textindex.Shape) (int, error) {
		cond, err := s.cond(shape)
		if err != nil {
			return 0, err
		}
		return access.CountFor(app, auth, "leads", dbx.And(append(slices.Clone(others), cond)...), limit)
	}
	if s.partner != "" {
		return countWith(textindex.Shape{})
	}
	m, _, err := s.textMatches(app, access.MaxPerPage)
	if err != nil {
		return 0, err
	}
	first := 2 * limit
	if len(others) == 0 && textindex.AllIndexed(s.words) {
		// every index row is one lead, all listed: the text matches
		// and the contacts' leads that are not among them
		every, err := access.ListsEvery(app, auth, "leads")
		if err != nil {
			return 0, err
		}
		if every && m >= limit {
			return limit, nil
		}
		if every {
			both, err := textindex.MatchedAmong(app.DB(), s.words, s.mixed)
			return min(m+len(s.mixed)-both, limit), err
		}
	}
	if m > first {
		n, err := countWith(textindex.Shape{First: first})
		if err != nil || n >= limit {
			return n, err
		}
	}
	return countWith(textindex.Shape{})
}

// partnerOf is the partner of a partner-role user, whose search is
// narrowed to that partner's leads and their contacts (empty for other
// roles): the rules allow a partner role no other lead or contact, and its
// leads are few, so SQLite reads them rather than every lead or contact
// holding a common word. The rules still decide; the narrowing only ever
// removes rows.
func partnerOf(app core.App, auth *core.Record) (string, error) {
	if auth == nil || auth.IsSuperuser() {
		return "", nil
	}
	kind, err := access.RoleKindOf(app, auth)
	if err != nil || kind != roles.Partner {
		return "", err
	}
	return auth.GetString("partner"), nil
}

// contactLeadIDs returns, for each word, the leads whose contact auth
// may read (access.ListFor on lead_contacts) and whose e-mail, last or
// first name starts with the word, at most maxContactLeads per word; none
// when the role may not list contacts at all. A partner-role user's
// contacts (those of its partner's leads, partner non-empty) are read in
// one statement for every word and field, its few leads driving it; the
// others' through each field's index, word by word.
func contactLeadIDs(app core.App, auth *core.Record, words []string, partner string) ([][]string, error) {
	out := make([][]string, len(words))
	if partner != "" {
		scope := dbx.NewExp("lead_contacts.lead IN (SELECT id FROM leads WHERE partner = {:srchpartner})", dbx.Params{"srchpartner": partner})
		var ors []dbx.Expression
		for i, w := range words {
			for n, f := range textindex.ContactFields {
				ors = append(ors, textindex.ContactPrefix(f, w, i*len(textindex.ContactFields)+n, false))
			}
		}
		err := contactPages(app, auth, dbx.And(scope, dbx.Or(ors...)), func(r *core.Record) bool {
			full := true
			for i, w := range words {
				if len(out[i]) >= maxContactLeads {
					continue
				}
				full = false
				for _, f := range textindex.ContactFields {
					if textindex.HasPrefix(r.GetString(f), w) {
						out[i] = appendNew(out[i], r.GetString("lead"))
						break
					}
				}
			}
			return !full
		})
		return out, err
	}
	every, err := access.ListsEvery(app, auth, "lead_contacts")
	if err != nil {
		return nil, err
	}
	for i, w := range words {
		for n, f := range textindex.ContactFields {
			// without a rule's join, the plain range stops at the page
			where := textindex.ContactPrefix(f, w, n, true)
			if every {
				where = textindex.ContactRange(f, w, n)
			}
			err := contactPages(app, auth, where, func(r *core.Record) bool {
				if len(out[i]) < maxContactLeads {
					out[i] = appendNew(out[i], r.GetString("lead"))
				}
				return len(out[i]) < maxContactLeads
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// contactPages reads the contacts auth may list that meet where, page by
// page, while each returns true; nothing when the role may not list
// contacts.
func contactPages(app core.App, auth *core.Record, where dbx.Expression, each func(*core.Record) bool) error {
	for page := 1; ; page++ {
		recs, res, err := access.ListFor(app, auth, "lead_contacts", access.ListQuery{Where: where, Page: page, PerPage: access.MaxPerPage})
		if errors.Is(err, domain.ErrForbidden) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, r := range recs {
			if !each(r) {
				return nil
			}
		}
		if len(recs) < res.PerPage {
			return nil
		}
	}
}

// appendNew appends id to ids unless it is there already.
func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// siretLeadIDs returns, for an internal user and a word that is a SIREN
// or a SIRET (9 to 14 digits), the leads auth may list whose SIRET starts
// with it (one page of access.MaxPerPage; a range of idx_leads_siret).
// None for other roles: the SIRET is an internal lead field
// (access.InternalLeadFields), a match would tell its value.
func siretLeadIDs(app core.App, auth *core.Record, w string) ([]string, error) {
	if !sirenWord(w) {
		return nil, nil
	}
	kind, err := access.RoleKindOf(app, auth)
	if err != nil || kind != roles.Internal {
		return nil, err
	}
	where := dbx.NewExp("leads.siret >= {:siretLo} AND leads.siret < {:siretHi}", dbx.Params{"siretLo": w, "siretHi": w + ":"})
	recs, _, err := access.ListFor(app, auth, "leads", access.ListQuery{Where: where, PerPage: access.MaxPerPage})
	if err != nil {
		return nil, err
	}
	return recordIDs(recs), nil
}

// sirenWord reports whether w is a SIREN or a SIRET, or a SIRET's
// beginning past its SIREN: 9 to 14 digits.
func sirenWord(w string) bool {
	if len(w) < 9 || len(w) > 14 {
		return false
	}
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// leadSorts are the sorts of the leads list (the lead's own visible
// fields; a private customer's company is empty, so a sort on it says
// nothing about a name); "" is the default, latest change first.
var leadSorts = map[string]string{
	"":         "-updated,-created",
	"company":  "company,-created",
	"-company": "-company,-created",
	"city":     "city,-created",
	"-city":    "-city,-created",
	"score":    "score,-created",
	"-score":   "-score,-created",
}

// anys converts strings for dbx.In.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
