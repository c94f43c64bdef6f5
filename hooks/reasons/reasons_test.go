package reasons

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDecline(t *testing.T) {
	for _, c := range []struct{ in, code, note string }{
		{"", "", ""},
		{"  ", "", ""},
		{"segment", Segment, ""},
		{"Segment non traité", Segment, ""},
		{"Segment we do not serve", Segment, ""},
		{"segment WE DO NOT SERVE", Segment, ""},
		{"Segment non traité: que du tertiaire", Segment, "que du tertiaire"},
		{"Capacity reached this month: back in January", Capacity, "back in January"},
		{"Capacité atteinte ce mois-ci", Capacity, ""},
		{"Chantier trop petit", Size, ""},
		{"Project too small", Size, ""},
		{"Hors de notre zone d'intervention: 80 km", Zone, "80 km"},
		{"Outside our service area", Zone, ""},
		{"Trop loin", Other, "Trop loin"},
		{"Segment non traitéX", Other, "Segment non traitéX"},
		{"other", Other, ""},
	} {
		code, note := ParseDecline(c.in)
		assert.Equal(t, c.code, code, c.in)
		assert.Equal(t, c.note, note, c.in)
	}
	for _, code := range DeclineCodes {
		assert.True(t, IsDecline(code))
	}
	assert.False(t, IsDecline("reassigned"))
}
