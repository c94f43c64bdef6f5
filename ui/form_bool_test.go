package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
)

// A switch field is "true" or "false"; anything else, absent included, is
// a 400 and never false.
func TestFormBoolIsStrict(t *testing.T) {
	for _, c := range []struct {
		form   url.Values
		want   bool
		status int
	}{
		{url.Values{"on": {"true"}}, true, 0},
		{url.Values{"on": {"false"}}, false, 0},
		{url.Values{"on": {"TRUE"}}, false, http.StatusBadRequest},
		{url.Values{"on": {"1"}}, false, http.StatusBadRequest},
		{url.Values{"on": {""}}, false, http.StatusBadRequest},
		{url.Values{"of": {"false"}}, false, http.StatusBadRequest},
		{url.Values{}, false, http.StatusBadRequest},
	} {
		e := &core.RequestEvent{}
		e.Request = httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(c.form.Encode()))
		e.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		got, err := formBool(e, "on")
		assert.Equal(t, c.want, got, "%v", c.form)
		var ue *uiError
		if c.status == 0 {
			assert.NoError(t, err, "%v", c.form)
			continue
		}
		if assert.True(t, errors.As(err, &ue), "%v: %v", c.form, err) {
			assert.Equal(t, c.status, ue.status)
		}
	}
}
