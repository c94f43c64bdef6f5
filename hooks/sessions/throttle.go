package sessions

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/throttle"
)

// Login throttling slows password guessing without letting anyone lock an
// account: failures are counted per account and address (a guesser's
// failures slow that guesser, not the owner at another address) and per
// address (one address trying many accounts), and a browser the account
// already signed in from (a device token, see DeviceToken) is counted on
// its own, so that a guesser sharing the owner's address (an office NAT, a
// reverse proxy whose headers are not trusted) does not slow the owner.
// Nothing is ever locked: each failure past a free allowance doubles the
// wait before the next attempt, and an hour without failure forgets them.
var (
	// accountPolicy: per account and address, and per account and device.
	accountPolicy = throttle.Policy{Free: 5, First: 2 * time.Second, Max: 15 * time.Minute, Forget: time.Hour}
	// addressPolicy: per address, every account (30 people behind one
	// NAT each mistyping once cost nothing).
	addressPolicy = throttle.Policy{Free: 30, First: time.Second, Max: 15 * time.Minute, Forget: time.Hour}
)

// LoginAttempt identifies a password login for the throttle.
type LoginAttempt struct {
	// Collection and Identity name the account tried (e-mail, any case).
	Collection, Identity string
	// IP is the caller's address (RequestEvent.RealIP).
	IP string
	// Device is the id of a verified device token of the account
	// (VerifyDevice), "" when the browser has none.
	Device string
}

// loginThrottle holds the failure counters of an app.
type loginThrottle struct {
	account, address *throttle.Backoff
}

const loginThrottleKey = "relais.loginThrottle"

func throttleOf(app core.App) *loginThrottle {
	t, _ := app.Store().GetOrSet(loginThrottleKey, func() any {
		return &loginThrottle{account: throttle.NewBackoff(accountPolicy), address: throttle.NewBackoff(addressPolicy)}
	}).(*loginThrottle)
	return t
}

// keys returns the account key of the attempt and its address key ("" for
// an attempt from a known device, which the address's failures do not
// slow).
func (a LoginAttempt) keys() (account, address string) {
	id := a.Collection + ":" + strings.ToLower(strings.TrimSpace(a.Identity))
	if a.Device != "" {
		return "device:" + id + "|" + a.Device, ""
	}
	return "ip:" + id + "|" + a.IP, a.IP
}

// LoginWait is how long the attempt must still wait before its password
// may be compared (0: now). A waiting attempt is refused without comparing
// the password, so that guessing gets no answer faster.
func LoginWait(app core.App, a LoginAttempt, now time.Time) time.Duration {
	t := throttleOf(app)
	account, address := a.keys()
	wait := t.account.Wait(account, now)
	if address != "" {
		wait = max(wait, t.address.Wait(address, now))
	}
	return wait
}

// LoginFailed counts a wrong password (or unknown identity) of the attempt.
func LoginFailed(app core.App, a LoginAttempt, now time.Time) {
	t := throttleOf(app)
	account, address := a.keys()
	t.account.Fail(account, now)
	if address != "" {
		t.address.Fail(address, now)
	}
}

// LoginSucceeded forgets the failures of the attempt's account at its
// address or device (the address's count of other accounts stays).
func LoginSucceeded(app core.App, a LoginAttempt) {
	account, _ := a.keys()
	throttleOf(app).account.Reset(account)
}
