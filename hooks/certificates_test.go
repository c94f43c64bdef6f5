package hooks_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/distribution"
)

// certificate gives a partner a certificate of kind valid until until.
func (w *world) certificate(partner, kind string, until time.Time) string {
	return w.mk("partner_certificates", map[string]any{"partner": partner, "kind": kind, "number": "QPV-" + w.next(), "valid_until": until}).Id
}

// seqNext is the next number of the world's sequence.
func (w *world) seqNext() int { w.seq++; return w.seq }

// solarLead ingests a ready photovoltaic lead in T1 and returns it.
func solarLead(t *testing.T, w *world, ref, interest string) map[string]any {
	b := ingestBody(ref)
	b["score"] = 80
	b["interest"] = interest
	n := w.seqNext()
	name := []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"}[n%8] + " " + []string{"Menuiserie", "Garage", "Boulangerie", "Ferme"}[n%4]
	b["company"] = name
	b["contact"] = map[string]any{"first_name": "Jo", "last_name": name, "email": fmt.Sprintf("contact@client%d.test", n), "phone": fmt.Sprintf("06 11 22 33 %02d", n%100)}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	return lead
}

// A lead that needs a certificate (photovoltaics: RGE QualiPV or
// Qualifelec by default) skips the partner whose certificate lapsed and
// goes to the next candidate, through the real ingest; a lead that needs
// none still reaches that partner; nobody left with a valid certificate
// means no offer; the manual assignment refuses the uncertified partner.
func TestExpiredCertificateRemovesPartnerFromCandidates(t *testing.T) {
	w, p3 := distWorld(t)
	now := time.Now()
	w.certificate(w.P1, "rge_qualipv", now.AddDate(0, 0, -3)) // lapsed
	w.certificate(p3, "qualifelec", now.AddDate(1, 0, 0))

	for i, ref := range []string{"PV-1", "PV-2", "PV-3"} {
		lead := solarLead(t, w, ref, "Installation photovoltaïque 6 kWc")
		got := leadRec(t, w, lead["id"].(string))
		require.Equal(t, "offered", got.GetString("status"), ref)
		assert.Equal(t, p3, got.GetString("partner"), "lead %d goes to the certified partner, never to P1", i)
	}

	// a lead that needs no certificate: P1 is a candidate again (round
	// robin: P3 has just had three offers)
	plain := solarLead(t, w, "ROOF-1", "Rénovation de toiture")
	assert.Equal(t, w.P1, leadRec(t, w, plain["id"].(string)).GetString("partner"), "no certificate needed: P1 is eligible")

	// P3's certificate lapses as well: the next photovoltaic lead has no candidate
	_, err := w.app.DB().NewQuery("UPDATE partner_certificates SET valid_until = '2020-01-01 00:00:00.000Z' WHERE partner = {:p}").
		Bind(map[string]any{"p": p3}).Execute()
	require.NoError(t, err)
	distribution.ResetCandidates(w.app) // a raw SQL write: the candidates' cache is told
	none := solarLead(t, w, "PV-4", "Panneaux solaires sur le garage")
	rec := leadRec(t, w, none["id"].(string))
	assert.Equal(t, "ready", rec.GetString("status"), "no certified partner left: not offered")
	assert.Empty(t, rec.GetString("partner"))

	// the channel manager (of T1) cannot hand it to an uncertified partner either
	res := w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/assign", w.tokens["channel_manager"], map[string]any{"partner": w.P1})
	assert.Equal(t, http.StatusConflict, res.Status, res.Body)
	assert.Contains(t, res.Body, "certificate_required")

	// a renewed certificate makes P1 a candidate again
	w.certificate(w.P1, "rge_qualipv", now.AddDate(2, 0, 0))
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/assign", w.tokens["channel_manager"], map[string]any{"partner": w.P1})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, w.P1, leadRec(t, w, rec.Id).GetString("partner"))
}

// An empty certificate_rules setting requires no certificate of any lead.
func TestCertificateRulesSetting(t *testing.T) {
	w, p3 := distWorld(t)
	w.certificate(w.P1, "rge_qualipv", time.Now().AddDate(0, 0, -3))
	w.certificate(p3, "rge_qualipv", time.Now().AddDate(0, 0, -3))
	s, err := w.app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	s.Set("certificate_rules", []any{})
	require.NoError(t, w.app.Save(s))
	lead := solarLead(t, w, "PV-S1", "Installation photovoltaïque")
	assert.Equal(t, "offered", leadRec(t, w, lead["id"].(string)).GetString("status"), "no rule: offered despite the lapsed certificates")
}

// certificateExpected is the reference for partner_certificates, written
// by hand (list view update delete create, own and foreign as in
// TestAuthorizationMatrix): they follow the partners cell — readers of a
// partner read its certificates, those who update it manage them (a
// partner manager its own company's, a channel manager its territories'
// partners'); another partner's never.
var certificateExpected = map[string]string{
	"admin": "BBBBB", "channel_manager": "BBOOO", "sales": "BB---", "teleoperator": "-----",
	"partner_manager": "OOOOO", "partner_user": "OO---", "integration": "-----",
}

func TestCertificateAuthorization(t *testing.T) {
	w := newWorld(t)
	until := time.Now().AddDate(1, 0, 0).UTC().Format("2006-01-02 15:04:05.000Z")
	var failures []string
	for role, want := range certificateExpected {
		own, foreign := w.P1, w.P2
		if role == "admin" {
			own = w.mk("partners", map[string]any{"name": "Tmp " + w.next(), "kind": "installer", "tier": "pilot", "status": "active"}).Id
		}
		mk := func(p string) map[string]any {
			return map[string]any{"partner": p, "kind": "qualifelec", "number": "N" + w.next(), "valid_until": until}
		}
		ownRec, err := w.app.FindRecordById("partner_certificates", w.certificate(own, "rge_qualipv", time.Now().AddDate(1, 0, 0)))
		require.NoError(t, err)
		foreignRec, err := w.app.FindRecordById("partner_certificates", w.certificate(foreign, "rge_qualipv", time.Now().AddDate(1, 0, 0)))
		require.NoError(t, err)
		f := fixture{own: ownRec, foreign: foreignRec, update: map[string]any{"number": "RENEW-" + w.next()}, createOwn: mk(own), createForeign: mk(foreign)}
		got := make([]byte, len(actions))
		for i, action := range actions {
			o, fr := w.outcome(role, "partner_certificates", action, f)
			got[i] = symbol(o, fr)
		}
		if string(got) != want {
			failures = append(failures, role+" want "+want+" got "+string(got))
		}
	}
	require.Empty(t, failures)
	for _, action := range []string{"partner_certificates.create", "partner_certificates.update", "partner_certificates.delete"} {
		n, err := w.app.CountRecords("audit_log", dbx.HashExp{"action": action})
		require.NoError(t, err)
		assert.Positive(t, n, "REST changes of certificates are audited: %s", action)
	}

	// nobody moves a certificate to another company, not even its own
	// manager, and a partner manager cannot create one for another partner
	c := w.certificate(w.P1, "qualifelec", time.Now().AddDate(1, 0, 0))
	for _, who := range []string{"partner_manager", "channel_manager"} {
		res := w.client.Do(http.MethodPatch, url("partner_certificates", c), w.tokens[who], map[string]any{"partner": w.P2})
		assert.NotEqual(t, http.StatusOK, res.Status, "%s moves a certificate: %s", who, res.Body)
	}
	rec, err := w.app.FindRecordById("partner_certificates", c)
	require.NoError(t, err)
	assert.Equal(t, w.P1, rec.GetString("partner"))

	// another partner finds nothing of P1's, through list, filter, view or expand
	for _, q := range []string{"", "?filter=" + urlQuery("partner='"+w.P1+"'"), "?expand=partner"} {
		res := w.client.Do(http.MethodGet, url("partner_certificates")+q, w.tokens["pm2"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.NotContains(t, res.Body, c, q)
		assert.NotContains(t, res.Body, "Soleil Ouest", q)
	}
	res := w.client.Do(http.MethodGet, url("partner_certificates", c), w.tokens["pm2"], nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
}

// The expiry reminders go to the partner managers and the channel manager
// 60, 30 and 7 days before the end, once each; a renewed certificate
// stops the reminders of the one it replaces.
func TestCertificateRemindersOncePerThreshold(t *testing.T) {
	w := newWorld(t)
	start := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)
	until := start.AddDate(0, 0, 45).Truncate(24 * time.Hour)
	w.certificate(w.P1, "rge_qualipv", until)
	w.certificate(w.P2, "rge_qualipv", start.AddDate(0, 0, 200)) // far away: never reminded
	pm, cm := w.uid("partner_manager"), w.uid("channel_manager")
	count := func(user string) int64 { return notificationCount(t, w, user, certificates.NotifyExpiry) }

	steps := []struct {
		at       time.Time
		sent     int
		pm, cm   int64
		daysLeft int
	}{
		{start, 1, 1, 1, 45},                   // within 60 days: the 60-day reminder
		{start.Add(time.Hour), 0, 1, 1, 45},    // same day again: nothing
		{start.AddDate(0, 0, 10), 0, 1, 1, 35}, // still the 60-day window
		{start.AddDate(0, 0, 15), 1, 2, 2, 30}, // 30 days
		{start.AddDate(0, 0, 20), 0, 2, 2, 25}, // nothing new
		{start.AddDate(0, 0, 38), 1, 3, 3, 7},  // 7 days
		{start.AddDate(0, 0, 44), 0, 3, 3, 1},  // nothing new
		{start.AddDate(0, 0, 50), 0, 3, 3, -5}, // ended: no reminder
	}
	for i, s := range steps {
		n, err := certificates.RemindExpiring(w.app, s.at)
		require.NoError(t, err)
		assert.Equal(t, s.sent, n, "step %d", i)
		assert.Equal(t, s.pm, count(pm), "step %d: partner manager", i)
		assert.Equal(t, s.cm, count(cm), "step %d: channel manager", i)
	}
	assert.Zero(t, count(w.uid("pm2")), "P2's manager gets nothing of P1's")
	assert.Zero(t, count(w.uid("partner_user")), "partner users are not reminded")

	// the texts, in the reader's language
	n, err := w.app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = {:k}", map[string]any{"u": pm, "k": certificates.NotifyExpiry})
	require.NoError(t, err)
	assert.Contains(t, n.GetString("title"), "RGE QualiPV")
	assert.Contains(t, n.GetString("title"), "Soleil Ouest")

	// a renewed certificate: the old one is not reminded any more
	w.certificate(w.P2, "qualifelec", start.AddDate(0, 0, 100).AddDate(0, 0, -45))
	w.certificate(w.P2, "qualifelec", start.AddDate(1, 0, 0))
	n2, err := certificates.RemindExpiring(w.app, start.AddDate(0, 0, 30))
	require.NoError(t, err)
	assert.Zero(t, n2, "the renewed kind is not reminded")
	assert.Zero(t, count(w.uid("pm2")))
}

// A certificate's PDF is protected: with a file token, the users who may
// view the certificate get it; another partner, a teleoperator and the
// integration do not.
func TestCertificateFileOnlyForItsReaders(t *testing.T) {
	w := newWorld(t)
	const canary = "%PDF-1.4 CANARY-CERTIFICATE"
	f, err := filesystem.NewFileFromBytes([]byte(canary), "qualipv.pdf")
	require.NoError(t, err)
	c := w.mk("partner_certificates", map[string]any{"partner": w.P1, "kind": "rge_qualipv", "number": "QPV-9", "valid_until": time.Now().AddDate(1, 0, 0), "file": f})
	path := "/api/files/partner_certificates/" + c.Id + "/" + c.GetString("file")
	want := map[string]int{
		"admin": http.StatusOK, "channel_manager": http.StatusOK, "sales": http.StatusOK, "partner_manager": http.StatusOK, "partner_user": http.StatusOK,
		"pm2": http.StatusNotFound, "pu2": http.StatusNotFound, "teleoperator": http.StatusNotFound, "integration": http.StatusNotFound,
	}
	for key, status := range want {
		res := w.client.Do(http.MethodPost, "/api/files/token", w.tokens[key], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var out struct {
			Token string `json:"token"`
		}
		res.JSON(t, &out)
		got := w.client.Do(http.MethodGet, path+"?token="+out.Token, "", nil)
		assert.Equal(t, status, got.Status, key)
		if status != http.StatusOK {
			assert.NotContains(t, got.Body, "CANARY-CERTIFICATE", key)
		}
	}
	// without a token, nobody
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, path, "", nil).Status)
}
