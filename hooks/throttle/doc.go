// Package throttle holds the counters that limit request rates and slow
// password guessing: Window, a fixed-window counter per key (the requests
// of one user, one address), and Backoff, a failure counter per key whose
// delay grows with each failure past a free allowance (the logins of one
// account from one address, all logins from one address). Both are pure:
// the caller passes the time; they keep state in memory and forget idle
// keys as they go.
package throttle
