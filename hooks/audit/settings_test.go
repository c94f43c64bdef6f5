package audit

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SettingsDiff lists changed keys; values only for the harmless ones,
// never for credentials (masked by PocketBase or not).
func TestSettingsDiff(t *testing.T) {
	old, err := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()}).Settings().Clone()
	require.NoError(t, err)
	new, err := old.Clone()
	require.NoError(t, err)
	new.SMTP.Host = "smtp.new.test"
	new.SMTP.Password = "pw-canary"
	new.SMTP.Username = "user-canary"
	new.S3.AccessKey = "key-canary"
	new.Backups.S3.Secret = "secret-canary"
	new.TrustedProxy.Headers = []string{"X-Real-IP"}
	diff, err := SettingsDiff(old, new)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"smtp.host":            map[string]any{"from": []byte(`"` + old.SMTP.Host + `"`), "to": []byte(`"smtp.new.test"`)},
		"smtp.password":        "(changed)",
		"smtp.username":        "(changed)",
		"s3.accessKey":         "(changed)",
		"backups.s3.secret":    "(changed)",
		"trustedProxy.headers": map[string]any{"from": []byte(`[]`), "to": []byte(`["X-Real-IP"]`)},
	}, normaliseDiff(diff))
	same, err := SettingsDiff(old, old)
	require.NoError(t, err)
	assert.Empty(t, same)
}

// normaliseDiff turns the raw JSON values of a diff into bytes.
func normaliseDiff(d map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range d {
		if m, ok := v.(map[string]any); ok {
			n := map[string]any{}
			for kk, vv := range m {
				n[kk] = []byte(vv.(json.RawMessage))
			}
			out[k] = n
			continue
		}
		out[k] = v
	}
	return out
}
