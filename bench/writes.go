package bench

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/auditchain"
	"github.com/relais/relais/hooks/dedup"
)

// ingestLead is the body of one ingested lead.
type ingestLead struct {
	Company    string         `json:"company"`
	Segment    string         `json:"segment"`
	PostalCode string         `json:"postal_code"`
	City       string         `json:"city"`
	Source     string         `json:"source"`
	SourceRef  string         `json:"source_ref"`
	Score      int            `json:"score"`
	Interest   string         `json:"interest"`
	Consent    bool           `json:"consent"`
	Contact    map[string]any `json:"contact"`
}

// newLead returns a lead of this run; with score ≥ 60 (the threshold) it
// is `ready` and the single ingest route distributes it at once. The
// postal code is in the channel manager's first région (Rennes), which
// has active partners. The lead is a private customer's (residential, no
// company: the name is in the contact); e-mail (a free-mail domain) and
// phone are unique, so that no lead is held as a duplicate of another.
func (e *Env) newLead(kind string, score int) ingestLead {
	ref, n := e.ref(kind)
	return ingestLead{
		Segment: "residential", PostalCode: "35000", City: "Rennes", Source: "api", SourceRef: ref,
		Score: score, Interest: "Autoconsommation 6 kWc", Consent: true,
		Contact: map[string]any{"first_name": "Jean", "last_name": "Bench", "email": ref + "@gmail.com", "phone": benchPhone(n)},
	}
}

// benchPhone is a unique French mobile number for the n-th lead of a run.
func benchPhone(n int64) string { return fmt.Sprintf("+336%08d", n%100_000_000) }

// IngestREST posts one lead to /api/prm/leads/ingest as the integration
// account and expects a 201. With assign, the lead is ready and the route
// distributes it (assignment rules, candidates, offer, notifications).
func (e *Env) IngestREST(assign bool) error {
	score := 40
	if assign {
		score = 80
	}
	body, err := json.Marshal(e.newLead("s", score))
	if err != nil {
		return err
	}
	st, resp := e.Client.Do(http.MethodPost, "/api/prm/leads/ingest", e.Integration.Token, body)
	return expect(st, http.StatusCreated, resp, "ingest")
}

// IngestBatchREST posts n leads to /api/prm/leads/ingest/batch and expects
// all of them created.
func (e *Env) IngestBatchREST(n int) error {
	leads := make([]ingestLead, n)
	for i := range leads {
		leads[i] = e.newLead("b", 40)
	}
	body, err := json.Marshal(map[string]any{"leads": leads})
	if err != nil {
		return err
	}
	st, resp := e.Client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", e.Integration.Token, body)
	if err := expect(st, http.StatusOK, resp, "ingest batch"); err != nil {
		return err
	}
	var out struct {
		Created int `json:"created"`
	}
	if err := json.Unmarshal(resp, &out); err != nil {
		return err
	}
	if out.Created != n {
		return fmt.Errorf("ingest batch: %d created of %d", out.Created, n)
	}
	return nil
}

// rawLeadColumns are the columns the raw ingest writes (what Intake sets).
const rawLeadColumns = "id, company, private, segment, country, postal_code, city, department, territory, source, source_ref, score, status, " +
	"interest, dedup_key, created_by, consent, created, updated"

// rawIngest writes n leads the way a perfect implementation would, in one
// transaction on the write connection: idempotency lookup, duplicate-key
// lookup, lead, contact, duplicate keys and one hash-chained audit entry
// per lead; with assign, the offer too (candidates of the territory, the
// salesperson, the offer row, the lead update, two notifications, a second
// audit entry and the partner's counter). It returns the lead ids.
func (e *Env) rawIngest(kind string, n int, assign bool) ([]string, error) {
	tx, err := e.writeDB.Begin()
	if err != nil {
		return nil, err
	}
	ids, err := e.rawIngestTx(tx, kind, n, assign)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return ids, tx.Commit()
}

func (e *Env) rawIngestTx(tx *sql.Tx, kind string, n int, assign bool) ([]string, error) {
	prep := func(q string) (*sql.Stmt, error) { return tx.Prepare(q) }
	// `source_ref != ''` lets SQLite use the partial unique index on
	// (source, source_ref); without it the lookup scans the table
	exists, err := prep("SELECT COUNT(*) FROM leads WHERE source = ? AND source_ref = ? AND source_ref != ''")
	if err != nil {
		return nil, err
	}
	defer exists.Close()
	keys, err := prep("SELECT COUNT(*) FROM dedup_keys WHERE key IN (?, ?, ?, ?)")
	if err != nil {
		return nil, err
	}
	defer keys.Close()
	lead, err := prep("INSERT INTO leads (" + rawLeadColumns + ") VALUES (?, '', 1, 'residential', 'FR', '35000', 'Rennes', '35', ?, 'api', ?, ?, ?, 'Autoconsommation 6 kWc', ?, ?, 1, ?, ?)")
	if err != nil {
		return nil, err
	}
	defer lead.Close()
	contact, err := prep("INSERT INTO lead_contacts (id, lead, first_name, last_name, email, phone, created, updated) VALUES (?, ?, 'Jean', 'Bench', ?, ?, ?, ?)")
	if err != nil {
		return nil, err
	}
	defer contact.Close()
	key, err := prep("INSERT INTO dedup_keys (id, key, kind, record, partner, created, updated) VALUES (?, ?, 'lead', ?, '', ?, ?)")
	if err != nil {
		return nil, err
	}
	defer key.Close()
	// the search index of the lead (hooks/textindex)
	leadText, err := prep("INSERT INTO lead_search (lead, company, city, postal_code) VALUES (?, '', 'Rennes', '35000')")
	if err != nil {
		return nil, err
	}
	defer leadText.Close()
	a := &rawAuditor{tx: tx}
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		ref, seq := e.ref(kind)
		var c int
		if err := exists.QueryRow("api", ref).Scan(&c); err != nil {
			return nil, err
		}
		email, phone := ref+"@gmail.com", benchPhone(seq)
		ks := dedup.Keys(dedup.Input{Email: email, Phone: phone, PostalCode: "35000"})
		args := make([]any, 4)
		for j := range args {
			args[j] = ks[min(j, len(ks)-1)]
		}
		if err := keys.QueryRow(args...).Scan(&c); err != nil {
			return nil, err
		}
		id, now := newID(), dbTime(time.Now())
		status, score := "new", 40
		if assign {
			status, score = "ready", 80
		}
		if _, err := lead.Exec(id, e.Territory, ref, score, status, dedup.Primary(ks), e.Integration.ID, now, now); err != nil {
			return nil, err
		}
		if _, err := contact.Exec(newID(), id, email, phone, now, now); err != nil {
			return nil, err
		}
		if _, err := leadText.Exec(id); err != nil {
			return nil, err
		}
		for _, k := range ks {
			if _, err := key.Exec(newID(), k, id, now, now); err != nil {
				return nil, err
			}
		}
		if err := a.append(e.Integration.ID, "lead.ingest", id, map[string]any{"source_ref": ref, "status": status}); err != nil {
			return nil, err
		}
		if assign {
			if err := e.rawOffer(tx, a, id); err != nil {
				return nil, err
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// rawOffer offers a lead to an active partner of the territory.
func (e *Env) rawOffer(tx *sql.Tx, a *rawAuditor, leadID string) error {
	var partner, user, manager string
	err := tx.QueryRow(`SELECT p.id FROM partners p WHERE p.status = 'active' AND EXISTS (SELECT 1 FROM json_each(p.territories) t WHERE t.value = ?)
		ORDER BY p.updated LIMIT 1`, e.Territory).Scan(&partner)
	if err != nil {
		return fmt.Errorf("raw offer: partner: %w", err)
	}
	if err := tx.QueryRow("SELECT id FROM users WHERE partner = ? AND role = 'partner_user' AND active = 1 ORDER BY id LIMIT 1", partner).Scan(&user); err != nil {
		return err
	}
	if err := tx.QueryRow("SELECT id FROM users WHERE partner = ? AND role = 'partner_manager' AND active = 1 LIMIT 1", partner).Scan(&manager); err != nil {
		return err
	}
	now := time.Now()
	ns, by := dbTime(now), dbTime(now.Add(48*time.Hour))
	offerID := newID()
	if _, err := tx.Exec("INSERT INTO lead_offers (id, lead, partner, assignee, offered_at, accept_by, outcome, created, updated) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
		offerID, leadID, partner, user, ns, by, ns, ns); err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE leads SET status = 'offered', partner = ?, assignee = ?, offered_at = ?, accept_by = ?, offers_count = 1, updated = ? WHERE id = ?",
		partner, user, ns, by, ns, leadID); err != nil {
		return err
	}
	for _, u := range []string{user, manager} {
		if _, err := tx.Exec("INSERT INTO notifications (id, user, kind, lead, title, body, read, created, updated) VALUES (?, ?, 'offer', ?, 'Nouvelle offre', 'Bench', 0, ?, ?)",
			newID(), u, leadID, ns, ns); err != nil {
			return err
		}
	}
	// stands for an incrementally maintained open-leads counter
	if _, err := tx.Exec("UPDATE partners SET updated = ? WHERE id = ?", ns, partner); err != nil {
		return err
	}
	return a.append("system:distribution", "lead.offer", leadID, map[string]any{"partner": partner, "assignee": user, "offer": offerID})
}

// rawAuditor appends hash-chained audit entries by SQL: the raw reference
// pays for the audit trail too, and leaves a chain that still verifies.
type rawAuditor struct {
	tx   *sql.Tx
	seq  int
	hash string
	read bool
}

func (a *rawAuditor) append(actor, action, record string, changes map[string]any) error {
	if !a.read {
		var seq sql.NullInt64
		var hash sql.NullString
		err := a.tx.QueryRow("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&seq, &hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			a.seq, a.hash = 0, auditchain.Genesis
		case err != nil:
			return err
		default:
			a.seq, a.hash = int(seq.Int64), hash.String
		}
		a.read = true
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	id := newID()
	entry, err := auditchain.Seal(a.hash, auditchain.Entry{ID: id, At: time.Now(), Actor: actor, ActorRole: "system", Action: action,
		Resource: "leads", Record: record, Changes: raw})
	if err != nil {
		return err
	}
	at := dbTime(entry.At)
	if _, err := a.tx.Exec(`INSERT INTO audit_log (id, seq, at, actor, actor_role, actor_partner, action, resource, record, changes, ip, request_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, '', '', ?, ?)`, id, a.seq+1, at, entry.Actor, entry.ActorRole, entry.Action, entry.Resource, entry.Record,
		string(raw), entry.PrevHash, entry.Hash); err != nil {
		return err
	}
	a.seq, a.hash = a.seq+1, entry.Hash
	return nil
}

// newID returns a random record id, as PocketBase makes them.
func newID() string { return core.GenerateDefaultRandomId() }

// IngestRaw is the limit of one single-lead ingest (IngestREST): one
// transaction, then the lead read back for the response.
func (e *Env) IngestRaw(assign bool) error {
	ids, err := e.rawIngest("r", 1, assign)
	if err != nil {
		return err
	}
	var status string
	return e.App.DB().NewQuery("SELECT status FROM leads WHERE id = {:id}").Bind(map[string]any{"id": ids[0]}).Row(&status)
}

// IngestBatchRaw is the limit of one batch (IngestBatchREST).
func (e *Env) IngestBatchRaw(n int) error {
	_, err := e.rawIngest("r", n, false)
	return err
}
