package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// Every failure of a command ends the real process with a non-zero status
// and says why: an import that cannot read its file, finds no rows,
// rejects rows (the valid ones are imported and the report written) or
// finds the database locked; a command used wrongly; a check that fails.
func TestFailingCommandsExitNonZero(t *testing.T) {
	app := testapp.New(t, "")
	dir := app.DataDir()
	files := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(files, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	empty := write("empty.csv", "")
	headerOnly := write("header.csv", "Société;Code postal;Ville;Nom;E-mail\n")
	invalid := write("invalid.csv", "Société;Code postal;Ville;Nom;E-mail\nGarage A;35000;Rennes;Martin;a@garage.test\nGarage B;ABCDE;Rennes;Durand;b@garage.test\n")

	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"import of a missing file", []string{"import", filepath.Join(files, "missing.csv")}, "no such file"},
		{"import of an empty file", []string{"import", empty}, "the file is empty"},
		{"import of a header without rows", []string{"import", headerOnly}, "no rows"},
		{"import with an invalid row", []string{"import", invalid}, "1 rows rejected"},
		{"import without a file", []string{"import"}, "accepts 1 arg"},
		{"an unknown command", []string{"imprt", invalid}, "unknown command"},
		{"an unknown flag", []string{"audit", "verify", "--anchr", "x"}, "unknown flag"},
		{"demo on a data dir with data", []string{"demo"}, ""},
		{"gdpr erase without an e-mail", []string{"gdpr", "erase"}, "accepts 1 arg"},
		{"access-review with an argument", []string{"access-review", "now"}, "unknown command"},
		{"policy with an unknown sub-command", []string{"policy", "chek"}, `unknown command "chek" for "relais policy"`},
		{"audit without a sub-command", []string{"audit"}, "relais audit needs a sub-command"},
		{"gdpr with an unknown sub-command", []string{"gdpr", "forget", "a@b.test"}, `unknown command "forget"`},
		{"PocketBase's superuser with an invalid e-mail", []string{"superuser", "create", "not-an-email", "pass-1234567890"}, "email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := relais(t, append([]string{"--dir", dir}, c.args...)...)
			assert.NotZero(t, code, out)
			assert.Contains(t, out, c.says)
		})
	}

	// the valid row of the invalid file was imported, the report written
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE company = 'Garage A'").Row(&n))
	assert.Equal(t, 1, n)
	report, err := os.ReadFile(filepath.Join(files, "invalid.errors.csv"))
	require.NoError(t, err)
	assert.Contains(t, string(report), "ABCDE")
}

// An import that finds the database locked for longer than its busy
// timeout (another process writing without end) fails with a non-zero
// status (it waits the 10 s of the timeout first).
func TestImportOfALockedDatabaseExitsNonZero(t *testing.T) {
	app := testapp.New(t, "")
	path := filepath.Join(t.TempDir(), "leads.csv")
	require.NoError(t, os.WriteFile(path, []byte("Société;Code postal;Ville;Nom;E-mail\nGarage A;35000;Rennes;Martin;a@garage.test\n"), 0o600))
	other, err := sql.Open("sqlite", filepath.Join(app.DataDir(), "data.db"))
	require.NoError(t, err)
	defer other.Close()
	other.SetMaxOpenConns(1)
	_, err = other.Exec("BEGIN IMMEDIATE")
	require.NoError(t, err)
	out, code := relais(t, "--dir", app.DataDir(), "import", path)
	_, err = other.Exec("ROLLBACK")
	require.NoError(t, err)
	// 98: the error Start returned, which main turns into status 1
	assert.NotZero(t, code, out)
	assert.Contains(t, out, "database is locked")
}
