package fieldcheck

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/domain"
)

func TestDecodeJSON(t *testing.T) {
	type contact struct {
		FirstName string `json:"first_name"`
	}
	type lead struct {
		Company string   `json:"company"`
		Score   *int     `json:"score"`
		Value   float64  `json:"estimated_value"`
		Consent bool     `json:"consent"`
		Contact *contact `json:"contact"`
	}
	var ok lead
	assert.NoError(t, DecodeJSON([]byte(`{"company":"Acme","score":40,"estimated_value":12.5,"consent":true,"contact":{"first_name":"Anne"}}`), &ok))
	assert.Equal(t, "Anne", ok.Contact.FirstName)
	for body, field := range map[string]string{
		`{"score":"abc"}`:                  "score",
		`{"score":1.5}`:                    "score",
		`{"company":12}`:                   "company",
		`{"estimated_value":"12k"}`:        "estimated_value",
		`{"estimated_value":1e400}`:        "estimated_value",
		`{"consent":"yes"}`:                "consent",
		`{"contact":{"first_name":3}}`:     "contact.first_name",
		`{"contact":"Anne"}`:               "contact",
		`[1]`:                              "",
		`{"company":"Acme"`:                "",
		`{"company":"Acme"} trailing text`: "",
	} {
		var v lead
		err := DecodeJSON([]byte(body), &v)
		var de *domain.Error
		if assert.True(t, errors.As(err, &de), body) {
			assert.Equal(t, field, de.Field, body)
			assert.Equal(t, domain.KindInvalid, de.Kind, body)
		}
	}
}
