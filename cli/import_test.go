package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// `relais import` reports its progress on stderr, off a terminal as whole
// lines (no carriage return) ending with the count reached, then the
// summary.
func TestImportCommandProgress(t *testing.T) {
	app := testapp.New(t, "")
	var csv strings.Builder
	csv.WriteString("Société;Code postal;Ville;Prénom;Nom;E-mail;Score\n")
	for i := range 25 {
		fmt.Fprintf(&csv, "Garage %d;35000;Rennes;Luc;Martin%d;luc%d@garage.test;70\n", i, i, i)
	}
	path := filepath.Join(t.TempDir(), "leads.csv")
	require.NoError(t, os.WriteFile(path, []byte(csv.String()), 0o600))

	out, err := run(importCommand(app), path, "--dry-run")
	require.NoError(t, err, out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 2, out)
	assert.Regexp(t, `^import: 25/25 rows \(100%\), \d+ rows/s, \d+(\.\d)?s$`, lines[len(lines)-2], "the last progress line")
	assert.Equal(t, "25 rows (dry run: nothing written): 25 created, 0 duplicates (0 already imported, 0 held as channel conflicts), 0 rejected", lines[len(lines)-1])
	assert.NotContains(t, out, "\r")
}
