package notify

import (
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/privacy"
)

// DigestCronID is the job that sends the daily digests (under serve).
const DigestCronID = "relaisDigest"

// digestMax is how many leads each part of a digest lists (with the total).
const digestMax = 20

// Digest is what the daily digest of one user holds: the offers waiting
// for an answer and the pipeline leads without news, as that user may see
// them (the leads rules, through access.ListFor), with their totals.
type Digest struct {
	Offers, Stale           []DigestLead
	OffersTotal, StaleTotal int
}

// DigestLead is one lead of a digest: how the user may name it, never a
// contact detail (a private customer is a neutral noun).
type DigestLead struct {
	Name, City string
	When       types.DateTime // the offer's deadline, or the lead's last change
}

// Empty reports a digest with nothing to say (no e-mail is sent).
func (d Digest) Empty() bool { return d.OffersTotal == 0 && d.StaleTotal == 0 }

// BuildDigest reads the digest of user at now: the leads offered (status
// offered) and the pipeline leads (accepted, contacted, meeting) not
// changed for settings_prm digest_stale_days, both through the read path.
func BuildDigest(app core.App, user *core.Record, now time.Time) (Digest, error) {
	s, err := access.LoadSettings(app)
	if err != nil {
		return Digest{}, err
	}
	var d Digest
	d.Offers, d.OffersTotal, err = digestLeads(app, user, dbx.HashExp{"leads.status": lifecycle.StatusOffered}, "accept_by", "accept_by")
	if err != nil {
		return Digest{}, err
	}
	pipeline := make([]any, 0, 3)
	for _, st := range lifecycle.PipelineStatuses() {
		pipeline = append(pipeline, st)
	}
	before := now.Add(-time.Duration(s.DigestStaleDays) * 24 * time.Hour).UTC().Format(types.DefaultDateLayout)
	d.Stale, d.StaleTotal, err = digestLeads(app, user, dbx.And(dbx.In("leads.status", pipeline...), dbx.NewExp("leads.updated < {:before}", dbx.Params{"before": before})), "updated", "updated")
	if err != nil {
		return Digest{}, err
	}
	return d, nil
}

func digestLeads(app core.App, user *core.Record, where dbx.Expression, sort, when string) ([]DigestLead, int, error) {
	recs, res, err := access.ListFor(app, user, "leads", access.ListQuery{Where: where, Sort: sort, PerPage: digestMax, Count: true})
	if err != nil {
		return nil, 0, err
	}
	out := make([]DigestLead, 0, len(recs))
	for _, r := range recs {
		name := r.GetString("company")
		if r.GetBool("private") {
			name = privacy.BilingualNoun
		}
		out = append(out, DigestLead{Name: name, City: r.GetString("city"), When: r.GetDateTime(when)})
	}
	return out, res.TotalItems, nil
}

// digestTexts are the words of the digest per language.
var digestTexts = map[string]struct{ Subject, Offers, Stale, Until, Since, More, Open string }{
	"fr": {"Relais : votre résumé du jour", "Offres en attente de réponse (%d)", "Leads sans nouvelles (%d)", "à accepter avant le", "sans changement depuis le", "et %d de plus", "Ouvrir Relais"},
	"en": {"Relais: your daily summary", "Offers waiting for an answer (%d)", "Leads without news (%d)", "accept before", "unchanged since", "and %d more", "Open Relais"},
}

// DigestMail returns the subject, HTML and text of a digest in lang (fr
// when unknown) with a link to the site.
func DigestMail(lang, appURL string, d Digest) (subject, htmlBody, text string) {
	t, ok := digestTexts[lang]
	if !ok {
		t = digestTexts["fr"]
	}
	var h, x strings.Builder
	part := func(title string, total int, leads []DigestLead, label string) {
		if total == 0 {
			return
		}
		head := fmt.Sprintf(title, total)
		h.WriteString("<h3>" + html.EscapeString(head) + "</h3>\n<ul>\n")
		x.WriteString(head + "\n")
		for _, l := range leads {
			line := l.Name + " — " + l.City + " (" + label + " " + l.When.Time().UTC().Format("2006-01-02") + ")"
			h.WriteString("<li>" + html.EscapeString(line) + "</li>\n")
			x.WriteString("- " + line + "\n")
		}
		if more := total - len(leads); more > 0 {
			h.WriteString("<li>" + html.EscapeString(fmt.Sprintf(t.More, more)) + "</li>\n")
			x.WriteString("- " + fmt.Sprintf(t.More, more) + "\n")
		}
		h.WriteString("</ul>\n")
		x.WriteString("\n")
	}
	part(t.Offers, d.OffersTotal, d.Offers, t.Until)
	part(t.Stale, d.StaleTotal, d.Stale, t.Since)
	link := strings.TrimRight(appURL, "/") + "/"
	h.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(t.Open) + "</a></p>")
	x.WriteString(t.Open + ": " + link + "\n")
	return t.Subject, h.String(), x.String()
}

// SendDigests sends, once per user and day (relais_digests), the digest
// of every active user who asked for it (users.digest) and has something
// in it. It returns how many were sent; a user whose digest fails is
// logged and the others go on.
func SendDigests(app core.App, now time.Time) (int, error) {
	users, err := app.FindAllRecords("users", dbx.HashExp{"digest": true, "active": true})
	if err != nil {
		return 0, err
	}
	day := now.UTC().Format("2006-01-02")
	n := 0
	for _, u := range users {
		sent, err := sendDigest(app, u, day, now)
		if err != nil {
			app.Logger().Error("digest not sent", "user", u.Id, "error", err)
			continue
		}
		if sent {
			n++
		}
	}
	return n, nil
}

func sendDigest(app core.App, u *core.Record, day string, now time.Time) (bool, error) {
	if access.AccountBlock(app, u, now) != "" {
		return false, nil
	}
	res, err := app.DB().NewQuery("INSERT OR IGNORE INTO relais_digests (user, day) VALUES ({:u}, {:d})").
		Bind(dbx.Params{"u": u.Id, "d": day}).Execute()
	if err != nil {
		return false, err
	}
	if added, err := res.RowsAffected(); err != nil || added == 0 {
		return false, err // sent already today
	}
	d, err := BuildDigest(app, u, now)
	if err != nil || d.Empty() {
		return false, err
	}
	s := app.Settings()
	subject, body, text := DigestMail(u.GetString("locale"), s.Meta.AppURL, d)
	return true, app.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: s.Meta.SenderName, Address: s.Meta.SenderAddress},
		To:      []mail.Address{{Address: u.Email()}},
		Subject: subject, HTML: body, Text: text,
	})
}
