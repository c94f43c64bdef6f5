package intake

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckAppointment(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, a := range []*AppointmentInput{nil, {}, {Place: &PlaceInput{}}} {
		got, err := CheckAppointment(a, "FR", "35000", "Rennes", now)
		require.NoError(t, err, "no appointment (a multipart binder allocates an empty one)")
		assert.Nil(t, got)
	}
	got, err := CheckAppointment(&AppointmentInput{At: "2026-12-10T14:30", With: " M. X "}, "FR", "35000", "Rennes", now)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 12, 10, 13, 30, 0, 0, time.UTC), got.At, "Paris time without an offset")
	assert.Equal(t, Appointment{At: got.At, PostalCode: "35000", City: "Rennes", With: "M. X"}, *got)
	got, err = CheckAppointment(&AppointmentInput{At: "2026-12-10T14:30:00Z", Place: &PlaceInput{Street: "1 rue A", PostalCode: "29 200"}}, "FR", "35000", "Rennes", now)
	require.NoError(t, err)
	assert.Equal(t, "29200", got.PostalCode, "normalised")
	assert.Empty(t, got.City, "another town's postal code does not keep the lead's city")
	_, err = CheckAppointment(&AppointmentInput{With: "x", Place: &PlaceInput{}}, "FR", "35000", "Rennes", now)
	assert.ErrorContains(t, err, "appointment.at is required")
}
