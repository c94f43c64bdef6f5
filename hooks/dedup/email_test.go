package dedup

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "jean@acme.fr", "jean@acme.fr"},
		{"trim and lower", "  Jean.Dupont@ACME.FR \t", "jean.dupont@acme.fr"},
		{"plus tag kept", "jean+crm@acme.fr", "jean+crm@acme.fr"},
		{"subdomain", "a@mail.acme.co.uk", "a@mail.acme.co.uk"},
		{"hyphen domain", "a@dupont-fils.fr", "a@dupont-fils.fr"},
		{"empty", "", ""},
		{"spaces only", "   ", ""},
		{"no at", "jean.acme.fr", ""},
		{"two ats", "jean@@acme.fr", ""},
		{"no local part", "@acme.fr", ""},
		{"no domain", "jean@", ""},
		{"no dot in domain", "jean@localhost", ""},
		{"empty label", "jean@acme..fr", ""},
		{"trailing dot", "jean@acme.fr.", ""},
		{"leading hyphen label", "jean@-acme.fr", ""},
		{"display name", "Jean <jean@acme.fr>", ""},
		{"angle brackets", "<jean@acme.fr>", ""},
		{"inner space", "jean dupont@acme.fr", ""},
		{"two addresses", "a@acme.fr, b@acme.fr", ""},
		{"non-ascii domain", "a@société.fr", ""},
		{"too long", strings.Repeat("a", 250) + "@acme.fr", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NormalizeEmail(tt.in))
		})
	}
}

func TestEmailDomain(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"company domain", "jean@acme.fr", "acme.fr"},
		{"lower-cased", "Jean@ACME.FR", "acme.fr"},
		{"subdomain kept", "jean@lyon.acme.fr", "lyon.acme.fr"},
		{"invalid address", "not an email", ""},
		{"empty", "", ""},
		{"gmail", "jean@gmail.com", ""},
		{"gmail upper-case", "Jean@GMAIL.COM", ""},
		{"hotmail.fr", "jean@hotmail.fr", ""},
		{"orange.fr", "jean@orange.fr", ""},
		{"wanadoo.fr", "jean@wanadoo.fr", ""},
		{"free.fr", "jean@free.fr", ""},
		{"yahoo.fr", "jean@yahoo.fr", ""},
		{"yahoo.com", "jean@yahoo.com", ""},
		{"outlook.fr", "jean@outlook.fr", ""},
		{"outlook.com", "jean@outlook.com", ""},
		{"laposte.net", "jean@laposte.net", ""},
		{"sfr.fr", "jean@sfr.fr", ""},
		{"icloud.com", "jean@icloud.com", ""},
		// La Poste the company is not the free laposte.net mailbox.
		{"laposte.fr is a company", "jean@laposte.fr", "laposte.fr"},
		{"lookalike is a company", "jean@gmail.com.acme.fr", "gmail.com.acme.fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, EmailDomain(tt.in))
		})
	}
}

func TestIsFreeMailDomain(t *testing.T) {
	assert.True(t, IsFreeMailDomain("gmail.com"))
	assert.True(t, IsFreeMailDomain("wanadoo.fr"))
	assert.False(t, IsFreeMailDomain("acme.fr"))
	assert.False(t, IsFreeMailDomain(""))
	assert.False(t, IsFreeMailDomain("GMAIL.COM"), "expects a lower-case domain")
}
