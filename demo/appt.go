package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// apptStreets are the streets of the demo's booked meetings.
var apptStreets = []string{"12 rue des Lilas", "4 chemin du Moulin", "27 avenue de la Gare", "8 impasse des Tilleuls", "3 place de l'Église", "15 route de la Mer"}

// seedAppointments books meetings for the first installer's leads, as
// the telemarketing platform does at ingest: on up to three of its offers
// and three of its accepted leads, a meeting in the coming days (its date
// and town on the lead, the street and the person to meet on the
// contact) and the call report as an internal call activity by
// api@demo.test. It draws nothing from the random generator, so the rest
// of the dataset does not change.
func (s *seeder) seedAppointments() error {
	if len(s.partners) == 0 {
		return nil
	}
	p := s.partners[0]
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	day := s.opts.Now.In(paris)
	n := 0
	for _, statuses := range [][]any{{"offered"}, {"accepted", "contacted"}} {
		var leads []*core.Record
		if err := s.app.RecordQuery("leads").AndWhere(dbx.HashExp{"partner": p.Id, "status": statuses}).
			OrderBy("id").Limit(3).All(&leads); err != nil {
			return err
		}
		for _, l := range leads {
			n++
			d := day.AddDate(0, 0, n)
			at := time.Date(d.Year(), d.Month(), d.Day(), 9+(n%3)*2, 30*(n%2), 0, 0, paris)
			if err := s.bookAppointment(l, at, apptStreets[(n-1)%len(apptStreets)], n); err != nil {
				return err
			}
		}
	}
	return nil
}

// bookAppointment books one meeting on a lead (see seedAppointments).
func (s *seeder) bookAppointment(l *core.Record, at time.Time, street string, n int) error {
	l.Set("appointment_at", dt(at))
	l.Set("appointment_postal_code", l.GetString("postal_code"))
	l.Set("appointment_city", l.GetString("city"))
	if err := s.app.Save(l); err != nil {
		return err
	}
	contact, err := s.app.FindFirstRecordByFilter("lead_contacts", "lead = {:l}", dbx.Params{"l": l.Id})
	if err != nil {
		c, cerr := s.app.FindCachedCollectionByNameOrId("lead_contacts")
		if cerr != nil {
			return cerr
		}
		contact = core.NewRecord(c)
		contact.Set("lead", l.Id)
	}
	with := "Mme " + contact.GetString("last_name")
	if contact.GetString("last_name") == "" {
		with = "Le gérant"
	}
	contact.Set("appointment_street", street)
	contact.Set("appointment_with", with)
	if err := s.app.Save(contact); err != nil {
		return err
	}
	_, err = s.save("activities", fmt.Sprintf("apptcall%07d", n), map[string]any{
		"lead": l.Id, "kind": "call", "internal": true, "author": s.internal["api"].Id, "at": dt(s.opts.Now.Add(-time.Duration(n) * time.Hour)),
		"summary": "Compte rendu d'appel : projet photovoltaïque confirmé, toiture orientée sud, rendez-vous pris avec " + with + ".",
	})
	return err
}
