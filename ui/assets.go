package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// staticPrefix is where the embedded assets are served.
const staticPrefix = "/static/"

// asset is one embedded file served under a content-hashed URL.
type asset struct {
	url         string // /static/name.<hash>.ext
	body        []byte
	contentType string
}

// assets maps logical names (relais.css, htmx.js, icon.svg) to their hashed
// URLs, and hashed file names back to their content.
type assets struct {
	byName map[string]*asset // logical name → asset
	byFile map[string]*asset // hashed file name → asset
}

// loadAssets reads the embedded files once at start-up. The one
// htmx-<version>.min.js file is registered as "htmx.js"; a missing or
// duplicated htmx fails the boot.
func loadAssets(fsys fs.FS) (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byFile: map[string]*asset{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, en := range entries {
		name := en.Name()
		if en.IsDir() {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		logical := name
		if strings.HasPrefix(name, "htmx-") && strings.HasSuffix(name, ".min.js") {
			if _, dup := a.byName["htmx.js"]; dup {
				return nil, fmt.Errorf("ui: more than one vendored htmx in pb_public")
			}
			logical = "htmx.js"
		}
		as := &asset{url: staticPrefix + hashed, body: body, contentType: ct}
		a.byName[logical] = as
		a.byFile[hashed] = as
	}
	for _, need := range []string{"htmx.js", "relais.js", "relais.css", "icon.svg"} {
		if a.byName[need] == nil {
			return nil, fmt.Errorf("ui: asset %s missing from pb_public", need)
		}
	}
	return a, nil
}

// URL returns the content-hashed URL of a logical asset name.
func (a *assets) URL(name string) string {
	if as := a.byName[name]; as != nil {
		return as.url
	}
	return ""
}

// serveStatic serves an embedded asset by its hashed name with a one-year
// immutable cache: a changed file gets a new URL.
func (h *handlers) serveStatic(e *core.RequestEvent) error {
	as := h.assets.byFile[e.Request.PathValue("file")]
	if as == nil {
		return e.String(http.StatusNotFound, "not found")
	}
	hdr := e.Response.Header()
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	hdr.Set("X-Content-Type-Options", "nosniff")
	return e.Blob(http.StatusOK, as.contentType, as.body)
}
