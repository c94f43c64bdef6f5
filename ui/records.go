package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// This file turns records read through the rule-aware read path into the
// typed data the templates show. Internal-only lead fields are copied only
// for internal roles (SPEC §3.3.8): a partner's page never receives them.

// leadView is a lead as a page shows it.
type leadView struct {
	ID, Company, City, PostalCode, Department, Segment, Size, Interest, Status string
	Score                                                                      int
	Value, WonAmount                                                           float64
	LostReason                                                                 string
	Created, Updated, OfferedAt, AcceptBy, AcceptedAt, MeetingAt, ClosedAt     types.DateTime
	PartnerID, PartnerName, AssigneeID, AssigneeName, TerritoryID              string

	// Private marks a private customer's lead (no company: page.LeadName
	// shows a neutral label); Name is the customer's name from the lead's
	// contact, filled only when the user's rules let them read it.
	Private bool
	Name    string

	// the meeting the lead source booked: its date and town (the street
	// and the person to meet are in the contact, contactView)
	AppointmentAt                          types.DateTime
	AppointmentPostalCode, AppointmentCity string

	// internal roles only
	Internal                      bool
	Source, SourceRef, Campaign   string
	Held                          bool
	ConflictKind, ConflictPartner string
}

func newLeadView(s *session, r *core.Record) leadView {
	v := leadView{
		ID: r.Id, Company: r.GetString("company"), City: r.GetString("city"), PostalCode: r.GetString("postal_code"),
		Department: r.GetString("department"), Segment: r.GetString("segment"), Size: r.GetString("company_size"),
		Interest: r.GetString("interest"), Status: r.GetString("status"), Score: r.GetInt("score"),
		Value: r.GetFloat("estimated_value"), WonAmount: r.GetFloat("won_amount"), LostReason: r.GetString("lost_reason"),
		Created: r.GetDateTime("created"), Updated: r.GetDateTime("updated"), OfferedAt: r.GetDateTime("offered_at"),
		AcceptBy: r.GetDateTime("accept_by"), AcceptedAt: r.GetDateTime("accepted_at"), MeetingAt: r.GetDateTime("meeting_at"),
		ClosedAt: r.GetDateTime("closed_at"), PartnerID: r.GetString("partner"), AssigneeID: r.GetString("assignee"),
		TerritoryID: r.GetString("territory"), Private: r.GetBool("private"),
		AppointmentAt: r.GetDateTime("appointment_at"), AppointmentPostalCode: r.GetString("appointment_postal_code"),
		AppointmentCity: r.GetString("appointment_city"),
	}
	if s != nil && s.kind == "internal" {
		v.Internal = true
		v.Source, v.SourceRef, v.Campaign = r.GetString("source"), r.GetString("source_ref"), r.GetString("campaign")
		v.Held = r.GetBool("held")
		v.ConflictKind, v.ConflictPartner = r.GetString("conflict_kind"), r.GetString("conflict_partner")
	}
	return v
}

// leadViews converts a list and fills partner and assignee names (read
// through the read path too: a name the user may not see stays empty).
func (h *handlers) leadViews(s *session, recs []*core.Record) ([]leadView, error) {
	out := make([]leadView, 0, len(recs))
	var pids, uids []string
	for _, r := range recs {
		v := newLeadView(s, r)
		out = append(out, v)
		pids = append(pids, v.PartnerID)
		uids = append(uids, v.AssigneeID)
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	un, err := h.names(s, "users", uids)
	if err != nil {
		return nil, err
	}
	cn, err := h.customerNames(s, out)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].PartnerName = pn[out[i].PartnerID]
		out[i].AssigneeName = un[out[i].AssigneeID]
		out[i].Name = cn[out[i].ID]
	}
	return out, nil
}

// customerNames maps the private customers' leads to the names of their
// contacts, for the contacts the user may read (the lead_contacts rules: a
// partner only once it has accepted the lead); others are absent. A lead
// whose contact the rules cannot show (contactReadable) is not asked for.
func (h *handlers) customerNames(s *session, leads []leadView) (map[string]string, error) {
	out := map[string]string{}
	var ids []any
	for _, l := range leads {
		if !l.Private || !contactReadable(s, l.Status) {
			continue
		}
		if r, ok := s.memo.contact(l.ID); ok {
			if r != nil {
				if n := customerName(r); n != "" {
					out[l.ID] = n
				}
			}
			continue
		}
		ids = append(ids, l.ID)
	}
	for start := 0; start < len(ids); start += access.MaxPerPage {
		end := min(start+access.MaxPerPage, len(ids))
		recs, _, err := access.ListFor(h.app, s.user, "lead_contacts", access.ListQuery{Where: dbx.In("lead_contacts.lead", ids[start:end]...), PerPage: access.MaxPerPage})
		if errors.Is(err, domain.ErrForbidden) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for _, id := range ids[start:end] {
			s.memo.setContact(id.(string), nil)
		}
		for _, r := range recs {
			s.memo.setContact(r.GetString("lead"), r)
			if n := customerName(r); n != "" {
				out[r.GetString("lead")] = n
			}
		}
	}
	return out, nil
}

// customerName is a private customer's name from its contact.
func customerName(r *core.Record) string {
	return strings.TrimSpace(r.GetString("first_name") + " " + r.GetString("last_name"))
}

// names maps ids to the `name` of the records of a collection that the
// user may list; others are absent. Within a page, an id already asked
// is answered from the page's memo.
func (h *handlers) names(s *session, collection string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	set := map[string]bool{}
	var list []any
	for _, id := range ids {
		if id == "" || set[id] {
			continue
		}
		set[id] = true
		if n, ok := s.memo.name(collection, id); ok {
			if n != "" {
				out[id] = n
			}
			continue
		}
		list = append(list, id)
	}
	for start := 0; start < len(list); start += access.MaxPerPage {
		end := min(start+access.MaxPerPage, len(list))
		recs, _, err := access.ListFor(h.app, s.user, collection, access.ListQuery{Where: dbx.In(collection+".id", list[start:end]...), PerPage: access.MaxPerPage})
		if errors.Is(err, domain.ErrForbidden) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for _, id := range list[start:end] {
			s.memo.setName(collection, id.(string), "")
		}
		for _, r := range recs {
			out[r.Id] = r.GetString("name")
			s.memo.setName(collection, r.Id, r.GetString("name"))
		}
	}
	return out, nil
}

// contactView is the contact of a lead (visible to a partner only after
// acceptance: the lead_contacts rules decide, not this code).
type contactView struct {
	FirstName, LastName, Title, Email, Phone, Mobile string
	AppointmentStreet, AppointmentWith               string // the booked meeting's street and person to meet
}

// contactOf reads the contact of a lead through the read path; nil when
// the user may not see it.
func (h *handlers) contactOf(s *session, leadID string) (*contactView, error) {
	r, ok := s.memo.contact(leadID)
	if !ok {
		recs, _, err := access.ListFor(h.app, s.user, "lead_contacts", access.ListQuery{Where: dbx.HashExp{"lead_contacts.lead": leadID}, PerPage: 1})
		if errors.Is(err, domain.ErrForbidden) || (err == nil && len(recs) == 0) {
			s.memo.setContact(leadID, nil)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		r = recs[0]
		s.memo.setContact(leadID, r)
	}
	if r == nil {
		return nil, nil
	}
	return &contactView{
		FirstName: r.GetString("first_name"), LastName: r.GetString("last_name"), Title: r.GetString("title"),
		Email: r.GetString("email"), Phone: r.GetString("phone"), Mobile: r.GetString("mobile"),
		AppointmentStreet: r.GetString("appointment_street"), AppointmentWith: r.GetString("appointment_with"),
	}, nil
}

// option is one entry of a select.
type option struct {
	Value, Label string
}

// pageParam reads ?page= (1-based).
func pageParam(e *core.RequestEvent) int {
	n, err := strconv.Atoi(e.Request.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// hasField reports whether a collection has a field (features that other
// issues add, like the conflict queue, appear when their schema lands).
func (h *handlers) hasField(collection, field string) bool {
	c, err := h.app.FindCachedCollectionByNameOrId(collection)
	return err == nil && c.Fields.GetByName(field) != nil
}

func itoa(n int) string { return strconv.Itoa(n) }
