package ui

import (
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/relais/relais/internal/testapp"
)

// BenchmarkUIPages times the pages of the mixed load (issue of the second
// performance pass) per role through the real router, session and
// templates, and reports the SQL statements each runs. On the data of
// `relais demo` (RELAIS_DEMO_DIR, copied first) or else the full demo
// seeded once:
//
//	RELAIS_DEMO_DIR=/tmp/x-demo go test ./ui/ -run '^$' -bench BenchmarkUIPages -benchtime 30x
func BenchmarkUIPages(b *testing.B) {
	dir := os.Getenv("RELAIS_DEMO_DIR")
	if dir == "" {
		dir = fullDemoDir(b)
	}
	e := newEnvAt(b, dir)
	l := testapp.LogStatements(e.app)
	leadRe := regexp.MustCompile(`href="/leads/([a-z0-9]{15})"`)
	for _, who := range []struct{ name, email string }{
		{"admin", "admin@demo.test"},
		{"channel_manager", "manager.ouest@demo.test"},
		{"sales", "sales@demo.test"},
		{"partner_manager", "installer001@demo.test"},
		{"partner_user", "installer001.sales@demo.test"},
	} {
		br := e.signedIn(who.email)
		paths := []string{"/dashboard", "/leads", "/inbox", "/board", "/accounts"}
		if m := leadRe.FindStringSubmatch(br.get("/leads").Body); m != nil {
			paths = append(paths, "/leads/"+m[1])
		}
		for _, path := range paths {
			if r := br.get(path); r.Status != http.StatusOK {
				continue // not a page of this role
			}
			name := path
			if len(path) > 7 && path[:7] == "/leads/" {
				name = "/lead"
			}
			b.Run(who.name+name, func(b *testing.B) {
				n := len(l.Record(func() { br.get(path) }))
				for b.Loop() {
					if r := br.get(path); r.Status != http.StatusOK {
						b.Fatalf("%s %s: %d", who.email, path, r.Status)
					}
				}
				b.ReportMetric(float64(n), "stmts/page")
			})
		}
	}
}
