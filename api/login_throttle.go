package api

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/relais/relais/hooks/sessions"
)

// throttleLogin slows password guessing on the REST logins of every auth
// collection (sessions.LoginWait: per account and address, and per
// address), while the rate limits are on: an attempt that must still wait
// gets 429 with Retry-After before any password comparison; a refused
// password counts one failure, a right one forgets the account's failures
// at that address. It never locks an account: the owner at another address
// is not slowed at all.
func throttleLogin(e *core.RecordAuthWithPasswordRequestEvent) error {
	if !e.App.Settings().RateLimits.Enabled || e.HasSuperuserAuth() {
		return e.Next()
	}
	attempt := sessions.LoginAttempt{Collection: e.Collection.Name, Identity: e.Identity, IP: e.RealIP()}
	if wait := sessions.LoginWait(e.App, attempt, time.Now()); wait > 0 {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		e.Response.Header().Set("Retry-After", strconv.Itoa(secs))
		return e.TooManyRequestsError(fmt.Sprintf("Too many failed logins: try again in %d s. / Trop d'échecs de connexion : réessayez dans %d s.", secs, secs), nil)
	}
	err := e.Next()
	var apiErr *router.ApiError
	switch {
	case err == nil || errors.Is(err, apis.ErrMFA):
		// signed in, the right password of a blocked account, or of an
		// account that must now give its second factor
		sessions.LoginSucceeded(e.App, attempt)
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest:
		// PocketBase's answer to a wrong password or an unknown identity
		sessions.LoginFailed(e.App, attempt, time.Now())
	}
	return err
}
