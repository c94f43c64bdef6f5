package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every page starts with a link that skips the header to the main
// content (focusable, so the link moves the keyboard focus there), in
// the user's language, for every demo role and on the signed-out pages.
func TestEveryPageStartsWithASkipLink(t *testing.T) {
	e := newEnv(t)
	skip := map[string]string{"fr": "Aller au contenu", "en": "Skip to content"}
	for _, email := range []string{"admin@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		u := e.user(email)
		for _, lang := range []string{"fr", "en"} {
			u.Set("locale", lang)
			require.NoError(t, e.app.Save(u))
			r := e.signedIn(email).get("/help")
			require.Equal(t, http.StatusOK, r.Status, email)
			has(t, r.Body, `<a class="skip" href="#main" id="skip-link">`+skip[lang]+`</a>`, email, lang)
			has(t, r.Body, `<main id="main" tabindex="-1">`, email, lang)
		}
	}
	r := e.browser().get("/login")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="skip-link"`)
	has(t, r.Body, `<main id="main" tabindex="-1">`)
}
