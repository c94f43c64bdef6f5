package ui

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/sessions"
)

// loginFloodMax is the number of sign-in attempts one address may send
// per minute, whatever their outcome (PocketBase's "*:auth" rule for the
// REST logins): 30 people behind one NAT signing in at once stay far
// below it.
const loginFloodMax = 120

// deviceCookie marks a browser the account signed in from
// (sessions.DeviceToken); only the sign-in form reads it.
const deviceCookie = "relais_device"

// tooManyLogins answers 429 with Retry-After and says how long to wait.
func (h *handlers) tooManyLogins(e *core.RequestEvent, fail func(int, string, ...any) error, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	e.Response.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return fail(http.StatusTooManyRequests, "login.too_many", "Seconds", max(secs, 1))
}

// deviceOf returns the device id of the request's device cookie when it
// belongs to user ("" otherwise).
func deviceOf(e *core.RequestEvent, user *core.Record) string {
	c, err := e.Request.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	return sessions.VerifyDevice(user, c.Value)
}

// setDeviceCookie marks the browser as one of user's devices, on the
// sign-in path only.
func setDeviceCookie(e *core.RequestEvent, user *core.Record) error {
	token, err := sessions.DeviceToken(user)
	if err != nil {
		return err
	}
	e.SetCookie(&http.Cookie{
		Name: deviceCookie, Value: token, Path: "/login", HttpOnly: true, Secure: e.IsTLS(),
		SameSite: http.SameSiteStrictMode, MaxAge: sessions.DeviceTokenDays * 24 * 3600,
	})
	return nil
}
