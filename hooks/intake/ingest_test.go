package intake

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/domain"
)

// The checks of an ingested lead, in their order: the first failing field
// is the one named.
func TestNormalize(t *testing.T) {
	score := func(n int) *int { return &n }
	valid := func() IngestInput {
		return IngestInput{Company: "Ferme du Lac", Segment: "farm", Source: "api", SourceRef: "R-1", PostalCode: "35000"}
	}
	for _, tc := range []struct {
		name   string
		change func(in *IngestInput)
		field  string // "" when valid
		code   string
	}{
		{"valid", func(in *IngestInput) {}, "", ""},
		{"company too long", func(in *IngestInput) { in.Company = strings.Repeat("x", 201) }, "company", "too_long"},
		{"a business needs a company", func(in *IngestInput) { in.Company = "" }, "company", "required"},
		{"unknown source", func(in *IngestInput) { in.Source = "fax" }, "source", "invalid_value"},
		{"source_ref too long", func(in *IngestInput) { in.SourceRef = strings.Repeat("r", 121) }, "source_ref", "too_long"},
		{"unknown segment", func(in *IngestInput) { in.Segment = "space" }, "segment", "invalid_value"},
		{"unknown company size", func(in *IngestInput) { in.CompanySize = "huge" }, "company_size", "invalid_value"},
		{"score over 100", func(in *IngestInput) { in.Score = score(101) }, "score", "out_of_range"},
		{"negative value", func(in *IngestInput) { in.EstimatedValue = -1 }, "estimated_value", "out_of_range"},
		{"country not ISO", func(in *IngestInput) { in.Country = "France!" }, "country", "invalid_value"},
		{"French postal code", func(in *IngestInput) { in.PostalCode = "350" }, "postal_code", "invalid_value"},
		{"a foreign postal code is not checked", func(in *IngestInput) { in.Country = "be"; in.PostalCode = "1000" }, "", ""},
		{"interest too long", func(in *IngestInput) { in.Interest = strings.Repeat("i", 2001) }, "interest", "too_long"},
		{"bad SIRET", func(in *IngestInput) { in.SIRET = "123" }, "siret", "invalid_value"},
		{"bad e-mail", func(in *IngestInput) { in.Contact = &ContactInput{Email: "not-an-email"} }, "contact.email", "invalid_value"},
		{"bad phone", func(in *IngestInput) { in.Contact = &ContactInput{Phone: "12"} }, "contact.phone", "invalid_value"},
		{"bad mobile", func(in *IngestInput) { in.Contact = &ContactInput{Mobile: "abc"} }, "contact.mobile", "invalid_value"},
		{"the first failing check wins", func(in *IngestInput) { in.Source = "fax"; in.Segment = "space" }, "source", "invalid_value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(&in)
			err := in.normalize()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var de *domain.Error
			require.True(t, errors.As(err, &de), "%v", err)
			assert.Equal(t, tc.field, de.Field)
			assert.Equal(t, tc.code, de.Code)
			assert.Equal(t, domain.KindInvalid, de.Kind)
		})
	}
}

// What normalize cleans.
func TestNormalizeCleans(t *testing.T) {
	in := IngestInput{Company: "  Ferme du Lac ", Source: " API ", SourceRef: " R-1 ", Country: "fr", PostalCode: "3 5000",
		SIRET: "732 829 320 00074", Contact: &ContactInput{Email: " a@b.fr ", Phone: "02 99 00 00 00"}}
	require.NoError(t, in.normalize())
	assert.Equal(t, "Ferme du Lac", in.Company)
	assert.Equal(t, "api", in.Source)
	assert.Equal(t, "R-1", in.SourceRef)
	assert.Equal(t, "FR", in.Country)
	assert.Equal(t, "35000", in.PostalCode)
	assert.Equal(t, "73282932000074", in.SIRET)
	assert.Equal(t, "a@b.fr", in.Contact.Email)
	assert.Equal(t, "+33299000000", in.Contact.Phone)

	other := IngestInput{Company: "Acme", Source: "api", Country: "be", PostalCode: "1000"}
	require.NoError(t, other.normalize())
	assert.Equal(t, "BE", other.Country)

	// a private customer's lead keeps its name in the contact, not in company
	priv := IngestInput{Company: "Famille Martin", Source: "web", PostalCode: "35000"}
	require.NoError(t, priv.normalize())
	assert.True(t, priv.Private)
	assert.Empty(t, priv.Company)
	require.NotNil(t, priv.Contact)
	assert.Equal(t, "Martin", priv.Contact.LastName)
}

func TestInitialStatus(t *testing.T) {
	n := func(v int) *int { return &v }
	assert.Equal(t, "new", initialStatus(nil, 60))
	assert.Equal(t, "new", initialStatus(n(59), 60))
	assert.Equal(t, "ready", initialStatus(n(60), 60))
	assert.Equal(t, "ready", initialStatus(n(0), 0))
	assert.Equal(t, "new", initialStatus(nil, 0), "a lead sent without a score is not ready")
}

func TestNextChunk(t *testing.T) {
	for _, c := range []struct {
		rows         int
		took, target time.Duration
		want         int
	}{
		{100, time.Second, 250 * time.Millisecond, 25},
		{100, 100 * time.Millisecond, 250 * time.Millisecond, 250},
		{100, 10 * time.Second, 250 * time.Millisecond, 2},
		{10, 10 * time.Second, 250 * time.Millisecond, 1},
		{500, time.Millisecond, 250 * time.Millisecond, 1000},
		{100, 0, 250 * time.Millisecond, 1000},
	} {
		if got := nextChunk(c.rows, c.took, c.target); got != c.want {
			t.Errorf("nextChunk(%d, %v, %v) = %d, want %d", c.rows, c.took, c.target, got, c.want)
		}
	}
}
