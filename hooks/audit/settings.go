package audit

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// ActionSettingsUpdate records a change of PocketBase's settings through
// the API (`/_/` → Settings: mail, rate limits, trusted proxy, backups, S3…).
const ActionSettingsUpdate = "settings.update"

// settingsValueKeys are the settings whose values an audit entry may
// carry (prefixes of dotted paths). Every other changed key is recorded as
// "(changed)": credentials (SMTP user and password, S3 keys and secrets)
// and anything PocketBase adds later stay out of the append-only log.
var settingsValueKeys = []string{
	"meta.appName", "meta.appURL", "meta.senderName", "meta.senderAddress", "meta.hideControls",
	"smtp.enabled", "smtp.host", "smtp.port", "smtp.tls", "smtp.authMethod", "smtp.localName",
	"s3.enabled", "s3.bucket", "s3.region", "s3.endpoint", "s3.forcePathStyle",
	"backups.cron", "backups.cronMaxKeep",
	"backups.s3.enabled", "backups.s3.bucket", "backups.s3.region", "backups.s3.endpoint", "backups.s3.forcePathStyle",
	"rateLimits", "trustedProxy", "batch", "logs", "superuserIPs",
}

// settingsSecrets are the settings PocketBase leaves out of its JSON; they
// are compared directly and never recorded.
func settingsSecrets(s *core.Settings) map[string]string {
	return map[string]string{
		"smtp.password":     s.SMTP.Password,
		"s3.secret":         s.S3.Secret,
		"backups.s3.secret": s.Backups.S3.Secret,
	}
}

// SettingsDiff returns the changed settings as {dotted key: {"from",
// "to"}}, or "(changed)" for keys outside settingsValueKeys.
func SettingsDiff(old, new *core.Settings) (map[string]any, error) {
	flat := func(s *core.Settings) (map[string]json.RawMessage, error) {
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, err
		}
		out := map[string]json.RawMessage{}
		return out, flatten("", doc, out)
	}
	a, err := flat(old)
	if err != nil {
		return nil, err
	}
	b, err := flat(new)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for k := range keys {
		if bytes.Equal(a[k], b[k]) {
			continue
		}
		if settingsValueKey(k) {
			out[k] = map[string]any{"from": a[k], "to": b[k]}
		} else {
			out[k] = "(changed)"
		}
	}
	so, sn := settingsSecrets(old), settingsSecrets(new)
	for k, v := range so {
		if sn[k] != v {
			out[k] = "(changed)"
		}
	}
	return out, nil
}

func settingsValueKey(k string) bool {
	for _, p := range settingsValueKeys {
		if k == p || strings.HasPrefix(k, p+".") {
			return true
		}
	}
	return false
}

// flatten writes every leaf of doc under its dotted path; arrays are
// leaves (rate limit rules, IP lists compare as a whole).
func flatten(prefix string, doc any, out map[string]json.RawMessage) error {
	if m, ok := doc.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			if err := flatten(p, m[k], out); err != nil {
				return err
			}
		}
		return nil
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	out[prefix] = raw
	return nil
}
