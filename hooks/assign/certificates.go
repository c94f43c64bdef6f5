package assign

import (
	"slices"
	"strings"
	"time"
)

// Certificate kinds, as stored in partner_certificates.kind.
const (
	// CertQualiPV is the RGE QualiPV qualification (photovoltaics).
	CertQualiPV = "rge_qualipv"
	// CertQualiPAC is the RGE QualiPAC qualification (heat pumps).
	CertQualiPAC = "rge_qualipac"
	// CertQualifelec is the Qualifelec qualification (electrical work, PV).
	CertQualifelec = "qualifelec"
	// CertOther is any other certificate (never required by default).
	CertOther = "other"
)

// CertificateKinds returns the certificate kinds in display order.
func CertificateKinds() []string {
	return []string{CertQualiPV, CertQualiPAC, CertQualifelec, CertOther}
}

// ReasonCertificate: the lead needs a certificate the partner does not
// hold valid at the time of the offer.
const ReasonCertificate = "certificate"

// CertRequirement says which certificates a lead needs: a lead whose
// segment is in Segments (empty: any segment) and whose need (interest)
// contains one of Keywords (empty: any need; compared in lower case) needs
// one valid certificate of one of Kinds. A requirement without kinds
// requires nothing.
type CertRequirement struct {
	Segments []string `json:"segments,omitempty"`
	Keywords []string `json:"keywords,omitempty"`
	Kinds    []string `json:"kinds"`
}

// DefaultCertRequirements is the setting of a new install: photovoltaic
// work needs RGE QualiPV or Qualifelec (the feed-in tariff and the
// self-consumption bonus depend on it), heat pumps need RGE QualiPAC.
func DefaultCertRequirements() []CertRequirement {
	return []CertRequirement{
		{Keywords: []string{"photovolta", "panneau solaire", "panneaux solaires", "solar panel", "solar pv"}, Kinds: []string{CertQualiPV, CertQualifelec}},
		{Keywords: []string{"pompe à chaleur", "pompe a chaleur", "heat pump"}, Kinds: []string{CertQualiPAC}},
	}
}

// RequiredCertificates returns what a lead of segment with need requires
// under reqs: one list of kinds per requirement that applies, each
// satisfied by one valid certificate of any of its kinds. nil: nothing is
// required.
func RequiredCertificates(reqs []CertRequirement, segment, need string) [][]string {
	need = strings.ToLower(need)
	var out [][]string
	for _, r := range reqs {
		if len(r.Kinds) == 0 || (len(r.Segments) > 0 && !slices.Contains(r.Segments, segment)) {
			continue
		}
		if len(r.Keywords) > 0 && !slices.ContainsFunc(r.Keywords, func(k string) bool {
			k = strings.ToLower(strings.TrimSpace(k))
			return k != "" && strings.Contains(need, k)
		}) {
			continue
		}
		out = append(out, slices.Clone(r.Kinds))
	}
	return out
}

// CertificateValid reports whether a certificate valid until validUntil
// (a date) is valid at now: through the whole UTC day of validUntil.
func CertificateValid(validUntil, now time.Time) bool {
	if validUntil.IsZero() {
		return false
	}
	y, m, d := validUntil.UTC().Date()
	return now.Before(time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC))
}

// MissingCertificate returns the first requirement of required (lists of
// kinds, any of which will do) that held (kind → latest valid-until date)
// does not meet at now, or nil when every one is met.
func MissingCertificate(required [][]string, held map[string]time.Time, now time.Time) []string {
	for _, kinds := range required {
		if !slices.ContainsFunc(kinds, func(k string) bool { return CertificateValid(held[k], now) }) {
			return kinds
		}
	}
	return nil
}
