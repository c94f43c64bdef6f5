package bench

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/hooks/sessions"
)

// Account is a bench login with a fresh auth token.
type Account struct {
	ID, Email, Role, Partner, Token string
}

// Env is a bench data dir opened for measurements: the in-process client,
// the accounts the scenarios act as, and the tag of the rows this run
// writes (removed by Cleanup).
type Env struct {
	App    core.App
	Client *Client
	// NoHints is a client without the list hint middleware
	// (api.ListHintMiddlewareID): the list figures "before" it.
	NoHints *Client
	// Run tags the leads this run creates (source_ref "bench-RUN-…").
	Run string
	// started is when the env was opened: the run writes after it.
	started time.Time
	// Sales are partner_user accounts of up to 20 different active
	// partners, spread over the partner list; Managers are the
	// partner_manager accounts of the same partners, in the same order.
	Sales, Managers []Account
	// CM is the channel manager of ManagerRegions; Territory is the id of
	// its first région (the board scenario).
	CM          Account
	Territory   string
	Admin       Account
	Integration Account

	terms   []string // the searched company names (searchTerms)
	indexed bool     // the data dir has the search index (searchTerms)

	writeDB *sql.DB // the single write connection (PocketBase's nonconcurrent pool)
	seq     atomic.Int64
}

// MaxPartnersUsed is the number of partners the scenarios act for (the
// accept scenario needs as many as its concurrency).
const MaxPartnersUsed = 20

// NewEnv builds the client and loads the bench accounts of a data dir
// made by Generate. app must have the Relais hooks registered (it is the
// `relais` app, or Open's, or a hooks/testapp app).
func NewEnv(app core.App) (*Env, error) {
	wdb, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("bench: NewEnv needs the app itself, not a transaction")
	}
	cs, err := NewClients(app, api.ListHintMiddlewareID)
	if err != nil {
		return nil, err
	}
	// The serve event starts PocketBase's cron (the Relais jobs distribute
	// waiting leads and expire offers every minute): stop it, so that the
	// figures measure the requests alone and the data stays as generated.
	app.Cron().Stop()
	e := &Env{App: app, Client: cs[0], NoHints: cs[1], Run: runTag(), writeDB: wdb.DB(), started: time.Now()}
	for _, x := range []struct {
		dst   *Account
		email string
	}{{&e.CM, ManagerEmail}, {&e.Admin, AdminEmail}, {&e.Integration, IntegrationEmail}} {
		if *x.dst, err = e.account(x.email); err != nil {
			return nil, err
		}
	}
	rows := []struct {
		Email string `db:"email"`
	}{}
	// partner_user accounts (…-u2) of active partners, in partner order
	err = app.DB().NewQuery(`SELECT u.email AS email FROM users u JOIN partners p ON p.id = u.partner
		WHERE u.role = 'partner_user' AND p.status = 'active' AND u.email LIKE 'bench-p%-u2@%' ORDER BY u.email`).All(&rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errNoFixture
	}
	step := max(1, len(rows)/MaxPartnersUsed)
	for i := 0; i < len(rows) && len(e.Sales) < MaxPartnersUsed; i += step {
		s, err := e.account(rows[i].Email)
		if err != nil {
			return nil, err
		}
		var mgr string
		if err := app.DB().NewQuery("SELECT email FROM users WHERE partner = {:p} AND role = 'partner_manager' LIMIT 1").
			Bind(dbx.Params{"p": s.Partner}).Row(&mgr); err != nil {
			return nil, fmt.Errorf("bench: manager of %s: %w", s.Email, err)
		}
		m, err := e.account(mgr)
		if err != nil {
			return nil, err
		}
		e.Sales, e.Managers = append(e.Sales, s), append(e.Managers, m)
	}
	terr := e.CM.territories(app)
	if len(terr) == 0 {
		return nil, errors.New("bench: the channel manager has no territory")
	}
	e.Territory = terr[0]
	return e, nil
}

func (a Account) territories(app core.App) []string {
	u, err := app.FindRecordById("users", a.ID)
	if err != nil {
		return nil
	}
	return u.GetStringSlice("territories")
}

func (e *Env) account(email string) (Account, error) {
	u, err := e.App.FindAuthRecordByEmail("users", email)
	if err != nil {
		return Account{}, fmt.Errorf("%w: %s: %v", errNoFixture, email, err)
	}
	t, err := sessions.NewToken(e.App, u, sessions.ViaAPI)
	if err != nil {
		return Account{}, err
	}
	return Account{ID: u.Id, Email: email, Role: u.GetString("role"), Partner: u.GetString("partner"), Token: t}, nil
}

// runTag is a short random tag of [a-z0-9].
func runTag() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b[:])
}

// ref returns a fresh source_ref of this run and its sequence number;
// kind tells which scenario wrote the lead.
func (e *Env) ref(kind string) (string, int64) {
	n := e.seq.Add(1)
	return fmt.Sprintf("bench-%s-%s-%d", e.Run, kind, n), n
}

// Cleanup removes what this run wrote: the leads whose source_ref carries
// the run tag, with their contacts, offers, activities, notifications and
// duplicate keys. Audit entries stay (the log is append-only).
func (e *Env) Cleanup() error { return e.cleanup("bench-" + e.Run + "-%") }

// CleanupAll removes what every bench run wrote, interrupted ones included
// (generated leads have source refs like "web-0000001", never "bench-").
func (e *Env) CleanupAll() error { return e.cleanup("bench-%") }

func (e *Env) cleanup(like string) error {
	var since sql.NullString
	if err := e.writeDB.QueryRow("SELECT MIN(created) FROM leads WHERE source_ref LIKE ?", like).Scan(&since); err != nil {
		return fmt.Errorf("bench cleanup: %w", err)
	}
	if !since.Valid {
		return nil // nothing to remove
	}
	tx, err := e.writeDB.Begin()
	if err != nil {
		return err
	}
	sel := "(SELECT id FROM leads WHERE source_ref LIKE ?)"
	for _, q := range []string{
		"DELETE FROM lead_search WHERE lead IN " + sel,
		"DELETE FROM lead_contacts WHERE lead IN " + sel,
		"DELETE FROM lead_offers WHERE lead IN " + sel,
		"DELETE FROM activities WHERE lead IN " + sel,
		"DELETE FROM notifications WHERE lead IN " + sel,
		"DELETE FROM dedup_keys WHERE record IN " + sel,
		"DELETE FROM leads WHERE source_ref LIKE ?",
	} {
		if _, err := tx.Exec(q, like); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("bench cleanup: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// the raw deletes bypass the rollup and counter hooks: recompute the
	// rollups from the oldest removed lead's month (its offers and
	// acceptance come after it), and the distribution counters
	t, err := time.Parse("2006-01-02 15:04:05.000Z", since.String)
	if err != nil {
		return fmt.Errorf("bench cleanup: %w", err)
	}
	if err := distribution.RebuildCounters(e.App.NonconcurrentDB()); err != nil {
		return fmt.Errorf("bench cleanup: %w", err)
	}
	return reports.RebuildRollupsSince(e.App.NonconcurrentDB(), t)
}

// SyncRollups recomputes the report rollups of the periods this run wrote
// to: the raw SQL references write leads and offers without the hooks
// that maintain them (hooks/rollups.go).
func (e *Env) SyncRollups() error {
	if err := reports.RebuildRollupsSince(e.App.NonconcurrentDB(), e.started.Add(-time.Minute)); err != nil {
		return err
	}
	// the rebuild rewrote a month of rollup rows, which a live server never
	// does at once: checkpoint them into the database file so that the
	// reports do not read them from the WAL
	_, err := e.App.NonconcurrentDB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute()
	return err
}

// get sends an authenticated GET and expects a 200.
func (e *Env) get(url string, a Account) ([]byte, error) { return getWith(e.Client, url, a) }

func getWith(c *Client, url string, a Account) ([]byte, error) {
	st, body := c.Do(http.MethodGet, url, a.Token, nil)
	return body, expect(st, http.StatusOK, body, "GET "+url)
}
