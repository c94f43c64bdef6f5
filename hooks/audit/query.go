package audit

import "github.com/relais/relais/hooks/filterguard"

// ClientQuery is what an audit entry keeps of a client's filter and sort:
// their shape with every value masked, and a SHA-256 of each text
// (filterguard.Mask): a filter may quote a person's name or phone number,
// and the append-only log cannot forget it.
func ClientQuery(filter, sort string) map[string]any {
	out := map[string]any{"filter": filterguard.Mask(filter), "sort": filterguard.Mask(sort)}
	if filter != "" {
		out["filter_sha256"] = filterguard.Fingerprint(filter)
	}
	return out
}
