package ui

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/agenda"
	"github.com/relais/relais/hooks/ical"
	"github.com/relais/relais/hooks/lifecycle"
)

// agendaPage is a partner's calendar: the meetings of its leads (booked by
// the lead source or set by the partner), one week at a time, by day.
type agendaPage struct {
	*page
	Start, End time.Time // Monday 00:00 (Paris) of the week, and the Sunday
	Prev, Next string    // ?week= of the weeks around
	ThisWeek   string
	Days       []agendaDay
	Count      int
}

// agendaDay is one day of the week and its meetings.
type agendaDay struct {
	Key      string // YYYY-MM-DD
	Date     time.Time
	Today    bool
	Meetings []agendaItem
}

// agendaItem is one meeting as the page shows it.
type agendaItem struct {
	agenda.Meeting
	Lead leadView // for page.LeadName (a neutral label before acceptance)
}

// weekLayout is the form of ?week= (the Monday of the week).
const weekLayout = "2006-01-02"

// weekStart is the Monday 00:00, in loc, of the week holding t.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	off := (int(d.Weekday()) + 6) % 7 // Monday = 0
	return d.AddDate(0, 0, -off)
}

// agendaWeek serves GET /agenda?week=YYYY-MM-DD: the week of that day
// (this week when absent or unreadable).
func (h *handlers) agendaWeek(e *core.RequestEvent) error {
	s := sess(e)
	p := &agendaPage{page: h.page(e, "agenda", "appt.title")}
	now := p.Now
	day := now
	if w := e.Request.URL.Query().Get("week"); w != "" {
		if t, err := time.ParseInLocation(weekLayout, w, p.tz); err == nil {
			day = t
		}
	}
	p.Start = weekStart(day, p.tz)
	p.End = p.Start.AddDate(0, 0, 6)
	p.Prev, p.Next = p.Start.AddDate(0, 0, -7).Format(weekLayout), p.Start.AddDate(0, 0, 7).Format(weekLayout)
	p.ThisWeek = weekStart(now, p.tz).Format(weekLayout)
	meetings, err := agenda.Week(e.App, s.user, p.Start)
	if err != nil {
		return err
	}
	p.Count = len(meetings)
	today := now.In(p.tz).Format(weekLayout)
	for i := range 7 {
		d := p.Start.AddDate(0, 0, i)
		day := agendaDay{Key: d.Format(weekLayout), Date: d, Today: d.Format(weekLayout) == today}
		for _, m := range meetings {
			if m.At.In(p.tz).Format(weekLayout) == day.Key {
				day.Meetings = append(day.Meetings, agendaItem{Meeting: m, Lead: leadView{
					ID: m.LeadID, Company: m.Company, Private: m.Private, Name: m.Name, City: m.City, PostalCode: m.PostalCode,
				}})
			}
		}
		p.Days = append(p.Days, day)
	}
	return h.render(e, http.StatusOK, "agenda", p)
}

// Weekday names a day of the week in the page's language.
func (p *agendaPage) Weekday(t time.Time) string {
	names := strings.Split(p.T("appt.weekdays"), ",")
	if len(names) != 7 {
		return t.Weekday().String()
	}
	return names[(int(t.Weekday())+6)%7]
}

// Clock is the time of day of a meeting, in Paris time.
func (p *agendaPage) Clock(t time.Time) string {
	if p.Lang == "fr" {
		return t.In(p.tz).Format("15:04")
	}
	return t.In(p.tz).Format("3:04 PM")
}

// meetingICS serves GET /agenda/{id}/meeting.ics: the meeting of a lead the
// user's company accepted, as an iCalendar file (agenda.Downloadable: a 404
// for any other lead).
func (h *handlers) meetingICS(e *core.RequestEvent) error {
	s := sess(e)
	m, err := agenda.Downloadable(e.App, s.user, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	loc := h.page(e, "agenda", "")
	name := m.Company
	if name == "" {
		name = m.Name
	}
	summary := loc.T("appt.ics_summary", "Name", strings.TrimSpace(name))
	var desc []string
	if m.With != "" {
		desc = append(desc, loc.T("appt.with")+" "+m.With)
	}
	desc = append(desc, loc.T("appt.ics_lead")+" "+strings.TrimSuffix(e.App.Settings().Meta.AppURL, "/")+"/leads/"+m.LeadID)
	body := ical.Calendar("-//Relais//Agenda//"+strings.ToUpper(loc.Lang), m.Event(summary, strings.Join(desc, "\n")))
	e.Response.Header().Set("Content-Disposition", `attachment; filename="rendez-vous-`+m.LeadID+`.ics"`)
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
}

// canDownloadMeeting tells the lead page whether to offer the .ics: a lead
// with a meeting, seen by an internal role or by the partner that accepted
// it (agenda.Downloadable decides at download).
func canDownloadMeeting(kind string, l leadView) bool {
	if l.MeetingAt.IsZero() && l.AppointmentAt.IsZero() {
		return false
	}
	if kind == "internal" {
		return true
	}
	return kind == "partner" && slices.Contains(lifecycle.AcceptedOrLaterStatuses(), l.Status)
}
