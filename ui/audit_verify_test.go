package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestVerifyTheChain(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/audit/verify", hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Chaîne intacte")
	_, err := e.app.DB().NewQuery("UPDATE audit_log SET action = 'tampered' WHERE seq = 1").Execute()
	require.NoError(t, err)
	r = b.get("/audit/verify", hx)
	has(t, r.Body, "Chaîne rompue")
	full := b.get("/audit/verify")
	has(t, full.Body, "<html")
	has(t, full.Body, "Chaîne rompue")
}
