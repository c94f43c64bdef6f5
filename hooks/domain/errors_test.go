package domain

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		err   *Error
		kind  Kind
		field string
	}{
		{Invalid("required", "company", "company is required"), KindInvalid, "company"},
		{Forbidden("not_allowed", "no"), KindForbidden, ""},
		{Conflict("offer_expired", "this offer has expired"), KindConflict, ""},
		{Errorf(KindInvalid, "invalid_date", "expires", "%s must be a date", "expires"), KindInvalid, "expires"},
	} {
		assert.Equal(t, tc.kind, tc.err.Kind, tc.err.Code)
		assert.Equal(t, tc.field, tc.err.Field, tc.err.Code)
		assert.Equal(t, tc.err.Message, tc.err.Error())
	}
	assert.Equal(t, "expires must be a date", Errorf(KindInvalid, "c", "", "%s must be a date", "expires").Message)
}

// A missing record is not visible; any other error stays an error.
func TestMissingAsNotVisible(t *testing.T) {
	assert.ErrorIs(t, MissingAsNotVisible(sql.ErrNoRows), ErrNotVisible)
	assert.ErrorIs(t, MissingAsNotVisible(fmt.Errorf("find: %w", sql.ErrNoRows)), ErrNotVisible)
	broken := errors.New("disk I/O error")
	assert.Equal(t, broken, MissingAsNotVisible(broken))
	assert.NoError(t, MissingAsNotVisible(nil))
}
