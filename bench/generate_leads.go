package bench

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/reasons"
)

const leadColumns = "id, company, private, segment, company_size, country, postal_code, city, department, territory, source, source_ref, campaign, " +
	"score, status, partner, assignee, offered_at, accept_by, accepted_at, interest, estimated_value, meeting_at, dedup_key, created_by, " +
	"qualification_notes, consent, offers_count, lost_reason, won_amount, closed_at, created, updated"

// leadStmts are the prepared INSERTs of a batch of leads.
type leadStmts struct {
	lead, contact, offer, activity *sql.Stmt
}

func prepareLeadStmts(tx *sql.Tx) (*leadStmts, error) {
	st := &leadStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.lead, "INSERT INTO leads (" + leadColumns + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", 33), ", ") + ")"},
		{&st.contact, "INSERT INTO lead_contacts (id, lead, first_name, last_name, title, email, phone, mobile, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{&st.offer, "INSERT INTO lead_offers (id, lead, partner, assignee, offered_at, accept_by, outcome, reason, reason_code, decided_at, decided_by, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{&st.activity, "INSERT INTO activities (id, lead, opportunity, kind, summary, at, outcome, author, internal, recording, created, updated) VALUES (?, ?, '', ?, ?, ?, ?, ?, 0, '', ?, ?)"},
	} {
		stmt, err := tx.Prepare(p.query)
		if err != nil {
			st.close()
			return nil, err
		}
		*p.dst = stmt
	}
	return st, nil
}

func (st *leadStmts) close() {
	for _, s := range []*sql.Stmt{st.lead, st.contact, st.offer, st.activity} {
		if s != nil {
			s.Close()
		}
	}
}

// leads writes leads [from, from+n) with their contacts, offers and
// activities. Lead i is created at a fixed slot of the 12 months before
// Now (plus jitter inside the slot): leads arrive in time order, as in a
// real data dir, and no two leads share a creation time.
func (g *generator) leads(tx *sql.Tx, from, n int) error {
	st, err := prepareLeadStmts(tx)
	if err != nil {
		return err
	}
	defer st.close()
	span := 365 * 24 * time.Hour
	slot := span / time.Duration(g.opts.Leads)
	if slot < time.Millisecond {
		return errors.New("bench: too many leads for one per millisecond over 12 months")
	}
	for i := from; i < from+n; i++ {
		if err := g.lead(st, i, span, slot); err != nil {
			return err
		}
	}
	return nil
}

// leadDraw is what the random source decides of a lead before it is
// written (the draws happen in this order: the data depends on it).
type leadDraw struct {
	created            time.Time
	region, dept       string
	town               demo.Town
	status             string
	partner            *benchPartner
	seg                string
	value              float64
	first, last, email string
	company            string
	private            bool
	source, creator    string
	score              int
	notes              string
}

// lead writes lead i, its offers, activity and contact.
func (g *generator) lead(st *leadStmts, i int, span, slot time.Duration) error {
	d := g.drawLead(i, span, slot)
	id := g.id()
	w, err := g.workLead(st, d, id)
	if err != nil {
		return err
	}
	if w.updated.After(g.opts.Now) {
		w.updated = g.opts.Now
	}
	// the arguments are drawn left to right: keep their order
	if _, err := st.lead.Exec(id, d.company, d.private, d.seg, size(g, d.seg), "FR", d.town.PostalCode, d.town.Name, d.dept, g.territory[d.region], d.source,
		fmt.Sprintf("%s-%07d", d.source, i+1), "", d.score, d.status, w.partner, w.assignee, w.offeredAt, w.acceptBy, w.acceptedAt,
		g.pick(interests[d.seg]), d.value, w.meetingAt, dedup.Primary(dedup.Keys(dedup.Input{Email: d.email})), d.creator,
		d.notes, 1, w.offers, w.lostReason, w.wonAmount, w.closedAt, dbTime(d.created), dbTime(w.updated)); err != nil {
		return fmt.Errorf("leads: %w", err)
	}
	g.stats.Leads++
	createdS := dbTime(d.created)
	if _, err := st.contact.Exec(g.id(), id, d.first, d.last, g.pick(titles), d.email,
		fmt.Sprintf("+332%08d", g.rng.IntN(100000000)), fmt.Sprintf("+336%08d", g.rng.IntN(100000000)), createdS, createdS); err != nil {
		return fmt.Errorf("lead_contacts: %w", err)
	}
	g.stats.Contacts++
	return nil
}

// drawLead draws lead i: when and where it came from, its status and
// partner, its customer and its qualification.
func (g *generator) drawLead(i int, span, slot time.Duration) leadDraw {
	now := g.opts.Now
	var d leadDraw
	d.created = now.Add(-span + time.Duration(i)*slot + time.Duration(g.rng.Int64N(int64(slot/time.Millisecond)))*time.Millisecond).Truncate(time.Millisecond)
	age := int(now.Sub(d.created) / (24 * time.Hour))
	d.region = g.weightedRegion()
	depts := g.depts[d.region]
	d.dept = depts[g.rng.IntN(len(depts))]
	d.town = g.towns[d.dept][g.rng.IntN(len(g.towns[d.dept]))]
	d.status = g.status(age)
	if withPartner[d.status] {
		if cands := g.byRegion[d.region]; len(cands) > 0 {
			d.partner = cands[g.rng.IntN(len(cands))]
		} else {
			d.status = "ready" // coverage gap: nobody to offer it to
		}
	}
	d.seg, d.value = g.segment()
	g.drawCustomer(&d)
	d.source = g.source()
	d.creator = g.internal[TeleopEmail]
	switch d.source {
	case "api":
		d.creator = g.internal[IntegrationEmail]
	case "import":
		d.creator = g.internal[AdminEmail]
	}
	d.score = 60 + g.rng.IntN(41)
	switch d.status {
	case "new":
		d.score = g.rng.IntN(40)
	case "qualifying", "recycled":
		d.score = 30 + g.rng.IntN(40)
	}
	if d.status == "qualifying" || d.status == "ready" {
		d.notes = "Appel de qualification: toiture sud, décideur joint."
	}
	return d
}

// drawCustomer draws the customer's name, company and e-mail. A
// household's name is a contact detail (SPEC §3.3.3): private customers'
// leads have no company, the name is in the contact.
func (g *generator) drawCustomer(d *leadDraw) {
	d.first, d.last = g.pick(g.firsts), g.pick(g.lasts)
	domain := g.pick(mailDomains)
	d.private = d.seg == "residential"
	if !d.private {
		d.company = g.pick(g.prefixes) + " " + g.pick(g.lasts)
		domain = fmt.Sprintf("entreprise%d-%s.fr", g.rng.IntN(100000), d.seg)
	}
	d.email = strings.ToLower(asciiName(d.first) + "." + asciiName(d.last) + "@" + domain)
}

// leadWork is what a partner did with a lead: offers, acceptance,
// meeting, outcome.
type leadWork struct {
	partner, assignee, offeredAt, acceptBy, acceptedAt, meetingAt, lostReason, closedAt string
	wonAmount                                                                           float64
	offers                                                                              int
	updated                                                                             time.Time
}

// workLead writes the offers and the activity of a lead that reached a
// partner and returns the lead's fields they set.
func (g *generator) workLead(st *leadStmts, d leadDraw, id string) (leadWork, error) {
	w := leadWork{updated: d.created}
	p := d.partner
	if p == nil {
		return w, nil
	}
	now := g.opts.Now
	w.partner, w.assignee = p.id, p.sales[g.rng.IntN(len(p.sales))]
	at := d.created.Add(time.Duration(1+g.rng.IntN(20)) * time.Hour)
	if d.status == "offered" {
		at = now.Add(-time.Duration(1+g.rng.IntN(30)) * time.Hour)
	}
	at, err := g.earlierOffer(st, d, id, at, &w)
	if err != nil {
		return w, err
	}
	w.offeredAt, w.acceptBy = dbTime(at), dbTime(at.Add(48*time.Hour))
	outcome, decidedAt, decidedBy, offerUpdated := "pending", "", "", at
	if d.status != "offered" {
		decided := at.Add(time.Duration(1+g.rng.IntN(30)) * time.Hour)
		outcome, decidedAt, decidedBy, offerUpdated = "accepted", dbTime(decided), w.assignee, decided
		w.acceptedAt, w.updated = decidedAt, decided
	}
	if _, err := st.offer.Exec(g.id(), id, p.id, w.assignee, w.offeredAt, w.acceptBy, outcome, "", "", decidedAt, decidedBy, dbTime(at), dbTime(offerUpdated)); err != nil {
		return w, fmt.Errorf("lead_offers: %w", err)
	}
	g.stats.Offers++
	w.offers++
	g.outcome(d, &w)
	if d.status != "offered" {
		if err := g.activity(st, d, id, w.assignee); err != nil {
			return w, err
		}
	}
	return w, nil
}

// earlierOffer sometimes writes an offer that another partner of the
// région declined or let expire first, and returns when the lead was
// offered next.
func (g *generator) earlierOffer(st *leadStmts, d leadDraw, id string, at time.Time, w *leadWork) (time.Time, error) {
	others := g.byRegion[d.region]
	if len(others) <= 1 || d.status == "offered" || g.rng.IntN(4) != 0 {
		return at, nil
	}
	other := others[g.rng.IntN(len(others))]
	if other == d.partner {
		return at, nil
	}
	outcome, reason, decided := "declined", g.pick(declineReasons), at.Add(time.Duration(1+g.rng.IntN(40))*time.Hour)
	if g.rng.IntN(3) == 0 {
		outcome, reason, decided = "expired", "", at.Add(48*time.Hour)
	}
	decidedBy := ""
	if outcome == "declined" {
		decidedBy = other.sales[0]
	}
	code, _ := reasons.ParseDecline(reason) // the form's labels: a code, no note
	if _, err := st.offer.Exec(g.id(), id, other.id, other.sales[0], dbTime(at), dbTime(at.Add(48*time.Hour)), outcome, reason, code,
		dbTime(decided), decidedBy, dbTime(at), dbTime(decided)); err != nil {
		return at, fmt.Errorf("lead_offers: %w", err)
	}
	g.stats.Offers++
	w.offers++
	return decided.Add(time.Hour), nil
}

// outcome sets the meeting, the won amount or the lost reason of a lead
// by its status.
func (g *generator) outcome(d leadDraw, w *leadWork) {
	switch d.status {
	case "meeting":
		w.meetingAt = dbTime(g.opts.Now.Add(time.Duration(1+g.rng.IntN(14)) * 24 * time.Hour))
	case "won":
		w.wonAmount = math.Round(d.value * (0.8 + 0.3*g.rng.Float64()))
		closed := d.created.Add(time.Duration(20+g.rng.IntN(40)) * 24 * time.Hour)
		w.closedAt, w.updated = dbTime(closed), closed
	case "lost":
		w.lostReason = g.pick(lostReasons)
		closed := d.created.Add(time.Duration(10+g.rng.IntN(40)) * 24 * time.Hour)
		w.closedAt, w.updated = dbTime(closed), closed
	}
}

// activity writes the partner's first call (or visit, once a meeting
// happened).
func (g *generator) activity(st *leadStmts, d leadDraw, id, assignee string) error {
	kind, summary, outcome := "call", "Premier appel, rendez-vous proposé.", "joint"
	if d.status == "meeting" || d.status == "won" || d.status == "lost" {
		kind, summary, outcome = "meeting", "Visite technique: toiture et compteur.", "visite faite"
	}
	at := d.created.Add(time.Duration(2+g.rng.IntN(4)) * 24 * time.Hour)
	if _, err := st.activity.Exec(g.id(), id, kind, summary, dbTime(at), outcome, assignee, dbTime(at), dbTime(at)); err != nil {
		return fmt.Errorf("activities: %w", err)
	}
	g.stats.Activities++
	return nil
}
