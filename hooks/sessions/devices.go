package sessions

import (
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// maxUserAgent bounds the user agent kept for a session (client input).
const maxUserAgent = 300

// Device is a live session as its owner sees it on the profile page: the
// browser or program that opened it, from where, when it started and when
// it was last used.
type Device struct {
	ID        string
	Via       string
	UserAgent string
	IP        string
	Created   time.Time
	LastSeen  time.Time
	Current   bool // the session of the token the list was asked with
}

// SetDevice records the user agent and the address of the session of
// token (a token Start or NewToken just issued). A token without a session
// changes nothing.
func SetDevice(app core.App, token, userAgent, ip string) error {
	id := sessionIDOf(token)
	if id == "" {
		return nil
	}
	_, err := app.DB().Update("relais_sessions",
		dbx.Params{"user_agent": truncateRunes(userAgent, maxUserAgent), "ip": truncateRunes(ip, 64)},
		dbx.HashExp{"id": id}).Execute()
	return err
}

// Devices lists the live sessions of an auth record at now, the most
// recently used first; the session of current (the caller's token) is
// marked. Sessions over a timeout are left out (the purge job ends them).
func Devices(app core.App, record *core.Record, current string, now time.Time) ([]Device, error) {
	limits, err := LoadLimits(app)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID        string `db:"id"`
		Via       string `db:"via"`
		UserAgent string `db:"user_agent"`
		IP        string `db:"ip"`
		Created   int64  `db:"created"`
		LastSeen  int64  `db:"last_seen"`
	}
	err = app.DB().NewQuery(`SELECT id, via, user_agent, ip, created, last_seen FROM relais_sessions
		WHERE record = {:r} AND collection = {:c} AND expires > {:now} ORDER BY last_seen DESC, created DESC`).
		Bind(dbx.Params{"r": record.Id, "c": record.Collection().Id, "now": now.Unix()}).All(&rows)
	if err != nil {
		return nil, err
	}
	cur := sessionIDOf(current)
	out := make([]Device, 0, len(rows))
	for _, r := range rows {
		s := Session{ID: r.ID, Via: r.Via, Created: time.Unix(r.Created, 0), LastSeen: time.Unix(r.LastSeen, 0)}
		if s.Expired(limits, now) {
			continue
		}
		out = append(out, Device{ID: r.ID, Via: r.Via, UserAgent: r.UserAgent, IP: r.IP,
			Created: s.Created, LastSeen: s.LastSeen, Current: cur != "" && r.ID == cur})
	}
	return out, nil
}

// truncateRunes cuts s to at most n bytes without splitting a character.
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Count returns the number of recorded sessions of an auth record.
func Count(app core.App, record *core.Record) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM relais_sessions WHERE record = {:r} AND collection = {:c}").
		Bind(dbx.Params{"r": record.Id, "c": record.Collection().Id}).Row(&n)
	return n, err
}
