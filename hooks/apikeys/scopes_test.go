package apikeys

import "testing"

func TestRouteScope(t *testing.T) {
	cases := []struct{ method, path, want string }{
		{"POST", "/api/prm/leads/ingest", ScopeIngest},
		{"POST", "/api/prm/leads/ingest/", ScopeIngest},
		{"POST", "/api/prm/leads/ingest/batch", ScopeIngest},
		{"POST", "/api/prm/leads/abc123/recording", ScopeIngest},
		{"POST", "/api/prm/leads//recording", ""},
		{"GET", "/api/prm/leads/ingest", ""},
		{"GET", "/api/collections/leads/records", ScopeStatus},
		{"GET", "/api/collections/leads/records/abc", ScopeStatus},
		{"PATCH", "/api/collections/leads/records/abc", ""},
		{"DELETE", "/api/collections/leads/records/abc", ""},
		{"POST", "/api/collections/leads/records", ""},
		{"GET", "/api/collections/relais_leads/records", ""}, // by id: refused, not guessed
		{"GET", "/api/collections/lead_contacts/records", ""},
		{"GET", "/api/collections/users/records", ""},
		{"POST", "/api/collections/users/auth-refresh", ""}, // a key never becomes a token
		{"POST", "/api/collections/users/auth-with-password", ""},
		{"GET", "/api/realtime", ""},
		{"POST", "/api/realtime", ""},
		{"POST", "/api/batch", ""},
		{"GET", "/api/prm/webhooks/events", ScopeWebhooks},
		{"GET", "/api/prm/export/leads", ""},
		{"POST", "/api/prm/leads/abc/accept", ""},
		{"GET", "/api/files/leads/abc/file.mp3", ""},
		{"GET", "/", ""},
	}
	for _, c := range cases {
		if got := RouteScope(c.method, c.path); got != c.want {
			t.Errorf("RouteScope(%s %s) = %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

func TestAllows(t *testing.T) {
	cases := []struct {
		scopes       []string
		method, path string
		want         bool
	}{
		{[]string{ScopeIngest}, "POST", "/api/prm/leads/ingest", true},
		{[]string{ScopeIngest}, "GET", "/api/collections/leads/records", false},
		{[]string{ScopeStatus}, "GET", "/api/collections/leads/records", true},
		{[]string{ScopeStatus}, "POST", "/api/prm/leads/ingest", false},
		{nil, "POST", "/api/prm/leads/ingest", false},
		{Scopes(), "GET", "/api/collections/users/records", false},
	}
	for _, c := range cases {
		if got := Allows(c.scopes, c.method, c.path); got != c.want {
			t.Errorf("Allows(%v, %s %s) = %v, want %v", c.scopes, c.method, c.path, got, c.want)
		}
	}
}

func TestValidScopes(t *testing.T) {
	cases := []struct {
		in   []string
		want bool
	}{
		{[]string{"ingest"}, true},
		{[]string{"ingest", "status", "webhooks"}, true},
		{nil, false},
		{[]string{"ingest", "ingest"}, false},
		{[]string{"admin"}, false},
		{[]string{""}, false},
	}
	for _, c := range cases {
		if got := ValidScopes(c.in); got != c.want {
			t.Errorf("ValidScopes(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestKeyShapeAndHash(t *testing.T) {
	k, err := newKey()
	if err != nil {
		t.Fatal(err)
	}
	if !IsKey(k) || len(k) != len(keyPrefix)+43 {
		t.Fatalf("key %q: wrong shape", k)
	}
	if IsKey("eyJhbGciOiJIUzI1NiJ9.x.y") {
		t.Fatal("a JWT taken for a key")
	}
	h := Hash(k)
	if len(h) != 64 || h != Hash(k) || h == Hash(k+"x") {
		t.Fatalf("hash %q", h)
	}
	k2, _ := newKey()
	if k2 == k {
		t.Fatal("two keys alike")
	}
}
