package ui

import (
	"net/url"
	"strings"
)

// maxNextLen bounds a redirect target: a page of this site is far shorter.
const maxNextLen = 2048

// maxNextDecodes is how many percent-decodings of a target are checked; a
// target still changing after that many is refused.
const maxNextDecodes = 3

// excludedNext are the paths a redirect after login or a language switch
// never goes to (the login form itself, the API, PocketBase's admin panel).
var excludedNext = []string{"/login", "/logout", "/api/", "/_/"}

// safeNext returns next when it is a path of this site, "/" otherwise. It
// is the only check between client input (the next and back parameters)
// and a Location header.
//
// A browser reads a Location value more loosely than Go does: it strips
// tabs and newlines anywhere and leading or trailing control characters
// and spaces, and takes a backslash for a slash, so "/\t/evil.example"
// and "/\evil.example" both lead to //evil.example, another origin. The
// check is therefore an allow-list of what a page URL of this site looks
// like (the request URI mwSignedIn puts in next is always percent-encoded
// ASCII), not a list of known tricks:
//   - printable ASCII only, without spaces or backslashes;
//   - one leading slash, never two (a scheme-relative URL), no scheme, host
//     or user info;
//   - no "." or ".." path segment;
//
// and, because a proxy, a browser or our own router may decode once more,
// every percent-decoding of the value (up to maxNextDecodes) must also be
// free of control characters, backslashes, a leading "//", dot segments
// and the excluded prefixes.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

// localPath reports whether target passes the checks of safeNext.
func localPath(target string) bool {
	if target == "" || len(target) > maxNextLen {
		return false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f {
			return false // controls, spaces, DEL and raw non-ASCII
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	form := target
	for i := 0; ; i++ {
		if !plainPath(form) {
			return false
		}
		decoded, err := url.PathUnescape(form)
		if err != nil {
			return false
		}
		if decoded == form {
			return true
		}
		if i == maxNextDecodes {
			return false
		}
		form = decoded
	}
}

// plainPath checks one form (raw or decoded) of a target: an absolute path
// of this origin without control characters, backslashes, dot segments or
// an excluded prefix.
func plainPath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	path := s
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	for _, p := range excludedNext {
		if strings.HasPrefix(s, p) || s+"/" == p {
			return false
		}
	}
	return true
}
