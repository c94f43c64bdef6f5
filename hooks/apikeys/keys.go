package apikeys

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/roles"
)

// Audit actions of the keys.
const (
	ActionCreate = "api_key.create"
	ActionRevoke = "api_key.revoke"
	// ActionUse is written at the first use of a key in each minute
	// (UseAuditEvery), not on every request: an integration pushing
	// hundreds of leads a second would flood the log.
	ActionUse = "api_key.use"
)

// UseAuditEvery is how often at most the use of one key is audited (and
// its last_used_at written).
const UseAuditEvery = time.Minute

// keyPrefix starts every key: it tells a key from a PocketBase token (a
// JWT starts with "eyJ") in the Authorization header.
const keyPrefix = "rlk_"

// ErrInvalid is the error of an unknown or revoked key (one error for
// both: the caller learns nothing about which).
var ErrInvalid = errors.New("invalid API key")

// Key is a key as a request uses it.
type Key struct {
	ID, Name, User string
	Scopes         []string
}

// IsKey reports whether a bearer token is shaped like a Relais API key.
func IsKey(token string) bool { return strings.HasPrefix(token, keyPrefix) }

// Hash is the stored form of a key: its SHA-256, hex-encoded.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// newKey returns a new key: the prefix and 32 random bytes, base64url.
func newKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return keyPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// Create makes a key for an integration account and returns it (the only
// time it exists in clear) with its record; the creation is audited in
// the same transaction.
func Create(app core.App, actor audit.Actor, userID, name string, scopes []string) (string, *core.Record, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return "", nil, domain.Invalid("api_key_name", "name", "A key needs a name (120 characters at most).")
	}
	if !ValidScopes(scopes) {
		return "", nil, domain.Invalid("api_key_scopes", "scopes", "A key needs at least one scope among ingest, status, webhooks.")
	}
	if err := requireIntegration(app, userID); err != nil {
		return "", nil, err
	}
	key, err := newKey()
	if err != nil {
		return "", nil, err
	}
	var rec *core.Record
	err = app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindCachedCollectionByNameOrId("api_keys")
		if err != nil {
			return err
		}
		rec = core.NewRecord(c)
		rec.Set("name", name)
		rec.Set("user", userID)
		rec.Set("scopes", scopes)
		rec.Set("hash", Hash(key))
		rec.Set("prefix", key[:len(keyPrefix)+6])
		rec.Set("created_by", actor.ID)
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, actor, ActionCreate, "api_keys", rec.Id, map[string]any{
			"name": name, "user": userID, "scopes": scopes, "prefix": rec.GetString("prefix"),
		})
	})
	if err != nil {
		return "", nil, err
	}
	return key, rec, nil
}

// requireIntegration refuses a user that is not an integration account.
func requireIntegration(app core.App, userID string) error {
	u, err := app.FindRecordById("users", userID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Invalid("api_key_user", "user", "Keys are for integration accounts only.")
	}
	if err != nil {
		return err
	}
	kind, err := access.RoleKindOf(app, u)
	if err != nil {
		return err
	}
	if kind != roles.Integration {
		return domain.Invalid("api_key_user", "user", "Keys are for integration accounts only.")
	}
	return nil
}

// Revoke revokes a key at once (its next request gets 401), audited in
// the same transaction. Revoking a revoked key changes nothing.
func Revoke(app core.App, actor audit.Actor, keyID string) error {
	return app.RunInTransaction(func(tx core.App) error {
		rec, err := tx.FindRecordById("api_keys", keyID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotVisible
		}
		if err != nil {
			return err
		}
		if !rec.GetDateTime("revoked_at").IsZero() {
			return nil
		}
		rec.Set("revoked_at", types.NowDateTime())
		if err := tx.Save(rec); err != nil {
			return err
		}
		return audit.Append(tx, actor, ActionRevoke, "api_keys", rec.Id, map[string]any{
			"name": rec.GetString("name"), "user": rec.GetString("user"), "prefix": rec.GetString("prefix"),
		})
	})
}

// keyRow is the row Authenticate reads.
type keyRow struct {
	ID      string         `db:"id"`
	Name    string         `db:"name"`
	User    string         `db:"user"`
	Scopes  string         `db:"scopes"`
	Hash    string         `db:"hash"`
	Revoked types.DateTime `db:"revoked_at"`
}

// Authenticate returns the key and its integration account for a key
// sent by a client; ErrInvalid for an unknown or revoked key, or one whose
// account is no longer an integration. Revocation needs no cache to
// expire: every request reads the key's row.
func Authenticate(app core.App, key string) (Key, *core.Record, error) {
	if !IsKey(key) {
		return Key{}, nil, ErrInvalid
	}
	h := Hash(key)
	var row keyRow
	err := app.DB().NewQuery("SELECT id, name, user, scopes, hash, revoked_at FROM api_keys WHERE hash = {:h}").
		Bind(dbx.Params{"h": h}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, nil, ErrInvalid
	}
	if err != nil {
		return Key{}, nil, fmt.Errorf("api keys: %w", err)
	}
	// the lookup is by an index; the comparison of what it found is in
	// constant time all the same
	if subtle.ConstantTimeCompare([]byte(row.Hash), []byte(h)) != 1 || !row.Revoked.IsZero() {
		return Key{}, nil, ErrInvalid
	}
	u, err := app.FindRecordById("users", row.User)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, nil, ErrInvalid
	}
	if err != nil {
		return Key{}, nil, err
	}
	if kind, err := access.RoleKindOf(app, u); err != nil || kind != roles.Integration {
		return Key{}, nil, errors.Join(ErrInvalid, err)
	}
	k := Key{ID: row.ID, Name: row.Name, User: row.User}
	if row.Scopes != "" {
		if err := json.Unmarshal([]byte(row.Scopes), &k.Scopes); err != nil {
			return Key{}, nil, fmt.Errorf("api keys: scopes: %w", err)
		}
	}
	return k, u, nil
}

// NoteUse records a use of a key: at most once per UseAuditEvery per key,
// its last_used_at and an audit entry, in one transaction. The guarded
// update makes two concurrent requests of one minute write one entry.
func NoteUse(app core.App, actor audit.Actor, k Key, method, path string, now time.Time) error {
	at := now.UTC()
	since := at.Add(-UseAuditEvery)
	return app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery("UPDATE api_keys SET last_used_at = {:at} WHERE id = {:id} AND (last_used_at = '' OR last_used_at <= {:since})").
			Bind(dbx.Params{"at": dateText(at), "id": k.ID, "since": dateText(since)}).Execute()
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit.Append(tx, actor, ActionUse, "api_keys", k.ID, map[string]any{"name": k.Name, "method": method, "path": path})
	})
}

// dateText is a time as PocketBase stores dates.
func dateText(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }

// KeysOf returns the keys of an integration account, newest first
// (revoked ones included), for the admin page.
func KeysOf(app core.App, userID string) ([]*core.Record, error) {
	return app.FindRecordsByFilter("api_keys", "user = {:u}", "-created", 0, 0, dbx.Params{"u": userID})
}
