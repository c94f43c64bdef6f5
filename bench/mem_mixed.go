package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/sessions"
)

// MixedOptions tune RunMixed: a time-bounded open-loop load of reads and
// writes over loopback HTTP against `Binary serve` on DataDir.
type MixedOptions struct {
	Binary, DataDir string
	// Users bounds the requests in flight and the accounts used
	// (default 30); Rate is the target of requests per second (default
	// 150); Duration bounds the run (default 2 minutes); Timeout is each
	// request's (default 10 s).
	Users    int
	Rate     float64
	Duration time.Duration
	Timeout  time.Duration
	// IdleAfter, when positive, keeps the server idle that long after the
	// load and samples its resident memory again.
	IdleAfter time.Duration
	Seed      uint64
	Log       io.Writer
}

func (o *MixedOptions) defaults() {
	if o.Users <= 0 {
		o.Users = 30
	}
	if o.Rate <= 0 {
		o.Rate = 150
	}
	if o.Duration <= 0 {
		o.Duration = 2 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// mixKind is one kind of request of the mixed load and its share.
type mixKind struct {
	name   string
	write  bool
	weight int
}

// mixKinds: about 25 % writes (ingest, accept/decline, activities), the
// rest UI pages and REST reads.
var mixKinds = []mixKind{
	{"ingest", true, 9}, {"accept", true, 5}, {"decline", true, 2}, {"activity", true, 9},
	{"api_list", false, 24}, {"api_view", false, 10}, {"ui_list", false, 14}, {"ui_inbox", false, 8},
	{"ui_lead", false, 8}, {"ui_home", false, 7}, {"ui_report", false, 4},
}

// KindFigures are the figures of one kind of request.
type KindFigures struct {
	Name                                           string
	Write                                          bool
	Count, Timeouts, Status5xx, Status4xx, Skipped int
	// Unsent are the requests still waiting for a slot when the run ended.
	Unsent int
	// FirstError is the first failed answer (status and start of the body).
	FirstError    string
	P50, P95, P99 time.Duration
}

// MixedFigures are the figures of one mixed run.
type MixedFigures struct {
	Kinds               []KindFigures
	Elapsed             time.Duration
	Done                int
	RSSMax, RSSEnd      int64
	RSSIdle             int64
	EndParts            RSSParts    // the RSS at the end of the load by kind
	Idle                IdleFigures // the RSS while idle after the load (mem_idle.go)
	ReadyWaiting, Ready int         // the run's ingested leads still ready > 60 s after ingest; all ready leads
	Waits               WaitFigures // ReadyWaiting split by what the distribution recorded (nocand.go)
	NoCandidateNotes    int         // notifications of leads no partner can take added during the run
	LoadStart, LoadEnd  string
	WriteP95, ReadP95   time.Duration
	Timeouts, Status5xx int
	// ServerCPU is the server's CPU time (user + system) during the load,
	// CPUPerRequest the same per answered request (mem_cpu.go).
	ServerCPU, CPUPerRequest time.Duration
}

// mixAccount is an account with a REST token and a UI session token.
type mixAccount struct {
	id, role, partner string
	api, ui           string
}

// mixRun is the state of one mixed run.
type mixRun struct {
	app    core.App
	base   string
	client *http.Client
	run    string
	seq    atomic.Int64
	// phoneBase makes the phone numbers of a run unique across runs
	phoneBase int64
	ingest    mixAccount
	readers   []mixAccount // partner and internal accounts
	places    [][2]string  // postal code, city of existing leads

	mu       sync.Mutex
	tokens   map[string]mixAccount // user id → account (made on first use)
	offers   [][2]string           // pending offer: lead, a user of its partner
	accepted [][2]string           // accepted lead, its assignee
	lat      map[string][]time.Duration
	counts   map[string]*KindFigures
}

// RunMixed starts the appliance on o.DataDir, loads it for o.Duration at
// o.Rate and returns the figures. app is the same data dir opened by the
// harness: it picks accounts and the leads to act on, and makes the
// sessions of the accounts (sessions.NewToken), as a login would.
func RunMixed(app core.App, o MixedOptions) (MixedFigures, error) {
	o.defaults()
	r := &mixRun{app: app, run: runTag(), client: &http.Client{Timeout: o.Timeout, Transport: &http.Transport{MaxIdleConnsPerHost: o.Users}},
		tokens: map[string]mixAccount{}, lat: map[string][]time.Duration{}, counts: map[string]*KindFigures{},
		phoneBase: 50_000_000 + time.Now().UnixNano()%40_000_000}
	if err := r.loadAccounts(o.Users); err != nil {
		return MixedFigures{}, err
	}
	if err := r.refreshPools(); err != nil {
		return MixedFigures{}, err
	}
	cmd, addr, err := startServer(o.Binary, o.DataDir)
	if err != nil {
		return MixedFigures{}, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	r.base = "http://" + addr
	f := MixedFigures{LoadStart: Machine()}
	notesBefore, err := noCandidateNotes(app)
	if err != nil {
		return f, err
	}
	fmt.Fprintf(o.Log, "mixed: serving %s on %s, %d users, %.0f req/s for %s\n", o.DataDir, addr, o.Users, o.Rate, o.Duration)
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration)
	defer cancel()
	var rssMu sync.Mutex
	go r.sample(ctx, cmd.Process.Pid, &f, &rssMu)
	go r.refresh(ctx)
	start := time.Now()
	cpu0, cpuErr := processCPU(cmd.Process.Pid)
	f.Done = r.load(ctx, o)
	f.Elapsed = time.Since(start)
	if cpu1, err := processCPU(cmd.Process.Pid); err == nil && cpuErr == nil {
		f.ServerCPU = cpu1 - cpu0
	}
	f.LoadEnd = Machine()
	rssMu.Lock()
	f.EndParts, _ = rssParts(cmd.Process.Pid)
	f.RSSEnd = f.EndParts.RSS
	f.RSSMax = max(f.RSSMax, f.RSSEnd)
	rssMu.Unlock()
	if o.IdleAfter > 0 {
		fmt.Fprintf(o.Log, "mixed: idle for %s\n", o.IdleAfter)
		if f.Idle, err = sampleIdle(cmd.Process.Pid, o.IdleAfter); err != nil {
			return f, err
		}
		f.RSSIdle = f.Idle.Last
	}
	// after the idle time when there is one: the distribution job has had
	// its cycle, and the leads of a short run are old enough to count
	if err := r.waiting(&f); err != nil {
		return f, err
	}
	if f.NoCandidateNotes, err = noCandidateNotes(r.app); err != nil {
		return f, err
	}
	f.NoCandidateNotes -= notesBefore
	r.figures(&f)
	f.CPUPerRequest = cpuPerRequest(f.ServerCPU, answered(f.Kinds))
	return f, nil
}

// answered counts the requests that got an answer (timeouts excluded).
func answered(kinds []KindFigures) int {
	n := 0
	for _, k := range kinds {
		n += k.Count - k.Timeouts
	}
	return n
}

// startServer runs `bin serve` on dir and waits for /api/health.
func startServer(bin, dir string) (*exec.Cmd, string, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "serve", "--dir", dir, "--http", addr)
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	c := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := c.Get("http://" + addr + "/api/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, addr, nil
			}
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	return nil, "", errors.New("bench: serve did not answer /api/health within 2 minutes")
}

// sample reads the server's resident memory every two seconds.
func (r *mixRun) sample(ctx context.Context, pid int, f *MixedFigures, mu *sync.Mutex) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if rss, err := vmRSS(pid); err == nil {
				mu.Lock()
				f.RSSMax = max(f.RSSMax, rss)
				mu.Unlock()
			}
		}
	}
}

// refresh reloads the pending offers and accepted leads every 5 s.
func (r *mixRun) refresh(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = r.refreshPools() // a failed refresh keeps the previous pools
		}
	}
}

// load sends requests at o.Rate (open loop: a request waits for one of
// o.Users slots, and its latency counts from when it was due) until ctx
// ends, then waits for those in flight.
func (r *mixRun) load(ctx context.Context, o MixedOptions) int {
	rng := rand.New(rand.NewPCG(o.Seed, 7))
	total := 0
	for _, k := range mixKinds {
		total += k.weight
	}
	slots := make(chan struct{}, o.Users)
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / o.Rate)
	n := 0
	for due := time.Now(); ; due = due.Add(interval) {
		if d := time.Until(due); d > 0 {
			select {
			case <-ctx.Done():
				wg.Wait()
				return n
			case <-time.After(d):
			}
		} else if ctx.Err() != nil {
			wg.Wait()
			return n
		}
		pick := rng.IntN(total)
		var k mixKind
		for _, k = range mixKinds {
			if pick < k.weight {
				break
			}
			pick -= k.weight
		}
		seed := rng.Uint64()
		n++
		wg.Add(1)
		go func(k mixKind, due time.Time) {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				r.unsent(k)
				return
			}
			defer func() { <-slots }()
			r.one(k, due, rand.New(rand.NewPCG(seed, 1)))
		}(k, due)
	}
}

// kindFigures returns the figures of kind k (r.mu held).
func (r *mixRun) kindFigures(k mixKind) *KindFigures {
	c := r.counts[k.name]
	if c == nil {
		c = &KindFigures{Name: k.name, Write: k.write}
		r.counts[k.name] = c
	}
	return c
}

func (r *mixRun) unsent(k mixKind) {
	r.mu.Lock()
	r.kindFigures(k).Unsent++
	r.mu.Unlock()
}

// one sends one request of kind k and records its outcome.
func (r *mixRun) one(k mixKind, due time.Time, rng *rand.Rand) {
	method, path, acc, body, ui, ok := r.request(k.name, rng)
	r.mu.Lock()
	c := r.kindFigures(k)
	r.mu.Unlock()
	if !ok {
		r.mu.Lock()
		c.Skipped++
		r.mu.Unlock()
		return
	}
	status, answer, err := r.send(method, path, acc, body, ui)
	lat := time.Since(due)
	r.mu.Lock()
	defer r.mu.Unlock()
	c.Count++
	var ne interface{ Timeout() bool }
	switch {
	case err != nil && errors.As(err, &ne) && ne.Timeout():
		c.Timeouts++
		return
	case err != nil:
		c.Status5xx++ // a broken connection counts as a server failure
		return
	case status >= 500:
		c.Status5xx++
	case status >= 400:
		c.Status4xx++
	}
	if status >= 400 && c.FirstError == "" {
		c.FirstError = fmt.Sprintf("%d %s", status, answer[:min(len(answer), 160)])
	}
	r.lat[k.name] = append(r.lat[k.name], lat)
}

func (r *mixRun) send(method, path string, acc mixAccount, body []byte, ui bool) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, r.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ui {
		req.AddCookie(&http.Cookie{Name: "relais_session", Value: acc.ui})
	} else {
		req.Header.Set("Authorization", acc.api)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, answer, err
}

// request builds the request of a kind; ok is false when there is nothing
// to act on (no pending offer, no accepted lead).
func (r *mixRun) request(kind string, rng *rand.Rand) (method, path string, acc mixAccount, body []byte, ui, ok bool) {
	reader := r.readers[rng.IntN(len(r.readers))]
	switch kind {
	case "ingest":
		b, err := r.ingestBody(rng)
		return http.MethodPost, "/api/prm/leads/ingest", r.ingest, b, false, err == nil
	case "accept", "decline":
		lead, user, found := r.take(&r.offers, rng)
		if !found {
			return "", "", mixAccount{}, nil, false, false
		}
		a, err := r.account(user)
		if kind == "decline" {
			body = []byte(`{"reason":"capacity","note":"mixed load"}`)
		}
		return http.MethodPost, "/api/prm/leads/" + lead + "/" + kind, a, body, false, err == nil
	case "activity", "api_view", "ui_lead":
		lead, user, found := r.pick(r.accepted, rng)
		if !found {
			return "", "", mixAccount{}, nil, false, false
		}
		a, err := r.account(user)
		switch kind {
		case "activity":
			body, _ = json.Marshal(map[string]any{"lead": lead, "kind": "call", "summary": "Mixed load call " + r.run})
			return http.MethodPost, "/api/collections/activities/records", a, body, false, err == nil
		case "api_view":
			return http.MethodGet, "/api/collections/leads/records/" + lead, a, nil, false, err == nil
		}
		return http.MethodGet, "/leads/" + lead, a, nil, true, err == nil
	case "api_list":
		return http.MethodGet, "/api/collections/leads/records?perPage=50&sort=-created", reader, nil, false, true
	case "ui_list":
		return http.MethodGet, "/leads", reader, nil, true, true
	case "ui_inbox":
		for range 10 {
			if reader.partner != "" {
				break
			}
			reader = r.readers[rng.IntN(len(r.readers))]
		}
		return http.MethodGet, "/inbox", reader, nil, true, reader.partner != ""
	case "ui_report":
		return http.MethodGet, "/dashboard", reader, nil, true, true
	}
	return http.MethodGet, "/", reader, nil, true, true
}

// ingestBody is a lead of this run at the place of an existing lead; half
// of them ready (score ≥ 60: distributed at once).
func (r *mixRun) ingestBody(rng *rand.Rand) ([]byte, error) {
	n := r.seq.Add(1)
	ref := fmt.Sprintf("mixed-%s-%d", r.run, n)
	place := r.places[rng.IntN(len(r.places))]
	score := 40
	if rng.IntN(2) == 0 {
		score = 80
	}
	return json.Marshal(ingestLead{
		Segment: "residential", PostalCode: place[0], City: place[1], Source: "api", SourceRef: ref,
		Score: score, Interest: "Autoconsommation 6 kWc", Consent: true,
		Contact: map[string]any{"first_name": "Jean", "last_name": "Mixte", "email": ref + "@gmail.com", "phone": benchPhone(r.phoneBase + n)},
	})
}

// take removes and returns a random pair of a pool.
func (r *mixRun) take(pool *[][2]string, rng *rand.Rand) (string, string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(*pool) == 0 {
		return "", "", false
	}
	i := rng.IntN(len(*pool))
	p := (*pool)[i]
	(*pool)[i] = (*pool)[len(*pool)-1]
	*pool = (*pool)[:len(*pool)-1]
	return p[0], p[1], true
}

func (r *mixRun) pick(pool [][2]string, rng *rand.Rand) (string, string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(pool) == 0 {
		return "", "", false
	}
	p := pool[rng.IntN(len(pool))]
	return p[0], p[1], true
}

// account returns the tokens of a user, making its sessions on first use.
func (r *mixRun) account(id string) (mixAccount, error) {
	r.mu.Lock()
	a, ok := r.tokens[id]
	r.mu.Unlock()
	if ok {
		return a, nil
	}
	u, err := r.app.FindRecordById("users", id)
	if err != nil {
		return mixAccount{}, err
	}
	a = mixAccount{id: u.Id, role: u.GetString("role"), partner: u.GetString("partner")}
	if a.api, err = sessions.NewToken(r.app, u, sessions.ViaAPI); err != nil {
		return mixAccount{}, err
	}
	if a.ui, err = sessions.NewToken(r.app, u, sessions.ViaUI); err != nil {
		return mixAccount{}, err
	}
	r.mu.Lock()
	r.tokens[id] = a
	r.mu.Unlock()
	return a, nil
}

// loadAccounts picks the ingesting account (an integration account, else
// an admin) and up to users readers: partner accounts of active partners
// and internal accounts, about two partner accounts for one internal.
func (r *mixRun) loadAccounts(users int) error {
	var ids []string
	err := r.app.DB().NewQuery(`SELECT id FROM users WHERE active = 1 AND role IN ('integration', 'admin')
		ORDER BY role = 'integration' DESC, email LIMIT 1`).Column(&ids)
	if err != nil || len(ids) == 0 {
		return fmt.Errorf("bench: mixed: no integration or admin account (%v)", err)
	}
	if r.ingest, err = r.account(ids[0]); err != nil {
		return err
	}
	var partnerIDs, internalIDs []string
	if err := r.app.DB().NewQuery(`SELECT u.id FROM users u JOIN partners p ON p.id = u.partner
		WHERE u.active = 1 AND p.status = 'active' AND u.role IN ('partner_user', 'partner_manager') ORDER BY u.email LIMIT {:n}`).
		Bind(dbx.Params{"n": users * 2 / 3}).Column(&partnerIDs); err != nil {
		return err
	}
	if err := r.app.DB().NewQuery(`SELECT id FROM users WHERE active = 1 AND role IN ('admin', 'channel_manager', 'sales')
		ORDER BY email LIMIT {:n}`).Bind(dbx.Params{"n": max(1, users-len(partnerIDs))}).Column(&internalIDs); err != nil {
		return err
	}
	for _, id := range append(partnerIDs, internalIDs...) {
		a, err := r.account(id)
		if err != nil {
			return err
		}
		r.readers = append(r.readers, a)
	}
	if len(r.readers) == 0 {
		return errors.New("bench: mixed: no active partner or internal account")
	}
	var places []struct {
		PostalCode string `db:"postal_code"`
		City       string `db:"city"`
	}
	if err := r.app.DB().NewQuery("SELECT postal_code, city FROM leads WHERE postal_code != '' AND city != '' LIMIT 200").All(&places); err != nil {
		return err
	}
	for _, p := range places {
		r.places = append(r.places, [2]string{p.PostalCode, p.City})
	}
	if len(r.places) == 0 {
		r.places = [][2]string{{"35000", "Rennes"}}
	}
	return nil
}

// refreshPools reloads up to 500 pending offers (with an active account
// of the offered partner) and 500 accepted leads with their assignee.
func (r *mixRun) refreshPools() error {
	type pair struct {
		Lead string `db:"lead"`
		User string `db:"user"`
	}
	var offers, accepted []pair
	err := r.app.DB().NewQuery(`SELECT o.lead AS lead, (SELECT u.id FROM users u WHERE u.partner = o.partner AND u.active = 1
			AND u.role IN ('partner_user', 'partner_manager') LIMIT 1) AS user
		FROM lead_offers o JOIN partners p ON p.id = o.partner
		WHERE o.outcome = 'pending' AND p.status = 'active' AND user IS NOT NULL ORDER BY o.rowid DESC LIMIT 500`).All(&offers)
	if err != nil {
		return err
	}
	err = r.app.DB().NewQuery(`SELECT l.id AS lead, l.assignee AS user FROM leads l JOIN users u ON u.id = l.assignee
		WHERE l.status = 'accepted' AND u.active = 1 AND u.partner != '' ORDER BY l.rowid DESC LIMIT 500`).All(&accepted)
	if err != nil {
		return err
	}
	conv := func(ps []pair) [][2]string {
		out := make([][2]string, len(ps))
		for i, p := range ps {
			out[i] = [2]string{p.Lead, p.User}
		}
		return out
	}
	r.mu.Lock()
	r.offers, r.accepted = conv(offers), conv(accepted)
	r.mu.Unlock()
	return nil
}

// waiting counts the leads of this run still ready more than a minute
// (one distribution cycle) after their ingest, and all ready leads, and
// splits the former by what the distribution recorded (ClassifyWaiting).
func (r *mixRun) waiting(f *MixedFigures) error {
	now := time.Now()
	cut := now.Add(-DistributionCycle).UTC().Format("2006-01-02 15:04:05.000Z")
	err := r.app.DB().NewQuery(`SELECT
		(SELECT COUNT(*) FROM leads WHERE status = 'ready' AND source_ref LIKE {:run} AND created < {:cut}),
		(SELECT COUNT(*) FROM leads WHERE status = 'ready')`).
		Bind(dbx.Params{"run": "mixed-" + r.run + "-%", "cut": cut}).Row(&f.ReadyWaiting, &f.Ready)
	if err != nil {
		return err
	}
	f.Waits, err = ClassifyWaiting(r.app, "mixed-"+r.run+"-%", now)
	return err
}

// figures computes the percentiles per kind and over reads and writes.
func (r *mixRun) figures(f *MixedFigures) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var reads, writes []time.Duration
	for _, k := range mixKinds {
		c := r.counts[k.name]
		if c == nil {
			c = &KindFigures{Name: k.name, Write: k.write}
		}
		l := r.lat[k.name]
		c.P50, c.P95, c.P99 = Percentile(l, 50), Percentile(l, 95), Percentile(l, 99)
		f.Kinds = append(f.Kinds, *c)
		f.Timeouts += c.Timeouts
		f.Status5xx += c.Status5xx
		if k.write {
			writes = append(writes, l...)
		} else {
			reads = append(reads, l...)
		}
	}
	f.WriteP95, f.ReadP95 = Percentile(writes, 95), Percentile(reads, 95)
}

// PrintMixed writes the figures of a mixed run.
func PrintMixed(w io.Writer, f MixedFigures, o MixedOptions) {
	o.defaults()
	answered := 0
	for _, k := range f.Kinds {
		answered += k.Count
	}
	fmt.Fprintf(w, "Mixed load: %d users, target %.0f req/s, %s; achieved %.1f req/s (%d answered or timed out of %d due, in %s)\n",
		o.Users, o.Rate, o.Duration, float64(answered)/f.Elapsed.Seconds(), answered, f.Done, f.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "Load average: start %s\n              end   %s\n\n", f.LoadStart, f.LoadEnd)
	fmt.Fprintln(w, "| kind | w/r | n | p50 ms | p95 ms | p99 ms | timeouts | 5xx | 4xx | skipped | unsent |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, k := range f.Kinds {
		rw := "r"
		if k.Write {
			rw = "w"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.1f | %.1f | %.1f | %d | %d | %d | %d | %d |\n", k.Name, rw, k.Count,
			ms(k.P50), ms(k.P95), ms(k.P99), k.Timeouts, k.Status5xx, k.Status4xx, k.Skipped, k.Unsent)
	}
	for _, k := range f.Kinds {
		if k.FirstError != "" {
			fmt.Fprintf(w, "first failure of %s: %s\n", k.Name, k.FirstError)
		}
	}
	fmt.Fprintf(w, "\nwrite p95 %.1f ms, read p95 %.1f ms, timeouts %d, 5xx %d\n", ms(f.WriteP95), ms(f.ReadP95), f.Timeouts, f.Status5xx)
	if f.ServerCPU > 0 {
		fmt.Fprintf(w, "server CPU %.1f s during the load, %.2f ms per answered request\n", f.ServerCPU.Seconds(), ms(f.CPUPerRequest))
	}
	fmt.Fprintf(w, "RSS max %.0f MB, at the end %.0f MB", float64(f.RSSMax)/1e6, float64(f.RSSEnd)/1e6)
	if f.RSSIdle > 0 {
		fmt.Fprintf(w, ", after %s idle %.0f MB", o.IdleAfter, float64(f.RSSIdle)/1e6)
	}
	fmt.Fprintf(w, "\nready leads of this run waiting > 60 s: %d (ready leads in all: %d)\n", f.ReadyWaiting, f.Ready)
	printWaits(w, f.Waits)
	fmt.Fprintf(w, "  notifications of leads no partner can take added by the run: %d\n", f.NoCandidateNotes)
	printMemory(w, f)
}
