package assign

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRequiredCertificates(t *testing.T) {
	reqs := []CertRequirement{
		{Keywords: []string{"Photovolta", "solar panel"}, Kinds: []string{CertQualiPV, CertQualifelec}},
		{Segments: []string{"farm"}, Keywords: []string{"pompe à chaleur"}, Kinds: []string{CertQualiPAC}},
		{Segments: []string{"public"}, Kinds: []string{CertQualifelec}},
		{Keywords: []string{"ombrière"}}, // no kinds: requires nothing
		{Keywords: []string{"  "}, Kinds: []string{CertOther}},
	}
	tests := []struct {
		name, segment, need string
		want                [][]string
	}{
		{name: "no match", segment: "residential", need: "Remplacement chauffe-eau"},
		{name: "keyword in any case", segment: "residential", need: "Installation PHOTOVOLTAÏQUE 6 kWc", want: [][]string{{CertQualiPV, CertQualifelec}}},
		{name: "english keyword", segment: "business", need: "Solar panels on the workshop roof", want: [][]string{{CertQualiPV, CertQualifelec}}},
		{name: "keyword of a segment rule, other segment", segment: "residential", need: "pompe à chaleur air/eau"},
		{name: "keyword and segment", segment: "farm", need: "Pompe à chaleur pour serre", want: [][]string{{CertQualiPAC}}},
		{name: "segment only rule", segment: "public", need: "Toiture école", want: [][]string{{CertQualifelec}}},
		{name: "two rules apply", segment: "public", need: "photovoltaïque mairie", want: [][]string{{CertQualiPV, CertQualifelec}, {CertQualifelec}}},
		{name: "rule without kinds", segment: "business", need: "Ombrière parking"},
		{name: "blank keyword never matches", segment: "industry", need: "anything"},
		{name: "empty need", segment: "residential", need: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, RequiredCertificates(reqs, tt.segment, tt.need))
		})
	}
}

func TestDefaultCertRequirements(t *testing.T) {
	d := DefaultCertRequirements()
	assert.Equal(t, [][]string{{CertQualiPV, CertQualifelec}}, RequiredCertificates(d, "residential", "Panneaux solaires photovoltaïques 3 kWc"))
	assert.Equal(t, [][]string{{CertQualiPAC}}, RequiredCertificates(d, "residential", "Pompe à chaleur"))
	assert.Nil(t, RequiredCertificates(d, "industry", "Contrat PPA site industriel"))
}

func TestCertificateValid(t *testing.T) {
	day := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		until, now time.Time
		want       bool
	}{
		{"zero date", time.Time{}, day, false},
		{"start of its last day", day, day, true},
		{"end of its last day", day, day.Add(24*time.Hour - time.Nanosecond), true},
		{"the day after", day, day.Add(24 * time.Hour), false},
		{"a year left", day.AddDate(1, 0, 0), day, true},
		{"expired last month", day.AddDate(0, -1, 0), day, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CertificateValid(tt.until, tt.now))
		})
	}
}

func TestMissingCertificate(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	held := map[string]time.Time{CertQualiPV: now.AddDate(0, 1, 0), CertQualiPAC: now.AddDate(0, 0, -2)}
	assert.Nil(t, MissingCertificate(nil, held, now))
	assert.Nil(t, MissingCertificate([][]string{{CertQualifelec, CertQualiPV}}, held, now))
	assert.Equal(t, []string{CertQualiPAC}, MissingCertificate([][]string{{CertQualiPV}, {CertQualiPAC}}, held, now))
	assert.Equal(t, []string{CertQualiPV}, MissingCertificate([][]string{{CertQualiPV}}, nil, now))
}
