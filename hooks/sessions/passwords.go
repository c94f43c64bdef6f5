package sessions

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"
)

// Password checks: a login attempt costs exactly one bcrypt
// comparison whatever the identity — an existing account with a wrong
// password, an unknown e-mail, a blocked account — so that the answer's
// time does not tell whether an e-mail has an account. CheckPassword is
// the only place where Relais compares passwords; users' REST logins go
// through the api package's password handler, which answers itself
// instead of letting PocketBase compare the password a second time.

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

// CheckCode reports whether code is the one-time code of otp, the second
// factor of a login (package account): the other comparison of a secret,
// kept here beside CheckPassword. It is not counted with the password
// comparisons: a code step exists only after the right password, so its
// time tells nothing about whether an e-mail has an account.
func CheckCode(otp *core.OTP, code string) bool {
	return code != "" && len(code) <= 71 && otp.ValidatePassword(code)
}
