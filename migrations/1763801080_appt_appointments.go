package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// appointmentLeadRule is the policy compiler's change to the leads write
// rules for the appointment's date and town: partner roles may not send
// them (the guards are sorted by field name, and campaign was the first
// lead field a partner branch forbade).
var appointmentLeadRule = []ruleEdit{{
	old: "@request.body.campaign:isset = false",
	new: "@request.body.appointment_at:isset = false && @request.body.appointment_city:isset = false && " +
		"@request.body.appointment_postal_code:isset = false && @request.body.campaign:isset = false",
}}

// Appointments booked by the lead source (the ingest body's
// `appointment`). The date and the town of the meeting are on the lead
// (leads.appointment_at, appointment_postal_code, appointment_city): an
// offered partner sees them, like the lead's own town. The street of the
// meeting place and the person to meet are contact details: they are in
// lead_contacts (appointment_street, appointment_with), whose rules open
// them to a partner only once it has accepted the lead; a partner may
// correct them afterwards like the other contact fields (they are
// partner-writable, so the lead_contacts rules do not change). The call
// report is an internal call activity (no schema change).
func init() {
	m.Register(func(app core.App) error {
		return appointments(app, true)
	}, func(app core.App) error {
		return appointments(app, false)
	})
}

// appointments adds (up) or removes (down) the appointment fields and the
// leads guards.
func appointments(app core.App, up bool) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	contacts, err := app.FindCollectionByNameOrId("lead_contacts")
	if err != nil {
		return err
	}
	edits := appointmentLeadRule
	if up {
		leads.Fields.Add(date("appointment_at"), text("appointment_postal_code", 10), text("appointment_city", 120))
		leads.AddIndex("idx_leads_appointment_at", false, "appointment_at", "appointment_at != ''")
		contacts.Fields.Add(text("appointment_street", 300), text("appointment_with", 200))
	} else {
		leads.RemoveIndex("idx_leads_appointment_at")
		for _, f := range []string{"appointment_at", "appointment_postal_code", "appointment_city"} {
			leads.Fields.RemoveByName(f)
		}
		for _, f := range []string{"appointment_street", "appointment_with"} {
			contacts.Fields.RemoveByName(f)
		}
		edits = undoEdits(appointmentLeadRule)
	}
	leads.CreateRule = editRule(leads.CreateRule, edits)
	leads.UpdateRule = editRule(leads.UpdateRule, edits)
	if err := app.Save(leads); err != nil {
		return err
	}
	return app.Save(contacts)
}
