package notify

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// senderIDs match the message ids the code builds: notify.Msg("id", …)
// and msg.ID = "id" in a file that uses this package.
var senderIDs = regexp.MustCompile(`(?:notify\.Msg\(|\bmsg\.ID = )"([a-z_]+)"`)

// Every message id a sender builds has its title and body in both
// languages: a missing text fails the sender's transaction at run time
// (the offer expiry, a reminder), so it is caught here, over the sources of
// the whole module.
func TestEveryMessageSentHasItsTexts(t *testing.T) {
	root := filepath.Join("..", "..")
	var ids []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "pb_data" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !strings.Contains(string(b), "hooks/notify\"") {
			return nil
		}
		for _, m := range senderIDs.FindAllStringSubmatch(string(b), -1) {
			ids = append(ids, m[1])
		}
		return nil
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(ids), 10, "the senders were found")
	for _, id := range ids {
		for _, lang := range []string{"fr", "en"} {
			assert.Contains(t, catalogue[lang], id+".title", "%s: no %s title", lang, id)
			assert.Contains(t, catalogue[lang], id+".body", "%s: no %s body", lang, id)
		}
	}
}
