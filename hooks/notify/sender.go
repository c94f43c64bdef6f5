package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// MaxAttempts is how many times an e-mail is tried before the sender gives
// up on it (status failed, the last error kept for OutboxRetention).
const MaxAttempts = 8

// OutboxRetention is how long the rows of sent, skipped and failed
// e-mails are kept before PurgeOutbox deletes them.
const OutboxRetention = 7 * 24 * time.Hour

// SendTimeout bounds one attempt: a mail server that does not answer
// makes it a failed attempt (retried later) instead of stalling the
// sender. PocketBase's SMTP client has no timeout of its own.
const SendTimeout = time.Minute

// senderPollEvery is how often the running sender looks for e-mails
// whose retry time came (new ones wake it at once: Kick).
const senderPollEvery = 15 * time.Second

// purgeEvery is how often the running sender purges old rows.
const purgeEvery = time.Hour

// sendBatch is how many due e-mails are sent before their outcomes are
// recorded in one transaction (one commit of the single writer per
// batch rather than per e-mail; a crash in between sends them again).
const sendBatch = 10

// Backoff is the wait after the n-th failed attempt of an e-mail: 30 s,
// 1, 2, 4 … minutes, at most an hour.
func Backoff(n int) time.Duration {
	if n < 1 {
		return 0
	}
	if n > 8 {
		return time.Hour
	}
	return min(30*time.Second<<(n-1), time.Hour)
}

// sender is the e-mail sender of one app (in its store): one pass at a
// time, whoever runs it (the background sender or SendPending).
type sender struct {
	pass sync.Mutex
	kick chan struct{}
}

// senderOf returns app's sender state.
func senderOf(app core.App) *sender {
	return app.Store().GetOrSet("relais.mailout", func() any { return &sender{kick: make(chan struct{}, 1)} }).(*sender)
}

// outboxRow is a due e-mail (due rows are read oldest first, the user's
// e-mail before its copy, as they were sent before the outbox).
type outboxRow struct {
	ID           string `db:"id"`
	Notification string `db:"notification"`
	Part         string `db:"part"`
	Attempts     int    `db:"attempts"`
}

// outcome is the result of one attempt.
type outcome struct {
	row    outboxRow
	status string
	err    error
}

// SendDue sends the due e-mails of the outbox, oldest first, until none
// is due or ctx ends, and returns how many it tried. An e-mail is due
// when it is pending and its next attempt time (now) has come. A failed
// attempt is tried again after Backoff(attempts), up to MaxAttempts.
func SendDue(ctx context.Context, app core.App, now func() time.Time) (int, error) {
	s := senderOf(app)
	s.pass.Lock()
	defer s.pass.Unlock()
	tried := 0
	seen := map[string]bool{} // a row is tried once per call, whatever happens to its update
	for ctx.Err() == nil {
		var rows []outboxRow
		err := app.DB().NewQuery(`SELECT id, notification, part, attempts FROM mail_outbox
			WHERE status = 'pending' AND next_at <= {:now} ORDER BY next_at, created, part DESC, id LIMIT {:n}`).
			Bind(dbx.Params{"now": dateText(now()), "n": sendBatch}).All(&rows)
		if err != nil {
			return tried, err
		}
		rows = slices.DeleteFunc(rows, func(r outboxRow) bool { return seen[r.ID] })
		if len(rows) == 0 {
			return tried, nil
		}
		outs := make([]outcome, 0, len(rows))
		for _, r := range rows {
			seen[r.ID] = true
			status, err := deliver(app, r)
			outs = append(outs, outcome{row: r, status: status, err: err})
			if ctx.Err() != nil {
				break
			}
		}
		tried += len(outs)
		if err := record(app, outs, now()); err != nil {
			return tried, err
		}
	}
	return tried, nil
}

// deliver writes and sends the e-mail of one row: MailSent, MailSkipped
// (nothing to send), or an error (a failed attempt).
func deliver(app core.App, r outboxRow) (string, error) {
	n, err := app.FindRecordById("notifications", r.Notification)
	if errors.Is(err, sql.ErrNoRows) {
		return MailSkipped, nil // deleted meanwhile (its rows follow it)
	}
	if err != nil {
		return "", err
	}
	compose := userMail
	if r.Part == PartCopy {
		compose = copyMail
	}
	msg, ok, err := compose(app, n)
	if err != nil {
		return "", err
	}
	if !ok {
		return MailSkipped, nil
	}
	if err := sendWithin(app, msg, SendTimeout); err != nil {
		return "", err
	}
	return MailSent, nil
}

// errSendTimeout is an attempt the mail server did not answer in time.
var errSendTimeout = errors.New("mail server did not answer in time")

// sendWithin sends msg with the app's mail client (SMTP when enabled in
// the settings, else sendmail; PocketBase's mailer hooks run), waiting at
// most d for it.
func sendWithin(app core.App, msg *mailer.Message, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- app.NewMailClient().Send(msg) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errSendTimeout
	}
}

// record stores the outcomes of a batch in one transaction and logs the
// failures.
func record(app core.App, outs []outcome, at time.Time) error {
	ts := dateText(at)
	return app.RunInTransaction(func(tx core.App) error {
		for _, o := range outs {
			q := tx.DB().NewQuery("UPDATE mail_outbox SET status = {:s}, attempts = attempts + 1, last_error = '', sent_at = {:at}, updated = {:at} WHERE id = {:id}").
				Bind(dbx.Params{"s": o.status, "at": ts, "id": o.row.ID})
			if o.err != nil {
				attempts := o.row.Attempts + 1
				status := MailPending
				if attempts >= MaxAttempts {
					status = MailFailed
				}
				msg := o.err.Error()
				if len(msg) > 500 {
					msg = msg[:500]
				}
				app.Logger().Warn("notification e-mail not sent", "notification", o.row.Notification, "part", o.row.Part,
					"attempt", attempts, "status", status, "error", o.err)
				q = tx.DB().NewQuery("UPDATE mail_outbox SET status = {:s}, attempts = {:a}, last_error = {:e}, next_at = {:next}, updated = {:at} WHERE id = {:id}").
					Bind(dbx.Params{"s": status, "a": attempts, "e": msg, "next": dateText(at.Add(Backoff(attempts))), "at": ts, "id": o.row.ID})
			}
			if _, err := q.Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// PurgeOutbox deletes the rows of e-mails sent, skipped or given up more
// than OutboxRetention before now, and returns how many.
func PurgeOutbox(app core.App, now time.Time) (int64, error) {
	res, err := app.DB().NewQuery("DELETE FROM mail_outbox WHERE status != 'pending' AND updated < {:before}").
		Bind(dbx.Params{"before": dateText(now.Add(-OutboxRetention))}).Execute()
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SendPending sends every e-mail due now and waits until done (tests, and
// callers that must not wait for the background sender).
func SendPending(app core.App) error {
	_, err := SendDue(context.Background(), app, time.Now)
	return err
}

// StartSender runs app's e-mail sender in the background: it sends the due
// e-mails when a notification commits (Kick), every senderPollEvery for
// the retries, and purges old rows every purgeEvery. The outbox is in the
// database: e-mails recorded before a crash or a stop are sent after the
// next start. stop ends it and waits for the attempt in progress (at
// most SendTimeout).
func StartSender(app core.App) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	kick := senderOf(app).kick
	go func() {
		defer close(done)
		t := time.NewTicker(senderPollEvery)
		defer t.Stop()
		var purged time.Time
		for {
			if _, err := SendDue(ctx, app, time.Now); err != nil && ctx.Err() == nil {
				app.Logger().Error("notification e-mails: sender", "error", err)
			}
			if time.Since(purged) >= purgeEvery {
				purged = time.Now()
				if _, err := PurgeOutbox(app, purged); err != nil {
					app.Logger().Error("notification e-mails: purge", "error", fmt.Errorf("mail_outbox: %w", err))
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-kick:
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
}
