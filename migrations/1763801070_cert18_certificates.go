package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Installer certificates: partner_certificates (a partner's RGE QualiPV,
// QualiPAC, Qualifelec or other certificate: number, valid-until date and
// the certificate as a protected PDF), with the rules the policy compiler
// made of the default matrix when this was written (they follow the
// partners cell: partner managers manage their own company's, channel
// managers their territories' partners', admins all; readers of partners
// read them); relais_certificate_reminders, the marker of the expiry
// reminders sent (one row per certificate and threshold in days, so each
// is sent once; a plain table with a rowid, times in Unix seconds); and
// settings_prm.certificate_rules, which leads need which certificate (a
// JSON list of {segments, keywords, kinds}; the default: photovoltaics
// needs RGE QualiPV or Qualifelec, heat pumps RGE QualiPAC).
func init() {
	m.Register(addCertificates, dropCertificates)
}

const (
	certActive = "@request.auth.collectionName = 'users' && @request.auth.active = true && (@request.auth.access_expires = '' || @request.auth.access_expires > @now)"
	certPM     = "(@request.auth.role = 'partner_manager' && (@request.auth.partner != '' && partner = @request.auth.partner) && @request.auth.partner.status = 'active')"
	certCM     = "(@request.auth.role = 'channel_manager' && (partner.territories:each ?= @request.auth.territories:each || partner.channel_manager = @request.auth.id))"

	certListRule = certActive + " && (\n  (@request.auth.role = 'admin') ||\n  (@request.auth.role = 'channel_manager') ||\n  " +
		certPM + " ||\n  (@request.auth.role = 'partner_user' && (@request.auth.partner != '' && partner = @request.auth.partner) && @request.auth.partner.status = 'active') ||\n  (@request.auth.role = 'sales')\n)"
	certWriteRule  = certActive + " && (\n  (@request.auth.role = 'admin') ||\n  " + certCM + " ||\n  " + certPM + "\n)"
	certUpdateRule = certActive + " &&\n  @request.body.partner:isset = false && (\n  (@request.auth.role = 'admin') ||\n  " + certCM + " ||\n  " + certPM + "\n)"

	certDefaultRules = `[{"keywords":["photovolta","panneau solaire","panneaux solaires","solar panel","solar pv"],"kinds":["rge_qualipv","qualifelec"]},` +
		`{"keywords":["pompe à chaleur","pompe a chaleur","heat pump"],"kinds":["rge_qualipac"]}]`
)

func addCertificates(app core.App) error {
	c := core.NewBaseCollection("partner_certificates")
	file := protectedFile("file", 10<<20).(*core.FileField)
	file.MimeTypes = []string{"application/pdf"}
	c.Fields.Add(
		rel("partner", partnersID, required, cascade),
		selectOne("kind", []string{"rge_qualipv", "rge_qualipac", "qualifelec", "other"}, required),
		text("number", 60), date("valid_until", required), file,
	)
	c.Fields.Add(timestamps()...)
	c.AddIndex("idx_partner_certificates_partner", false, "partner, kind, valid_until", "")
	c.AddIndex("idx_partner_certificates_valid", false, "valid_until", "")
	list, write, upd := certListRule, certWriteRule, certUpdateRule
	c.ListRule, c.ViewRule = &list, &list
	c.CreateRule, c.DeleteRule, c.UpdateRule = &write, &write, &upd
	if err := app.Save(c); err != nil {
		return err
	}
	if _, err := app.DB().NewQuery(`CREATE TABLE relais_certificate_reminders (
		certificate TEXT NOT NULL,
		days        INTEGER NOT NULL,
		at          INTEGER NOT NULL,
		PRIMARY KEY (certificate, days)
	)`).Execute(); err != nil {
		return err
	}
	sc, err := app.FindCollectionByNameOrId("settings_prm")
	if err != nil {
		return err
	}
	sc.Fields.Add(jsonField("certificate_rules"))
	if err := app.Save(sc); err != nil {
		return err
	}
	_, err = app.DB().NewQuery("UPDATE settings_prm SET certificate_rules = {:v}").Bind(dbx.Params{"v": certDefaultRules}).Execute()
	return err
}

func dropCertificates(app core.App) error {
	sc, err := app.FindCollectionByNameOrId("settings_prm")
	if err != nil {
		return err
	}
	sc.Fields.RemoveByName("certificate_rules")
	if err := app.Save(sc); err != nil {
		return err
	}
	if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS relais_certificate_reminders").Execute(); err != nil {
		return err
	}
	c, err := app.FindCollectionByNameOrId("partner_certificates")
	if err != nil {
		return err
	}
	return app.Delete(c)
}
