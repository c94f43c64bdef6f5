package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAccountAndIntakeRoutesPerRole: every route of the accounts, the
// phone-call lead and the import answers each demo role as its menu says
// (404 to the roles without the page), and sends guests to the login page.
func TestAccountAndIntakeRoutesPerRole(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	roles := []string{"installer001.sales@demo.test", "installer001@demo.test", "teleop@demo.test", "manager.ouest@demo.test", "sales@demo.test", "admin@demo.test", "api@demo.test"}
	const no = http.StatusNotFound
	rows := []struct {
		method, path string
		want         []int // per role, in the order of roles
	}{
		{"GET", "/accounts", []int{200, 200, no, 200, 200, 200, no}},
		{"GET", "/accounts/new", []int{200, 200, no, 200, 200, 200, no}},
		{"GET", "/accounts/" + f.p1.Id, []int{200, 200, no, 200, no, 200, no}},
		{"POST", "/accounts/" + f.p1.Id, []int{no, 422, no, 422, no, 422, no}},
		{"POST", "/accounts/" + f.p1.Id + "/contacts", []int{422, 422, no, 422, no, 422, no}},
		{"POST", "/accounts/" + f.p1.Id + "/opportunities", []int{no, no, no, 422, no, 422, no}},
		{"POST", "/accounts", []int{422, 422, no, 422, 422, 422, no}},
		{"GET", "/leads/new", []int{no, no, 200, 200, 200, 200, no}},
		{"POST", "/leads/new", []int{no, no, 422, 422, 422, 422, no}},
		{"GET", "/leads/import", []int{no, no, no, 200, no, 200, no}},
		{"POST", "/leads/import", []int{no, no, no, 422, no, 422, no}},
		{"GET", "/leads/import/nojob", []int{no, no, no, no, no, no, no}},
		{"POST", "/leads/import/nojob/confirm", []int{no, no, no, no, no, no, no}},
	}
	for i, email := range roles {
		b := e.signedIn(email)
		b.get("/profile")
		for _, r := range rows {
			var got resp
			if r.method == "GET" {
				got = b.get(r.path)
			} else {
				got = b.post(r.path, url.Values{}) // an empty form: refused by its checks when allowed
			}
			assert.Equal(t, r.want[i], got.Status, "%s %s %s", email, r.method, r.path)
		}
	}
	guest := e.browser()
	for _, r := range rows {
		if r.method == "GET" {
			got := guest.get(r.path)
			assert.Equal(t, http.StatusSeeOther, got.Status, "guest %s", r.path)
			assert.Contains(t, got.Header.Get("Location"), "/login", "guest %s", r.path)
		}
	}
}
