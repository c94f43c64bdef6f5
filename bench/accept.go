package bench

import (
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// offeredLead is a lead offered to one salesperson, made for an accept.
type offeredLead struct {
	id    string
	sales Account
}

// offerOneEach creates, by SQL, one lead offered to each Sales account
// (different partners) with its pending offer: the input of an accept
// round, outside the timing.
func (e *Env) offerOneEach() ([]offeredLead, error) {
	tx, err := e.writeDB.Begin()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	ns, by := dbTime(now), dbTime(now.Add(48*time.Hour))
	out := make([]offeredLead, 0, len(e.Sales))
	for _, s := range e.Sales {
		id := newID()
		ref, _ := e.ref("a")
		if _, err := tx.Exec(`INSERT INTO leads (id, company, private, segment, country, postal_code, city, department, territory, source, source_ref, score, status,
			partner, assignee, offered_at, accept_by, offers_count, created_by, consent, created, updated)
			VALUES (?, '', 1, 'residential', 'FR', '35000', 'Rennes', '35', ?, 'api', ?, 80, 'offered', ?, ?, ?, ?, 1, ?, 1, ?, ?)`,
			id, e.Territory, ref, s.Partner, s.ID, ns, by, e.Integration.ID, ns, ns); err != nil {
			_ = tx.Rollback()
			return nil, err
		}
		if _, err := tx.Exec(`INSERT INTO lead_offers (id, lead, partner, assignee, offered_at, accept_by, outcome, created, updated)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`, newID(), id, s.Partner, s.ID, ns, by, ns, ns); err != nil {
			_ = tx.Rollback()
			return nil, err
		}
		out = append(out, offeredLead{id: id, sales: s})
	}
	return out, tx.Commit()
}

// acceptAll runs accept for every lead at once (one goroutine each,
// released together) and returns each latency.
func acceptAll(leads []offeredLead, accept func(offeredLead) error) ([]time.Duration, error) {
	lat := make([]time.Duration, len(leads))
	errs := make([]error, len(leads))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, l := range leads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t := time.Now()
			errs[i] = accept(l)
			lat[i] = time.Since(t)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return lat, nil
}

// AcceptRoundREST offers one lead to each Sales account, then every
// salesperson accepts theirs at the same time through POST
// /api/prm/leads/{id}/accept; it returns the latencies.
func (e *Env) AcceptRoundREST() ([]time.Duration, error) {
	_, lat, err := e.acceptRound(false)
	return lat, err
}

// AcceptRoundRaw is the limit of AcceptRoundREST: per accept one write
// transaction (check the lead, close the offer, assign the lead, one
// audit entry), then the lead read back for the response.
func (e *Env) AcceptRoundRaw() ([]time.Duration, error) {
	_, lat, err := e.acceptRound(true)
	return lat, err
}

func (e *Env) acceptRound(raw bool) ([]offeredLead, []time.Duration, error) {
	leads, err := e.offerOneEach()
	if err != nil {
		return nil, nil, err
	}
	accept := e.acceptREST
	if raw {
		accept = e.acceptRaw
	}
	lat, err := acceptAll(leads, accept)
	return leads, lat, err
}

// acceptREST is the salesperson's POST /api/prm/leads/{id}/accept.
func (e *Env) acceptREST(l offeredLead) error {
	st, body := e.Client.Do(http.MethodPost, "/api/prm/leads/"+l.id+"/accept", l.sales.Token, nil)
	return expect(st, http.StatusOK, body, "accept")
}

// acceptRaw is rawAccept, then the lead read back for the response.
func (e *Env) acceptRaw(l offeredLead) error {
	if err := e.rawAccept(l); err != nil {
		return err
	}
	var status string
	return e.App.DB().NewQuery("SELECT status FROM leads WHERE id = {:id}").Bind(map[string]any{"id": l.id}).Row(&status)
}

func (e *Env) rawAccept(l offeredLead) error {
	tx, err := e.writeDB.Begin()
	if err != nil {
		return err
	}
	err = func(tx *sql.Tx) error {
		var status, partner string
		if err := tx.QueryRow("SELECT status, partner FROM leads WHERE id = ?", l.id).Scan(&status, &partner); err != nil {
			return err
		}
		if status != "offered" || partner != l.sales.Partner {
			return fmt.Errorf("raw accept: lead %s is %s for %s", l.id, status, partner)
		}
		ns := dbTime(time.Now())
		if _, err := tx.Exec("UPDATE lead_offers SET outcome = 'accepted', decided_at = ?, decided_by = ?, assignee = ?, updated = ? WHERE lead = ? AND partner = ? AND outcome = 'pending'",
			ns, l.sales.ID, l.sales.ID, ns, l.id, partner); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE leads SET status = 'accepted', accepted_at = ?, assignee = ?, updated = ? WHERE id = ? AND status = 'offered'",
			ns, l.sales.ID, ns, l.id); err != nil {
			return err
		}
		a := &rawAuditor{tx: tx}
		return a.append(l.sales.ID, "offer.accept", l.id, map[string]any{"partner": partner, "assignee": l.sales.ID})
	}(tx)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// checkAccepted verifies that every lead of a round is accepted by its
// salesperson, with its offer closed.
func (e *Env) checkAccepted(leads []offeredLead) error {
	for _, l := range leads {
		var status, assignee, outcome string
		if err := e.App.DB().NewQuery("SELECT l.status, l.assignee, o.outcome FROM leads l JOIN lead_offers o ON o.lead = l.id WHERE l.id = {:id}").
			Bind(map[string]any{"id": l.id}).Row(&status, &assignee, &outcome); err != nil {
			return err
		}
		if status != "accepted" || assignee != l.sales.ID || outcome != "accepted" {
			return fmt.Errorf("accept: lead %s is %s (assignee %s, offer %s)", l.id, status, assignee, outcome)
		}
	}
	return nil
}
