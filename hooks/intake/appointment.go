package intake

import (
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris for appointment times sent without an offset

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
)

// Appointments and call reports at ingest: the lead source sends the
// meeting it booked for the partner (`appointment`) and the report of its
// call (`call_report`). Where each part is stored decides who reads it:
//
//   - the date and the town (postal code, city) go on the lead
//     (appointment_at, appointment_postal_code, appointment_city): an
//     offered partner sees them, like the lead's own town;
//   - the street of the meeting place and the person to meet are contact
//     details: they go on the lead's contact (lead_contacts
//     appointment_street, appointment_with), whose rules open them to a
//     partner only once it has accepted the lead (SPEC §3.3.2);
//   - the call report is an internal call activity authored by the sender
//     (activities.internal: never shown to partner roles, §3.3.1): it is
//     the telemarketer's account of the conversation, written for the
//     maker's qualification, and may quote the customer.

// MaxCallReport is the longest call report (the activities' summary).
const MaxCallReport = 5000

// MaxAppointmentAhead is how far ahead an appointment may be booked.
const MaxAppointmentAhead = 366 * 24 * time.Hour

// PlaceInput is where a booked meeting takes place. Postal code and city
// default to the lead's.
type PlaceInput struct {
	Street     string `json:"street"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
}

// AppointmentInput is the meeting the lead source booked: when (RFC 3339;
// without an offset, Paris time), where, and with whom.
type AppointmentInput struct {
	At    string      `json:"at"`
	Place *PlaceInput `json:"place"`
	With  string      `json:"with"`
}

// Appointment is a checked appointment, as stored.
type Appointment struct {
	At                       time.Time // UTC
	Street, PostalCode, City string
	With                     string
}

// paris is the time zone of appointment times sent without an offset.
var paris = mustParis()

func mustParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // embedded by time/tzdata: cannot fail
	}
	return loc
}

// atLayouts are the accepted forms of appointment.at: RFC 3339 (seconds
// optional), or a local date and time read in Paris time.
var atLayouts = []struct {
	layout string
	local  bool
}{
	{time.RFC3339, false}, {"2006-01-02T15:04Z07:00", false},
	{"2006-01-02T15:04:05", true}, {"2006-01-02T15:04", true},
	{"2006-01-02 15:04:05", true}, {"2006-01-02 15:04", true},
}

const msgAtFormat = "appointment.at must be a date and time such as 2026-12-10T14:30:00+01:00 (RFC 3339; without an offset it is read in Paris time)"

// ParseAppointmentAt reads appointment.at (atLayouts), in UTC.
func ParseAppointmentAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, domain.Invalid("required", "appointment.at", "appointment.at is required: "+msgAtFormat[len("appointment.at must be "):])
	}
	for _, l := range atLayouts {
		var t time.Time
		var err error
		if l.local {
			t, err = time.ParseInLocation(l.layout, s, paris)
		} else {
			t, err = time.Parse(l.layout, s)
		}
		if err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, domain.Invalid("invalid_value", "appointment.at", msgAtFormat)
}

// CheckAppointment checks an appointment at now for a lead of country
// whose postal code and city are given (the place's defaults): a date in
// the future, at most MaxAppointmentAhead ahead, a French postal code in
// France, clean texts within their sizes. nil or an empty appointment (a
// multipart body's binder allocates one) is no appointment.
func CheckAppointment(a *AppointmentInput, country, postalCode, city string, now time.Time) (*Appointment, error) {
	if a == nil || (a.At == "" && a.With == "" && (a.Place == nil || *a.Place == PlaceInput{})) {
		return nil, nil
	}
	at, err := ParseAppointmentAt(a.At)
	if err != nil {
		return nil, err
	}
	if !at.After(now) {
		return nil, domain.Invalid("in_past", "appointment.at", "appointment.at is in the past")
	}
	if at.After(now.Add(MaxAppointmentAhead)) {
		return nil, domain.Invalid("out_of_range", "appointment.at", "appointment.at is more than a year ahead")
	}
	out := &Appointment{At: at, PostalCode: postalCode, City: city, With: strings.TrimSpace(a.With)}
	if p := a.Place; p != nil {
		out.Street = strings.TrimSpace(p.Street)
		if pc := strings.TrimSpace(p.PostalCode); pc != "" {
			out.PostalCode, out.City = pc, ""
		}
		if c := strings.TrimSpace(p.City); c != "" {
			out.City = c
		}
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"appointment.with", out.With, 200}, {"appointment.place.street", out.Street, 300},
		{"appointment.place.postal_code", out.PostalCode, 10}, {"appointment.place.city", out.City, 120},
	} {
		if err := fieldcheck.Text(f.name, f.value, f.max); err != nil {
			return nil, err
		}
	}
	if country == "FR" && out.PostalCode != "" && out.PostalCode != postalCode {
		pc, _, err := fieldcheck.PostalCode("appointment.place.postal_code", out.PostalCode)
		if err != nil {
			return nil, err
		}
		out.PostalCode = pc
	}
	return out, nil
}

// CheckCallReport checks the text of a call report.
func CheckCallReport(s string) (string, error) {
	s = strings.TrimSpace(s)
	return s, fieldcheck.Text("call_report", s, MaxCallReport)
}

// normalizeAppointment checks the input's appointment and call report
// (after normalizePlace: the place defaults to the lead's town).
func (in *IngestInput) normalizeAppointment() error {
	a, err := CheckAppointment(in.Appointment, in.Country, in.PostalCode, strings.TrimSpace(in.City), time.Now())
	if err != nil {
		return err
	}
	in.appointment = a
	in.CallReport, err = CheckCallReport(in.CallReport)
	return err
}

// setAppointment writes a checked appointment on a new lead (its date and
// town) and on its contact (the street and the person to meet), creating
// the contact when the input had none; it returns the contact.
func setAppointment(tx core.App, lead, contact *core.Record, a *Appointment) (*core.Record, error) {
	if a == nil {
		return contact, nil
	}
	lead.Set("appointment_at", a.At)
	lead.Set("appointment_postal_code", a.PostalCode)
	lead.Set("appointment_city", a.City)
	if a.Street == "" && a.With == "" {
		return contact, nil
	}
	if contact == nil {
		cc, err := tx.FindCachedCollectionByNameOrId("lead_contacts")
		if err != nil {
			return nil, err
		}
		contact = core.NewRecord(cc)
		contact.Set("lead", lead.Id)
	}
	contact.Set("appointment_street", a.Street)
	contact.Set("appointment_with", a.With)
	return contact, nil
}

// saveCallReport stores the call report of a new lead as an internal call
// activity authored by its sender (no activity without a report).
func saveCallReport(tx core.App, leadID string, creator *core.Record, report string) (string, error) {
	if report == "" {
		return "", nil
	}
	c, err := tx.FindCachedCollectionByNameOrId("activities")
	if err != nil {
		return "", err
	}
	a := core.NewRecord(c)
	a.Set("lead", leadID)
	a.Set("kind", "call")
	a.Set("summary", report)
	a.Set("at", time.Now())
	a.Set("author", creatorID(creator))
	a.Set("internal", true)
	if err := tx.Save(a); err != nil {
		return "", fieldcheck.AsDomain(err)
	}
	return a.Id, nil
}
