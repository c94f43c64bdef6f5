package hooks

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"golang.org/x/crypto/bcrypt"

	"github.com/relais/relais/hooks/access"
)

// Password checks (issue 12): a login attempt costs exactly one bcrypt
// comparison whatever the identity — an existing account with a wrong
// password, an unknown e-mail, a blocked account — so that the answer's
// time does not tell whether an e-mail has an account. CheckPassword is
// the only place where Relais compares passwords; users' REST logins go
// through passwordAuth, which answers itself instead of letting
// PocketBase compare the password a second time.

// PasswordAuthPriority is the priority of the Relais handler of the users'
// auth-with-password requests. It is the innermost handler and ends the
// chain: it answers with PocketBase's own auth response
// (apis.RecordAuthResponse: MFA, auth rule, enrich hooks, the token), so
// PocketBase's default action, which would compare the password again, never
// runs. Handlers bound with a lower priority (the audit of failed logins)
// still wrap it.
const PasswordAuthPriority = 1000

// passwordsKey is the app.Store() key of the app's password checker.
const passwordsKey = "relais.passwords"

// passwordChecker holds the dummy hashes (one per bcrypt cost) compared for
// unknown identities and counts the comparisons.
type passwordChecker struct {
	mu          sync.Mutex
	dummies     map[int][]byte
	comparisons atomic.Int64
}

func passwordsOf(app core.App) *passwordChecker {
	c, _ := app.Store().GetOrSet(passwordsKey, func() any { return &passwordChecker{} }).(*passwordChecker)
	return c
}

// dummy returns the hash, at the given cost, of a random secret nobody
// knows (made once per cost).
func (c *passwordChecker) dummy(cost int) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.dummies[cost]; ok {
		return h, nil
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(base64.RawURLEncoding.EncodeToString(secret)), cost)
	if err != nil {
		return nil, err
	}
	if c.dummies == nil {
		c.dummies = map[int][]byte{}
	}
	c.dummies[cost] = h
	return h, nil
}

// passwordCost is the bcrypt cost of new passwords of an auth collection.
func passwordCost(app core.App, collection string) int {
	if col, err := app.FindCachedCollectionByNameOrId(collection); err == nil {
		if f, ok := col.Fields.GetByName(core.FieldNamePassword).(*core.PasswordField); ok && f.Cost > 0 {
			return f.Cost
		}
	}
	return bcrypt.DefaultCost
}

// CheckPassword reports whether password is the password of user, an
// account of the auth collection named collection. It makes exactly one
// bcrypt comparison in every case: against the account's hash, or, when
// user is nil (unknown identity) or has no password, against a dummy hash
// at the collection's cost, so that both cases take the same time.
func CheckPassword(app core.App, collection string, user *core.Record, password string) bool {
	c := passwordsOf(app)
	var hash []byte
	if user != nil {
		if pv, ok := user.GetRaw(core.FieldNamePassword).(*core.PasswordFieldValue); ok && pv.Hash != "" && pv.LastError == nil {
			hash = []byte(pv.Hash)
		}
	}
	known := hash != nil
	if !known {
		d, err := c.dummy(passwordCost(app, collection))
		if err != nil {
			// no dummy hash: the answer is still "wrong password"
			app.Logger().Error("password check: dummy hash", "error", err)
			return false
		}
		hash = d
	}
	c.comparisons.Add(1)
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	return known && ok
}

// PasswordComparisons is the number of bcrypt comparisons CheckPassword
// made in this app since it started (what a login attempt costs; tests
// check that every kind of attempt costs one).
func PasswordComparisons(app core.App) int64 {
	return passwordsOf(app).comparisons.Load()
}

// bindPasswordAuth answers the users' auth-with-password requests with one
// password comparison (see PasswordAuthPriority): a wrong password or an
// unknown identity gets PocketBase's generic 400, a blocked account with
// the right password a 403 saying why, a usable account PocketBase's auth
// response.
func bindPasswordAuth(app core.App) {
	app.OnRecordAuthWithPasswordRequest("users").Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{
		Id:       "relaisPasswordAuth",
		Priority: PasswordAuthPriority,
		Func: func(e *core.RecordAuthWithPasswordRequestEvent) error {
			if !CheckPassword(e.App, e.Collection.Name, e.Record, e.Password) {
				// PocketBase's own answer (apis/record_auth_with_password.go)
				return e.BadRequestError("Failed to authenticate.", errors.New("invalid login credentials"))
			}
			if reason := access.AccountBlock(e.App, e.Record, time.Now()); reason != "" {
				return e.JSON(http.StatusForbidden, map[string]any{"status": http.StatusForbidden, "message": blockMessages[reason], "code": reason, "data": map[string]any{}})
			}
			return apis.RecordAuthResponse(e.RequestEvent, e.Record, core.MFAMethodPassword, nil)
		},
	})
}
