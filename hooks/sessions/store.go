package sessions

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/stmtcache"
)

// Server-side sessions. PocketBase auth tokens are stateless
// JWTs, valid until they expire (5 days for users) unless the account's
// token key rotates, which ends every session of the account at once: a
// copy of a token kept working after the UI's logout. Relais therefore
// records every session it opens in the relais_sessions table (a plain
// table, created by migration 1763800710) and puts the session's id in
// every token of it (claim "sid", beside PocketBase's own claims, signed
// with the same key: PocketBase still verifies the token). A token is
// accepted only while its session's row exists and is within its timeouts:
//
//   - a session starts at each login: the UI's (NewToken) and the
//     REST API's (password, OTP, OAuth2; the api package's
//     OnRecordAuthRequest hook re-signs PocketBase's token with a new
//     session id: Start); an
//     auth-refresh gives its new token the session of the token it renews,
//     keeping the session's start;
//   - a UI or API session ends when unused for settings_prm
//     session_idle_minutes (default 8 h) or older than session_max_hours
//     (default 24 h); its last use is written at most once a minute;
//   - logout ends it (End: every token of the session, nothing
//     else); a token key rotation (deactivation, password change, "log out
//     everywhere") or the deletion of the account ends all of the account's
//     sessions (EndAll);
//   - a token without a session is refused: a token made by other means
//     (Record.NewAuthToken in Go code, tokens issued before this table
//     existed) cannot be logged out, so it is not accepted. Go code issues
//     tokens with NewToken.
//
// Static tokens (impersonation by a superuser, the installer link) are
// sessions of their own without idle or absolute timeout: a superuser
// chose their lifetime (an API key); they end with it, or like any other
// session. Tokens themselves are never stored.

// Session kinds (the via column).
const (
	ViaUI     = "ui"     // the web UI's cookie
	ViaAPI    = "api"    // a REST login (or a token made by NewToken for a program)
	ViaStatic = "static" // a static token: impersonation, the installer link
)

// Why a token no longer opens a session (the code of the 401 answer).
const (
	Revoked = "session_revoked"
	Expired = "session_expired"
)

// lastSeenEvery is how stale a session's last use may be: it is written
// at most once per period, not on every request.
const lastSeenEvery = time.Minute

// Session is a recorded session.
type Session struct {
	ID         string
	Collection string // auth collection id
	Record     string // auth record id
	Via        string
	Created    time.Time
	LastSeen   time.Time
}

// Limits are the idle and absolute timeouts of UI and API sessions.
type Limits struct {
	Idle time.Duration
	Max  time.Duration
}

// LoadLimits returns the timeouts of settings_prm (an error when
// the settings cannot be read: callers fail closed).
func LoadLimits(app core.App) (Limits, error) {
	s, err := access.LoadSettings(app)
	if err != nil {
		return Limits{}, err
	}
	return Limits{Idle: time.Duration(s.SessionIdleMinutes) * time.Minute, Max: time.Duration(s.SessionMaxHours) * time.Hour}, nil
}

// Expired reports whether s is over its idle or absolute timeout at now.
// Static sessions have neither.
func (s Session) Expired(l Limits, now time.Time) bool {
	if s.Via == ViaStatic {
		return false
	}
	return now.Sub(s.LastSeen) > l.Idle || now.Sub(s.Created) > l.Max
}

// sessionClaim is the token claim that holds the session id.
const sessionClaim = "sid"

// withSession returns token, an auth token PocketBase just issued to user,
// with the session id added to its claims: the same claims otherwise
// (type, id, collection, refreshable and expiry: NewJWT keeps the given
// exp) signed with the same key as PocketBase's (the record's token key
// and the collection's secret).
func withSession(user *core.Record, token, id string) (string, time.Time, error) {
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return "", time.Time{}, err
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return "", time.Time{}, fmt.Errorf("sessions: token without a valid expiry: %v", err)
	}
	claims[sessionClaim] = id
	signed, err := security.NewJWT(claims, user.TokenKey()+user.Collection().AuthToken.Secret, 0)
	return signed, exp.Time, err
}

// sessionIDOf returns the session id of a token ("" when it has none). It
// does not verify the token: callers pass a token that authenticated.
func sessionIDOf(token string) string {
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return ""
	}
	id, _ := claims[sessionClaim].(string)
	return id
}

// Start opens a session for token, an auth token PocketBase just
// issued to user (via: ViaUI, ViaAPI or ViaStatic),
// and returns the token to hand out instead: the same with the session id.
func Start(app core.App, user *core.Record, token, via string, now time.Time) (string, Session, error) {
	s := Session{ID: security.RandomString(24), Collection: user.Collection().Id, Record: user.Id, Via: via, Created: now, LastSeen: now}
	signed, exp, err := withSession(user, token, s.ID)
	if err != nil {
		return "", Session{}, err
	}
	_, err = app.DB().NewQuery(`INSERT INTO relais_sessions (id, collection, record, via, created, last_seen, expires)
		VALUES ({:id}, {:c}, {:r}, {:v}, {:created}, {:seen}, {:exp})`).Bind(dbx.Params{
		"id": s.ID, "c": s.Collection, "r": s.Record, "v": s.Via,
		"created": s.Created.Unix(), "seen": s.LastSeen.Unix(), "exp": exp.Unix(),
	}).Execute()
	if err != nil {
		return "", Session{}, err
	}
	return signed, s, nil
}

// NewToken issues an auth token of user in a new session: how Go
// code (the UI login, tests, benchmarks) makes tokens, since a token
// without a session is refused.
func NewToken(app core.App, user *core.Record, via string) (string, error) {
	token, err := user.NewAuthToken()
	if err != nil {
		return "", err
	}
	token, _, err = Start(app, user, token, via, time.Now())
	return token, err
}

// findSession returns a session by id (sql.ErrNoRows when none).
func findSession(app core.App, id string) (Session, error) {
	var row struct {
		Collection string `db:"collection"`
		Record     string `db:"record"`
		Via        string `db:"via"`
		Created    int64  `db:"created"`
		LastSeen   int64  `db:"last_seen"`
	}
	err := stmtcache.Query(app.ConcurrentDB(), "SELECT collection, record, via, created, last_seen FROM relais_sessions WHERE id = {:id}").
		Bind(dbx.Params{"id": id}).One(&row)
	if err != nil {
		return Session{}, err
	}
	return Session{ID: id, Collection: row.Collection, Record: row.Record, Via: row.Via,
		Created: time.Unix(row.Created, 0), LastSeen: time.Unix(row.LastSeen, 0)}, nil
}

// sessionOf returns the session of token if it exists and belongs to auth
// (ok false otherwise).
func sessionOf(app core.App, auth *core.Record, token string) (s Session, ok bool, err error) {
	id := sessionIDOf(token)
	if id == "" {
		return Session{}, false, nil
	}
	s, err = findSession(app, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, err
	}
	return s, s.Record == auth.Id && s.Collection == auth.Collection().Id, nil
}

// Check tells whether token, which authenticated auth (PocketBase
// verified it), opens a live session at now. It returns the session and
// "" when it does (and records the use, at most once a minute);
// SessionRevoked when the token has no session (logged out, ended
// everywhere, or a token Relais did not issue); SessionExpired when the
// session is over a timeout (it is then ended). An error is a database
// error: the caller must fail closed.
func Check(app core.App, auth *core.Record, token string, now time.Time) (Session, string, error) {
	return check(app, auth, token, now, true)
}

// Peek is Check without recording a use: what a background poll of a
// page (the unread count) calls, so that a tab left open does not keep
// its session from going idle.
func Peek(app core.App, auth *core.Record, token string, now time.Time) (Session, string, error) {
	return check(app, auth, token, now, false)
}

func check(app core.App, auth *core.Record, token string, now time.Time, use bool) (Session, string, error) {
	s, ok, err := sessionOf(app, auth, token)
	if err != nil {
		return Session{}, "", err
	}
	if !ok {
		return Session{}, Revoked, nil
	}
	limits, err := LoadLimits(app)
	if err != nil {
		return Session{}, "", err
	}
	if s.Expired(limits, now) {
		if err := endSessions(app, []string{s.ID}); err != nil {
			return Session{}, "", err
		}
		return Session{}, Expired, nil
	}
	if use && now.Sub(s.LastSeen) >= lastSeenEvery {
		if _, err := stmtcache.Query(app.DB(), "UPDATE relais_sessions SET last_seen = {:t} WHERE id = {:id}").
			Bind(dbx.Params{"t": now.Unix(), "id": s.ID}).Execute(); err != nil {
			return Session{}, "", err
		}
		s.LastSeen = now
	}
	return s, "", nil
}

// ErrGone refuses to renew a token whose session has ended.
var ErrGone = errors.New("sessions: the session of this token has ended")

// Renew returns token, a renewal PocketBase just issued for old
// (auth-refresh), in old's session: the session keeps its start (the
// absolute timeout holds across refreshes), is used now and lasts as long
// as its newest token.
func Renew(app core.App, user *core.Record, old, token string, now time.Time) (string, error) {
	s, ok, err := sessionOf(app, user, old)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrGone
	}
	signed, exp, err := withSession(user, token, s.ID)
	if err != nil {
		return "", err
	}
	_, err = app.DB().NewQuery("UPDATE relais_sessions SET last_seen = {:t}, expires = MAX(expires, {:exp}) WHERE id = {:id}").
		Bind(dbx.Params{"t": now.Unix(), "exp": exp.Unix(), "id": s.ID}).Execute()
	return signed, err
}

// End ends the session of token, which authenticated auth: every
// token of it (a login and its refreshes), no other session of the
// account. Its realtime subscriptions lose their authentication. Ending a
// session that no longer exists is not an error.
func End(app core.App, auth *core.Record, token string) error {
	s, ok, err := sessionOf(app, auth, token)
	if err != nil || !ok {
		return err
	}
	return endSessions(app, []string{s.ID})
}

// EndAll ends every session of an auth record (log out
// everywhere).
func EndAll(app core.App, record *core.Record) error {
	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM relais_sessions WHERE record = {:r} AND collection = {:c}").
		Bind(dbx.Params{"r": record.Id, "c": record.Collection().Id}).Column(&ids); err != nil {
		return err
	}
	return endSessions(app, ids)
}

// EndByID ends one session by its id: the session a login started when
// the login then failed (MFA required, a later refusal).
func EndByID(app core.App, id string) error { return endSessions(app, []string{id}) }

// endSessions deletes the given sessions and unsets the auth of the
// realtime clients they authenticated.
func endSessions(app core.App, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	in := make([]any, len(ids))
	for i, id := range ids {
		in[i] = id
	}
	if _, err := app.DB().Delete("relais_sessions", dbx.In("id", in...)).Execute(); err != nil {
		return err
	}
	dropRealtimeSessions(app, ids)
	return nil
}

// Purge ends at now the sessions whose newest token has expired
// or that are over a timeout, and returns how many ended.
func Purge(app core.App, now time.Time) (int, error) {
	l, err := LoadLimits(app)
	if err != nil {
		return 0, fmt.Errorf("sessions: purge: %w", err)
	}
	var ids []string
	err = app.DB().NewQuery("SELECT id FROM relais_sessions WHERE expires <= {:now} OR (via != {:static} AND (last_seen < {:idle} OR created < {:max}))").
		Bind(dbx.Params{"now": now.Unix(), "idle": now.Add(-l.Idle).Unix(), "max": now.Add(-l.Max).Unix(), "static": ViaStatic}).
		Column(&ids)
	if err != nil {
		return 0, fmt.Errorf("sessions: purge: %w", err)
	}
	if err := endSessions(app, ids); err != nil {
		return 0, fmt.Errorf("sessions: purge: %w", err)
	}
	return len(ids), nil
}

// RealtimeSessionKey is the realtime client store key of the session that
// authenticated its subscriptions (set by the api package's subscribe
// hook).
const RealtimeSessionKey = "relais.session"

// realtimeClientAuthKey is PocketBase's realtime client store key of the
// client's auth (apis.RealtimeClientAuthKey, checked by a test).
const realtimeClientAuthKey = "auth"

// dropRealtimeSessions unsets the auth of the realtime clients of ended
// sessions: they stay connected as guests, as PocketBase does when a token
// key rotates, and must subscribe again with a live token.
func dropRealtimeSessions(app core.App, ids []string) {
	if len(ids) == 0 {
		return
	}
	ended := make(map[string]bool, len(ids))
	for _, id := range ids {
		ended[id] = true
	}
	for _, c := range app.SubscriptionsBroker().Clients() {
		if id, _ := c.Get(RealtimeSessionKey).(string); id != "" && ended[id] {
			c.Unset(realtimeClientAuthKey)
			c.Unset(RealtimeSessionKey)
		}
	}
}

// EndWhenKeyRotates ends every session of an auth record whose update
// rotates its token key (deactivation, password change, new role or
// partner: log out everywhere). Bind it to OnRecordUpdate of the auth
// collections.
func EndWhenKeyRotates(e *core.RecordEvent) error {
	var oldKey string
	if err := e.App.DB().Select(core.FieldNameTokenKey).From(e.Record.Collection().Name).
		Where(dbx.HashExp{"id": e.Record.Id}).Row(&oldKey); err != nil {
		return err
	}
	if err := e.Next(); err != nil {
		return err
	}
	if e.Record.TokenKey() != oldKey {
		return EndAll(e.App, e.Record)
	}
	return nil
}

// EndWhenDeleted ends every session of a deleted auth record. Bind it to
// OnRecordDelete of the auth collections.
func EndWhenDeleted(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	return EndAll(e.App, e.Record)
}

// PurgeCronID is the job that purges ended sessions (under serve, every
// ten minutes).
const PurgeCronID = "relaisSessions"
