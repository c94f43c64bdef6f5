package ui

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/lifecycle"
)

// pageMemo remembers, for the one GET request of a page, what the
// rule-aware read path answered its user, so that a page asking twice
// reads once: the names of records by collection and id (the lead page
// names the assignee, then the authors of the activities; the inbox names
// the assignees among the colleagues it lists), and the contacts of leads
// (a private customer's name, then the lead's contact), and a partner
// manager's colleagues (the lead page lists them first, so that the
// assignee's and the authors' names come from that list). Only page reads
// use it (mwSession gives it to GET requests): a write in the request
// could change what the user may read.
type pageMemo struct {
	names    map[string]map[string]string // collection → id → name ("": not visible)
	contacts map[string]*core.Record      // lead id → its contact (nil: not visible)
	// the partner manager's colleagues as listed once (colleaguesRead)
	colleagues     []option
	colleaguesRead bool
}

// memoFor is the memo of a request: nil (no memo) unless it is a GET.
func memoFor(r *http.Request) *pageMemo {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return nil
	}
	return &pageMemo{names: map[string]map[string]string{}, contacts: map[string]*core.Record{}}
}

// name returns what the memo knows of a record's name.
func (m *pageMemo) name(collection, id string) (string, bool) {
	if m == nil {
		return "", false
	}
	n, ok := m.names[collection][id]
	return n, ok
}

// setName records a name the read path answered ("" for not visible).
func (m *pageMemo) setName(collection, id, name string) {
	if m == nil {
		return
	}
	if m.names[collection] == nil {
		m.names[collection] = map[string]string{}
	}
	m.names[collection][id] = name
}

// contact returns what the memo knows of a lead's contact.
func (m *pageMemo) contact(lead string) (*core.Record, bool) {
	if m == nil {
		return nil, false
	}
	r, ok := m.contacts[lead]
	return r, ok
}

// setContact records a lead's contact as the read path answered it (nil
// for not visible).
func (m *pageMemo) setContact(lead string, r *core.Record) {
	if m != nil {
		m.contacts[lead] = r
	}
}

// contactReadable reports whether the lead_contacts rules can let the
// user read the contact of a lead in this status: for partner roles never
// before the partner accepted it (SPEC §3.3.2: the partner ceiling of the
// compiled rules, lifecycle.AcceptedOrLaterStatuses, that no matrix lifts),
// so that their pages do not ask the read path for what it cannot return
// (an inbox's offers). Other kinds: the rules decide.
func contactReadable(s *session, status string) bool {
	return s.kind != "partner" || slices.Contains(lifecycle.AcceptedOrLaterStatuses(), status)
}

// colleaguesList returns the colleagues the memo holds, if listed.
func (m *pageMemo) colleaguesList() ([]option, bool) {
	if m == nil || !m.colleaguesRead {
		return nil, false
	}
	return m.colleagues, true
}

// setColleagues records the colleagues as the read path listed them.
func (m *pageMemo) setColleagues(list []option) {
	if m != nil {
		m.colleagues, m.colleaguesRead = list, true
	}
}
