package hooks_test

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/sessions"
)

// loginAttempts are the kinds of REST login attempt whose cost must not
// tell them apart (a wrong password took ~160 ms, an unknown
// e-mail ~91 ms, because the password was compared twice).
var loginAttempts = []struct {
	name     string
	identity string
	password string
	status   int
}{
	{"existing account, wrong password", "partner_user@world.test", "wrong-password-9", http.StatusBadRequest},
	{"unknown e-mail", "nobody@world.test", "wrong-password-9", http.StatusBadRequest},
	{"blocked account, right password", "sales2@world.test", "world-password-1", http.StatusForbidden},
	{"blocked account, wrong password", "sales2@world.test", "wrong-password-9", http.StatusBadRequest},
	{"right password", "partner_user@world.test", "world-password-1", http.StatusOK},
}

// Every REST login attempt costs exactly one bcrypt comparison, whatever
// the identity: the answer's time does not tell whether an e-mail has an
// account.
func TestEveryLoginAttemptCostsOnePasswordComparison(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	u := w.users["sales2"]
	u.Set("active", false)
	require.NoError(t, w.app.Save(u))
	for _, a := range loginAttempts {
		before := sessions.PasswordComparisons(w.app)
		status, body := login(w, a.identity, a.password)
		require.Equal(t, a.status, status, "%s: %s", a.name, body)
		assert.Equal(t, int64(1), sessions.PasswordComparisons(w.app)-before, a.name)
	}
}

// PocketBase compares the password again in its default action (after
// every handler) unless a handler answers: a probe bound inside the Relais
// handler must never run, whatever the attempt.
func TestPocketBaseNeverComparesTheLoginPasswordAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	u := w.users["sales2"]
	u.Set("active", false)
	require.NoError(t, w.app.Save(u))
	probed := 0
	w.app.OnRecordAuthWithPasswordRequest("users").Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{
		Id:       "testProbeAfterRelais",
		Priority: api.PasswordAuthPriority + 1,
		Func: func(e *core.RecordAuthWithPasswordRequestEvent) error {
			probed++
			return e.Next()
		},
	})
	for _, a := range loginAttempts {
		status, body := login(w, a.identity, a.password)
		require.Equal(t, a.status, status, "%s: %s", a.name, body)
		assert.Zero(t, probed, "%s: the chain went on past the Relais handler", a.name)
	}
	// the answer of a successful login is PocketBase's own
	status, body := login(w, "partner_user@world.test", "world-password-1")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"token":`)
	assert.Contains(t, body, `"record":`)
	_, body = login(w, "partner_user@world.test", "wrong-password-9")
	assert.Contains(t, body, "Failed to authenticate.")
}

// Passwords are compared in one place (sessions.CheckPassword): another call
// of ValidatePassword or bcrypt.CompareHashAndPassword would add an
// uncounted comparison to some attempts only. The one-time code of the
// second factor is compared beside it (sessions.CheckCode).
func TestPasswordsAreComparedInOnePlace(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); strings.HasPrefix(name, ".") || name == "artifacts" || name == "pb_data" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, call := range []string{"ValidatePassword(", "CompareHashAndPassword("} {
			if strings.Contains(string(src), call) {
				rel, _ := filepath.Rel(root, path) // path is under root: Rel cannot fail
				found = append(found, rel+": "+call)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"hooks/sessions/passwords.go: ValidatePassword(", "hooks/sessions/passwords.go: CompareHashAndPassword("}, found)
}
