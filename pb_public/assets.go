// Package pbpublic holds the static assets of the Relais web UI, embedded in
// the binary: the pinned htmx (its version in the file name; refresh it with
// refresh-htmx.sh), the stylesheet and the icon. The ui package serves them
// under content-hashed URLs; nothing is read from disk at run time.
package pbpublic

import "embed"

// FS holds the static files.
//
//go:embed *.js *.css *.svg
var FS embed.FS
