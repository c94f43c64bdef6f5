package filterguard

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// The audit log keeps no personal data it could never give back (it is
// append-only, so a GDPR erasure cannot reach it), yet a filter is a
// client's text: `last_name = "Dupont"` or `phone ~ "0612"` would put a
// person's name or number in the log. Audit entries therefore keep the
// filter's shape — paths, operators, structure — with every value masked,
// and a SHA-256 of the whole text, so an auditor holding a filter can
// still prove it is the one recorded.

var (
	quoted  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	numbers = regexp.MustCompile(`(^|[^\w.@:])[-+]?\d[\d.]*`)
)

// maxMasked caps the masked text kept.
const maxMasked = 500

// Mask returns text with every quoted value replaced by '…' and every
// number by 0 (paths and operators kept), at most 500 bytes.
func Mask(text string) string {
	out := quoted.ReplaceAllString(text, "'…'")
	out = numbers.ReplaceAllString(out, "${1}0")
	if len(out) > maxMasked {
		out = out[:maxMasked]
	}
	return out
}

// Fingerprint is the hex SHA-256 of text ("" for an empty text).
func Fingerprint(text string) string {
	if text == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}
