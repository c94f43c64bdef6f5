package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// SignatureHeader carries the body's signature: "sha256=" and the hex
// HMAC-SHA256 of the exact body bytes with the endpoint's secret.
const SignatureHeader = "X-Relais-Signature"

// Sign returns the SignatureHeader value of body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is body's signature with secret (what a
// receiver does; constant time).
func Verify(secret string, body []byte, sig string) bool {
	got, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return false
	}
	raw, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(raw, m.Sum(nil))
}

// Backoff is the wait before the next attempt after n failed ones:
// 2^n seconds (2 s, 4 s, 8 s…), at most MaxBackoff. An event is never
// given up: it is retried every MaxBackoff until delivered or resent.
func Backoff(n int) time.Duration {
	if n < 1 {
		return 0
	}
	if n >= 12 {
		return MaxBackoff
	}
	return min(time.Duration(1<<n)*time.Second, MaxBackoff)
}

// MaxBackoff is the longest wait between two attempts.
const MaxBackoff = time.Hour
