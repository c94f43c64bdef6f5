package hooks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/internal/testapp"
)

// blockMail makes the app's mail server hang: every send waits until
// release is called (counted in entered).
func blockMail(t *testing.T, app core.App) (entered *atomic.Int32, release func()) {
	t.Helper()
	entered = &atomic.Int32{}
	ch := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	t.Cleanup(release)
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		entered.Add(1)
		<-ch
		return e.Next()
	})
	return entered, release
}

// farms are the companies of the leads ingested by the outbox tests
// (distinct duplicate keys: none is held as a duplicate of another).
var farms = []string{"Kerlann", "Morvan", "Guivarch", "Le Bihan", "Tanguy", "Quéré", "Prigent", "Jaouen", "Cadiou", "Abgrall"}

// ingestAsync sends a ready lead (company "Ferme <farms[i]>") to the
// ingest and returns the channel of its status.
func ingestAsync(w *world, ref string, i int) <-chan int {
	out := make(chan int, 1)
	b := ingestBody(ref)
	b["score"] = 80
	b["company"] = "Ferme " + farms[i]
	b["contact"] = map[string]any{"last_name": "Lent", "email": "contact@" + strings.ToLower(ref) + ".fr"}
	go func() {
		out <- w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b).Status
	}()
	return out
}

// A mail server that hangs delays the e-mails, never the writes: a ready
// lead's ingest is answered while the offer's e-mail is stuck at the
// server, and so is a group of concurrent ingests committed together;
// once the server answers, every e-mail recorded is sent exactly once.
func TestHangingMailServerDoesNotDelayGroupedIngests(t *testing.T) {
	w, _ := distWorld(t)
	entered, release := blockMail(t, w.app)
	stop := notify.StartSender(w.app)
	defer stop()
	defer release()

	first := ingestAsync(w, "SLOW-0", 0)
	require.Eventually(t, func() bool { return entered.Load() == 1 }, 10*time.Second, 5*time.Millisecond, "the offer's e-mail reaches the server")
	select {
	case status := <-first:
		require.Equal(t, http.StatusCreated, status)
	case <-time.After(5 * time.Second):
		t.Fatal("the ingest waits for the mail server")
	}

	const k = 8
	before := groupcommit.For(w.app).Stats()
	releaseWriter, held := holdWriter(t, w.app)
	answers := make([]<-chan int, k)
	for i := range k {
		answers[i] = ingestAsync(w, fmt.Sprintf("SLOW-%d", i+1), i+1)
	}
	waitQueued(t, w.app, k)
	start := time.Now()
	releaseWriter()
	require.NoError(t, <-held)
	for i, a := range answers {
		select {
		case status := <-a:
			assert.Equal(t, http.StatusCreated, status, "ingest %d", i+1)
		case <-time.After(10 * time.Second):
			t.Fatalf("grouped ingest %d waits for the mail server", i+1)
		}
	}
	elapsed := time.Since(start)
	assert.GreaterOrEqual(t, groupcommit.For(w.app).Stats().Grouped-before.Grouped, k, "the ingests were committed as one group")
	assert.Equal(t, int32(1), entered.Load(), "the server still holds the first e-mail")
	t.Logf("%d grouped ingests answered in %s with the mail server hanging", k, elapsed)
	offered := countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'SLOW-%' AND status = 'offered'")
	require.Equal(t, k+1, offered, "every lead was offered")
	require.GreaterOrEqual(t, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'"), k, "their e-mails wait in the outbox")

	release()
	require.Eventually(t, func() bool {
		return countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'") == 0
	}, 20*time.Second, 10*time.Millisecond, "the outbox empties once the server answers")
	sent := countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'")
	require.Positive(t, sent)
	msgs := w.app.TestMailer.Messages()
	assert.Len(t, msgs, sent, "one e-mail per row sent")
	seen := map[string]bool{}
	for _, m := range msgs {
		key := m.To[0].Address + "\n" + m.Text
		assert.False(t, seen[key], "sent twice: %s", key)
		seen[key] = true
	}
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	for i := range k + 1 {
		assert.Contains(t, strings.Join(subjects, "\n"), "Ferme "+farms[i], "the offer of SLOW-%d is mailed", i)
	}
}

// The outbox survives a restart: e-mails recorded and not sent before the
// stop are sent once by the sender of the next start, those already sent
// are not sent again.
func TestMailOutboxSentOnceAfterRestart(t *testing.T) {
	w, _ := distWorld(t)
	require.Equal(t, http.StatusCreated, <-ingestAsync(w, "RESTART-A", 0))
	flushMail(t, w) // sent before the stop
	sentBefore := len(w.app.TestMailer.Messages())
	require.Positive(t, sentBefore)
	require.Equal(t, http.StatusCreated, <-ingestAsync(w, "RESTART-B", 1)) // stopped before its e-mails went
	pending := countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'")
	require.Positive(t, pending)
	sentRows := countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'")
	require.Equal(t, sentBefore, sentRows)
	_, err := w.app.DB().NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute()
	require.NoError(t, err)

	app2 := testapp.New(t, w.app.DataDir()) // the data dir as the stop left it
	stop := notify.StartSender(app2)
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, app2.DB().NewQuery("SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'").Row(&n))
		return n == 0
	}, 10*time.Second, 10*time.Millisecond)
	stop()
	require.NoError(t, notify.SendPending(app2))
	var sentAfter int
	require.NoError(t, app2.DB().NewQuery("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'").Row(&sentAfter))
	require.Greater(t, sentAfter, sentRows)
	msgs := app2.TestMailer.Messages()
	require.Len(t, msgs, sentAfter-sentRows, "each pending e-mail sent once after the restart")
	for _, m := range msgs {
		assert.Contains(t, m.Subject, "Ferme "+farms[1], "only the e-mails not sent before the stop")
	}
	assert.Len(t, w.app.TestMailer.Messages(), sentBefore)
}

// A mail server that refuses: each failure is retried after its backoff,
// not before; the sender gives up after MaxAttempts and records the
// failure; a later success sends the e-mail once.
func TestMailOutboxRetriesThenGivesUp(t *testing.T) {
	w := newWorld(t)
	var refuse atomic.Bool
	refuse.Store(true)
	w.app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		if refuse.Load() {
			return errors.New("451 try again later")
		}
		return e.Next()
	})
	require.NoError(t, notify.Send(w.app, w.uid("partner_user"), "offer", "", notify.Msg("back_to_pool", "lead", "Retry", "city", "Rennes")))
	var row struct {
		ID        string `db:"id"`
		Status    string `db:"status"`
		Attempts  int    `db:"attempts"`
		NextAt    string `db:"next_at"`
		LastError string `db:"last_error"`
	}
	read := func() {
		require.NoError(t, w.app.DB().NewQuery("SELECT id, status, attempts, next_at, last_error FROM mail_outbox").One(&row))
	}
	clock := time.Now()
	now := func() time.Time { return clock }
	for attempt := 1; attempt <= notify.MaxAttempts; attempt++ {
		n, err := notify.SendDue(context.Background(), w.app, now)
		require.NoError(t, err)
		require.Equal(t, 1, n, "attempt %d", attempt)
		read()
		assert.Equal(t, attempt, row.Attempts)
		assert.Contains(t, row.LastError, "451 try again later")
		if attempt < notify.MaxAttempts {
			assert.Equal(t, notify.MailPending, row.Status)
			clock = clock.Add(notify.Backoff(attempt) - time.Second)
			n, err = notify.SendDue(context.Background(), w.app, now)
			require.NoError(t, err)
			assert.Zero(t, n, "not before its backoff")
			clock = clock.Add(time.Second)
		}
	}
	assert.Equal(t, notify.MailFailed, row.Status, "given up")
	refuse.Store(false)
	clock = clock.Add(24 * time.Hour)
	n, err := notify.SendDue(context.Background(), w.app, now)
	require.NoError(t, err)
	assert.Zero(t, n, "a failed e-mail is not tried again")
	assert.Zero(t, w.app.TestMailer.TotalSend())

	// a failure then a success: sent once
	require.NoError(t, notify.Send(w.app, w.uid("partner_user_b"), "offer", "", notify.Msg("back_to_pool", "lead", "Retry", "city", "Brest")))
	refuse.Store(true)
	_, err = notify.SendDue(context.Background(), w.app, now)
	require.NoError(t, err)
	refuse.Store(false)
	clock = clock.Add(notify.Backoff(1))
	_, err = notify.SendDue(context.Background(), w.app, now)
	require.NoError(t, err)
	assert.Equal(t, 1, w.app.TestMailer.TotalSend())
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND attempts = 2 AND last_error = ''"))
}

func TestMailBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 32 * time.Minute}, {8, time.Hour}, {50, time.Hour}} {
		assert.Equal(t, tc.want, notify.Backoff(tc.n), "after %d failures", tc.n)
	}
}

// The outbox keeps no one: its rows hold ids only (the address and the
// text are read when the e-mail is sent), they go with their user (and
// their notification), and the rows of e-mails done are purged after
// OutboxRetention.
func TestMailOutboxForgetsUsersAndOldRows(t *testing.T) {
	w := newWorld(t)
	c, err := w.app.FindCollectionByNameOrId(notify.OutboxCollection)
	require.NoError(t, err)
	for _, f := range c.Fields {
		assert.NotEqual(t, core.FieldTypeEmail, f.Type(), f.GetName())
		if f.Type() == core.FieldTypeText {
			assert.Contains(t, []string{"id", "last_error"}, f.GetName(), "no text but the last error")
		}
	}
	gone := w.addUser("gone", roles.PartnerUser, "P1")
	stay := w.uid("partner_user")
	for _, u := range []string{gone.Id, stay} {
		require.NoError(t, notify.Send(w.app, u, "offer", "", notify.Msg("back_to_pool", "lead", "Erase", "city", "Rennes")))
	}
	q := "SELECT COUNT(*) FROM mail_outbox o JOIN notifications n ON n.id = o.notification WHERE n.user = {:u}"
	require.Equal(t, 1, countRows(t, w, q, dbx.Params{"u": gone.Id}))
	require.NoError(t, w.app.Delete(gone))
	assert.Equal(t, 0, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE notification NOT IN (SELECT id FROM notifications)"), "no row of a deleted user left")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox"), "the other user's row stays")

	flushMail(t, w)
	require.NoError(t, notify.Send(w.app, stay, "offer", "", notify.Msg("back_to_pool", "lead", "Later", "city", "Brest")))
	n, err := notify.PurgeOutbox(w.app, time.Now().Add(notify.OutboxRetention-time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "kept during the retention")
	n, err = notify.PurgeOutbox(w.app, time.Now().Add(notify.OutboxRetention+time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "the sent row is purged after the retention")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'"), "a pending e-mail is never purged")
}

// mail_outbox is superuser-only: no role, no guest reads or writes it
// through the API; a superuser does (the control).
func TestMailOutboxSuperuserOnly(t *testing.T) {
	w := newWorld(t)
	require.NoError(t, notify.Send(w.app, w.uid("partner_user"), "offer", "", notify.Msg("back_to_pool", "lead", "Canari", "city", "Rennes")))
	var id, nid string
	require.NoError(t, w.app.DB().NewQuery("SELECT id, notification FROM mail_outbox").Row(&id, &nid))
	callers := map[string]string{"guest": ""}
	for k, tok := range w.tokens {
		callers[k] = tok
	}
	coll := notify.OutboxCollection
	for who, tok := range callers {
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, url(coll), nil},
			{http.MethodGet, url(coll) + "?filter=" + urlQuery("notification.user != ''"), nil},
			{http.MethodGet, url(coll, id), nil},
			{http.MethodPost, url(coll), map[string]any{"notification": nid, "part": "user", "status": "pending"}},
			{http.MethodPatch, url(coll, id), map[string]any{"status": "sent"}},
			{http.MethodDelete, url(coll, id), nil},
			{http.MethodGet, url("notifications") + "?expand=mail_outbox_via_notification", nil},
		} {
			res := w.client.Do(r.method, r.path, tok, r.body)
			if strings.Contains(r.path, "/notifications/") {
				assert.NotContains(t, res.Body, id, "%s %s %s", who, r.method, r.path)
				continue
			}
			assert.GreaterOrEqual(t, res.Status, 400, "%s %s %s: %s", who, r.method, r.path, res.Body)
			assert.NotContains(t, res.Body, id, "%s %s %s", who, r.method, r.path)
		}
	}
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'pending'"), "unchanged")
	res := w.client.Do(http.MethodGet, url(coll), w.superToken(), nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, id, "the control: a superuser lists the outbox")
}

// The language of a company address looks the user up by e-mail whatever
// its case through idx_users_email_nocase, not by scanning the users.
func TestAddressLangUsesTheNocaseIndex(t *testing.T) {
	w := newWorld(t)
	var plan []struct {
		Detail string `db:"detail"`
	}
	require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN "+notify.AddressLangSQL).
		Bind(dbx.Params{"a": "DEVIS@Example.fr", "p": w.P1, "role": roles.PartnerManager}).All(&plan))
	var details []string
	for _, p := range plan {
		details = append(details, p.Detail)
	}
	t.Logf("plan: %q", details)
	assert.Contains(t, details, "SEARCH users USING INDEX idx_users_email_nocase (email=?)")
	for _, d := range details {
		assert.False(t, strings.HasPrefix(d, "SCAN users"), "a scan of the users: %q", details)
	}
}
