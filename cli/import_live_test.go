package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// liveServer is a Relais app opened like `relais serve` opens it (the
// DBConnect of main.go) with its real router, and an integration's token.
func liveServer(t *testing.T) (*tests.TestApp, *testapp.Client, string) {
	t.Helper()
	app := testapp.NewServing(t)
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	u := core.NewRecord(users)
	u.SetEmail("crm@ops.test")
	u.SetPassword("ops-password-123")
	u.Set("name", "CRM")
	u.Set("role", "integration")
	u.Set("active", true)
	require.NoError(t, app.Save(u))
	return app, testapp.NewClient(t, app), testapp.Token(t, app, u)
}

// startRelais starts the test binary as the relais binary (see TestMain)
// without waiting for it.
func startRelais(t *testing.T, out *bytes.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	raw, err := json.Marshal(args)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	return cmd
}

func liveIngest(i int) map[string]any {
	return map[string]any{
		"company": fmt.Sprintf("Ferme live %d", i), "segment": "business", "postal_code": "29200", "city": "Brest",
		"source": "api", "source_ref": fmt.Sprintf("LIVE-%d", i), "score": 40, "consent": true,
		"contact": map[string]any{"last_name": "Live", "email": fmt.Sprintf("live%d@ferme.test", i)},
	}
}

// `relais import` run next to a serving Relais on the same data dir: both
// sides complete and nothing is lost. The import writes in short
// transactions that wait for the server's writes (and the server's for
// the import's); an ingest the server cannot take in time is answered 503
// with Retry-After, and the client's retry gets it in.
func TestImportBesideALiveServer(t *testing.T) {
	app, client, tok := liveServer(t)
	const rows = 2000
	var csv strings.Builder
	csv.WriteString("Société;Code postal;Ville;Prénom;Nom;E-mail;Score\n")
	for i := range rows {
		fmt.Fprintf(&csv, "Garage %d;35000;Rennes;Luc;Martin%d;luc%d@garage.test;40\n", i, i, i)
	}
	path := filepath.Join(t.TempDir(), "leads.csv")
	require.NoError(t, os.WriteFile(path, []byte(csv.String()), 0o600))

	var out bytes.Buffer
	start := time.Now()
	cmd := startRelais(t, &out, "--dir", app.DataDir(), "import", path)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	ingested, retries, i := 0, 0, 0
	var slowest time.Duration
	var importErr error
	finished := false
	for !finished || ingested < 200 {
		select {
		case importErr = <-done:
			finished = true
		default:
		}
		time.Sleep(20 * time.Millisecond) // a steady stream of ingests, not a flood
		t0 := time.Now()
		res := client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, liveIngest(i))
		slowest = max(slowest, time.Since(t0))
		switch res.Status {
		case http.StatusCreated:
			ingested++
			i++
		case http.StatusServiceUnavailable:
			retries++
			secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
			require.NoError(t, err, "a 503 says when to retry")
			time.Sleep(time.Duration(secs) * time.Second / 4)
		default:
			t.Fatalf("ingest %d: %d %s", i, res.Status, res.Body)
		}
	}
	var exitErr *exec.ExitError
	if errors.As(importErr, &exitErr) {
		t.Fatalf("import exited %d: %s", exitErr.ExitCode(), out.String())
	}
	require.NoError(t, importErr, out.String())
	t.Logf("import of %d rows beside %d ingests: %.1f s; slowest ingest %v, %d retried after 503", rows, ingested, time.Since(start).Seconds(), slowest, retries)
	assert.Contains(t, out.String(), fmt.Sprintf("%d rows: %d created", rows, rows))
	var imported, api int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE source = 'import'").Row(&imported))
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE source = 'api'").Row(&api))
	assert.Equal(t, rows, imported, "every row imported")
	assert.Equal(t, ingested, api, "every acknowledged ingest kept")
}
