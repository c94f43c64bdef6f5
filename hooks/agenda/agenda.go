// Package agenda is a partner's calendar of meetings: the meetings of the
// leads the reader may see (booked by the lead source with the lead, or
// set by the partner), week by week, and the .ics file of an accepted
// lead's meeting. Everything is read through the rule-aware read path
// (access.ListFor, access.ViewFor): the street of a meeting and the person
// to meet come from lead_contacts, so a partner gets them only once it has
// accepted the lead.
package agenda

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/ical"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// Duration is the length given to a meeting in its .ics file (the lead
// source books a start time only).
const Duration = time.Hour

// Meeting is one meeting of the calendar.
type Meeting struct {
	LeadID  string
	At      time.Time // UTC
	Booked  bool      // booked by the lead source (appointment_at), not set by the partner
	Status  string    // the lead's status
	Company string
	Private bool // a private customer's lead: no company, Name once the contact is visible
	Name    string
	// the town is on the lead; the street and the person to meet are
	// contact details (empty until the reader may read the contact)
	PostalCode, City, Street, With string
	Accepted                       bool // accepted (or later): the .ics is offered
	Updated                        time.Time
}

// MeetingAt is when a lead's meeting is: the one the partner set
// (meeting_at), else the one the lead source booked (appointment_at); ok
// is false when there is none.
func MeetingAt(lead *core.Record) (at time.Time, booked, ok bool) {
	if t := lead.GetDateTime("meeting_at"); !t.IsZero() {
		return t.Time().UTC(), false, true
	}
	if t := lead.GetDateTime("appointment_at"); !t.IsZero() {
		return t.Time().UTC(), true, true
	}
	return time.Time{}, false, false
}

// meetingExpr is the SQL of a lead's meeting time (MeetingAt).
const meetingExpr = "COALESCE(NULLIF(leads.meeting_at, ''), NULLIF(leads.appointment_at, ''))"

// dbTime is PocketBase's stored form of a date.
func dbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// Week returns the meetings of the leads the user may see from start
// (inclusive) to start+7 days, in time order (at most access.MaxPerPage).
func Week(app core.App, user *core.Record, start time.Time) ([]Meeting, error) {
	end := start.AddDate(0, 0, 7)
	recs, _, err := access.ListFor(app, user, "leads", access.ListQuery{
		Where:   dbx.NewExp(meetingExpr+" >= {:from} AND "+meetingExpr+" < {:to}", dbx.Params{"from": dbTime(start), "to": dbTime(end)}),
		PerPage: access.MaxPerPage,
	})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	contacts, err := contactsOf(app, user, recs)
	if err != nil {
		return nil, err
	}
	out := make([]Meeting, 0, len(recs))
	for _, r := range recs {
		out = append(out, meetingOf(r, contacts[r.Id]))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// meetingOf builds the meeting of a lead and its contact (nil when the
// reader may not read it).
func meetingOf(r, contact *core.Record) Meeting {
	at, booked, _ := MeetingAt(r)
	m := Meeting{
		LeadID: r.Id, At: at, Booked: booked, Status: r.GetString("status"), Company: r.GetString("company"), Private: r.GetBool("private"),
		PostalCode: r.GetString("appointment_postal_code"), City: r.GetString("appointment_city"),
		Accepted: slices.Contains(lifecycle.AcceptedOrLaterStatuses(), r.GetString("status")), Updated: r.GetDateTime("updated").Time().UTC(),
	}
	if m.PostalCode == "" && m.City == "" {
		m.PostalCode, m.City = r.GetString("postal_code"), r.GetString("city")
	}
	if contact != nil {
		m.Street, m.With = contact.GetString("appointment_street"), contact.GetString("appointment_with")
		m.Name = strings.TrimSpace(contact.GetString("first_name") + " " + contact.GetString("last_name"))
	}
	return m
}

// contactsOf maps the leads to their contacts the user may read (the
// lead_contacts rules).
func contactsOf(app core.App, user *core.Record, leads []*core.Record) (map[string]*core.Record, error) {
	out := map[string]*core.Record{}
	ids := make([]any, 0, len(leads))
	for _, l := range leads {
		ids = append(ids, l.Id)
	}
	if len(ids) == 0 {
		return out, nil
	}
	recs, _, err := access.ListFor(app, user, "lead_contacts", access.ListQuery{Where: dbx.In("lead_contacts.lead", ids...), PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[r.GetString("lead")] = r
	}
	return out, nil
}

// Downloadable returns the meeting of a lead whose .ics the user may
// download: a partner role, for a lead its company accepted (accepted or
// later) that it may see; an internal role, for a lead it may see. Any
// other lead, or one without a meeting, is domain.ErrNotVisible (a 404
// that says nothing about the lead).
func Downloadable(app core.App, user *core.Record, leadID string) (Meeting, error) {
	lead, err := access.ViewFor(app, user, "leads", leadID)
	if err != nil {
		return Meeting{}, err
	}
	kind, err := access.RoleKindOf(app, user)
	if err != nil {
		return Meeting{}, err
	}
	accepted := slices.Contains(lifecycle.AcceptedOrLaterStatuses(), lead.GetString("status"))
	switch kind {
	case roles.Partner:
		if !accepted || lead.GetString("partner") == "" || lead.GetString("partner") != user.GetString("partner") {
			return Meeting{}, domain.ErrNotVisible
		}
	case roles.Internal:
	default:
		return Meeting{}, domain.ErrNotVisible
	}
	if _, _, ok := MeetingAt(lead); !ok {
		return Meeting{}, domain.ErrNotVisible
	}
	contacts, err := contactsOf(app, user, []*core.Record{lead})
	if err != nil {
		return Meeting{}, err
	}
	return meetingOf(lead, contacts[lead.Id]), nil
}

// Place is the meeting's place as one line: street, postal code and town
// (the parts the reader may see).
func (m Meeting) Place() string {
	town := strings.TrimSpace(m.PostalCode + " " + m.City)
	if m.Street == "" {
		return town
	}
	return m.Street + ", " + town
}

// UID is the stable identifier of a lead's meeting in calendars: the same
// for every download, so a rescheduled meeting replaces the old one.
func UID(leadID string) string { return "lead-" + leadID + "-meeting@relais" }

// Event is the meeting as an iCalendar event, with a summary and a
// description in the reader's language.
func (m Meeting) Event(summary, description string) ical.Event {
	return ical.Event{
		UID: UID(m.LeadID), Start: m.At, End: m.At.Add(Duration), Stamp: m.Updated,
		Sequence: int(m.Updated.Unix() / 60), Summary: summary, Location: m.Place(), Description: description,
	}
}
