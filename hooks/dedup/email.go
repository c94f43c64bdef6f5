package dedup

import (
	"net/mail"
	"strings"
)

// maxEmailLen is the longest address accepted (RFC 5321 path limit).
const maxEmailLen = 254

// NormalizeEmail trims and lower-cases an e-mail address. It returns "" when
// s is not a single bare address (no display name, no angle brackets) whose
// domain has at least one dot and no empty label.
//
// The local part is lower-cased too: mailbox names are case-insensitive in
// practice, and a missed duplicate costs more than a rare false match.
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > maxEmailLen || strings.ContainsAny(s, " \t\r\n<>") {
		return ""
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || !validDomain(s[at+1:]) {
		return ""
	}
	return s
}

// validDomain reports whether d looks like a public DNS name: at least two
// non-empty labels of letters, digits and inner hyphens.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// EmailDomain returns the lower-cased domain of email, or "" when the address
// is invalid or belongs to a free / consumer mail provider (see
// [IsFreeMailDomain]): a shared provider says nothing about the company, so
// it must never be used to match leads.
func EmailDomain(email string) string {
	e := NormalizeEmail(email)
	if e == "" {
		return ""
	}
	d := e[strings.LastIndexByte(e, '@')+1:]
	if IsFreeMailDomain(d) {
		return ""
	}
	return d
}

// IsFreeMailDomain reports whether domain (lower-case) belongs to a consumer
// mail provider common in France. The list is deliberately short: the
// international webmails and the French ISPs' mailboxes.
func IsFreeMailDomain(domain string) bool {
	switch domain {
	case
		// International webmails.
		"gmail.com", "googlemail.com",
		"hotmail.fr", "hotmail.com", "live.fr", "live.com", "msn.com",
		"outlook.fr", "outlook.com",
		"yahoo.fr", "yahoo.com", "ymail.com",
		"icloud.com", "me.com", "mac.com",
		"aol.com", "aol.fr",
		"gmx.fr", "gmx.com",
		"protonmail.com", "proton.me",
		// French ISPs and providers.
		"orange.fr", "wanadoo.fr",
		"free.fr", "aliceadsl.fr",
		"sfr.fr", "neuf.fr", "club-internet.fr", "numericable.fr",
		"bbox.fr",
		"laposte.net":
		return true
	}
	return false
}
