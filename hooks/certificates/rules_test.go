package certificates

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/domain"
)

func TestCheckRules(t *testing.T) {
	got, err := CheckRules([]assign.CertRequirement{
		{Segments: []string{"farm", "farm"}, Keywords: []string{" photovolta ", "", "photovolta"}, Kinds: []string{"rge_qualipv", "qualifelec", "rge_qualipv"}},
		{Keywords: []string{"heat pump"}, Kinds: []string{"rge_qualipac"}},
	})
	require.NoError(t, err)
	assert.Equal(t, []assign.CertRequirement{
		{Segments: []string{"farm"}, Keywords: []string{"photovolta"}, Kinds: []string{"rge_qualipv", "qualifelec"}},
		{Keywords: []string{"heat pump"}, Kinds: []string{"rge_qualipac"}},
	}, got, "trimmed, without duplicates")
	got, err = CheckRules(nil)
	require.NoError(t, err)
	assert.Empty(t, got, "no rule: no lead needs a certificate")

	long := make([]byte, MaxKeywordLen+1)
	for i := range long {
		long[i] = 'a'
	}
	many := make([]string, MaxKeywords+1)
	for i := range many {
		many[i] = string(rune('a' + i))
	}
	for _, c := range []struct {
		name, code string
		rule       assign.CertRequirement
	}{
		{"unknown kind", "cert_rules_kind", assign.CertRequirement{Segments: []string{"farm"}, Kinds: []string{"iso9001"}}},
		{"no kind", "cert_rules_no_kind", assign.CertRequirement{Segments: []string{"farm"}}},
		{"unknown segment", "cert_rules_segment", assign.CertRequirement{Segments: []string{"moon"}, Kinds: []string{"other"}}},
		{"every lead", "cert_rules_everything", assign.CertRequirement{Keywords: []string{"  "}, Kinds: []string{"other"}}},
		{"keyword too long", "cert_rules_keyword", assign.CertRequirement{Keywords: []string{string(long)}, Kinds: []string{"other"}}},
		{"too many keywords", "cert_rules_keywords", assign.CertRequirement{Keywords: many, Kinds: []string{"other"}}},
	} {
		_, err := CheckRules([]assign.CertRequirement{c.rule})
		var de *domain.Error
		require.ErrorAs(t, err, &de, c.name)
		assert.Equal(t, c.code, de.Code, c.name)
	}
	_, err = CheckRules(make([]assign.CertRequirement, MaxRules+1))
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "cert_rules_count", de.Code)
}
