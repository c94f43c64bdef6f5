package ui

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/internal/testapp"
)

// The report pages must render in under 200 ms on the demo data.
// These benchmarks seed the full reference demo once (3,600 leads over 12
// months, 120 installers: what `relais demo` seeds) and time each page
// through the real router, session and templates, as the admin (the whole
// network), a channel manager (the west) and a partner manager (one
// company). Results are in BENCHMARKS.md, "Report pages":
//
//	go test ./ui/ -run '^$' -bench BenchmarkReportPages -benchtime 20x

var fullDemo struct {
	once sync.Once
	dir  string
	err  error
}

// fullDemoDir seeds the full demo into a template data dir, once.
func fullDemoDir(tb testing.TB) string {
	tb.Helper()
	fullDemo.once.Do(func() {
		app, err := tests.NewTestApp(testapp.Template(tb))
		if err != nil {
			fullDemo.err = err
			return
		}
		testapp.Setup(tb, app)
		if _, err := demo.Seed(app, demo.Options{Now: time.Now().UTC().Truncate(time.Minute)}); err != nil {
			fullDemo.err = err
			return
		}
		fullDemo.dir = app.DataDir()
		fullDemo.err = app.ClearBootstrap()
	})
	if fullDemo.err != nil {
		tb.Fatalf("seeding the full demo: %v", fullDemo.err)
	}
	return fullDemo.dir
}

// newEnvAt is newEnv on another seeded data dir.
func newEnvAt(tb testing.TB, dir string) *env {
	tb.Helper()
	app := testapp.New(tb, dir)
	Register(app)
	r, err := apis.NewRouter(app)
	if err != nil {
		tb.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(se *core.ServeEvent) error {
		m, err := se.Router.BuildMux()
		mux = m
		return err
	})
	app.Cron().Stop()
	if err != nil {
		tb.Fatal(err)
	}
	return &env{t: tb, app: app, mux: mux}
}

func BenchmarkReportPages(b *testing.B) {
	e := newEnvAt(b, fullDemoDir(b))
	var leads, partners int
	if err := e.app.DB().NewQuery("SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM partners)").Row(&leads, &partners); err != nil {
		b.Fatal(err)
	}
	b.Logf("demo data: %d leads, %d partners", leads, partners)
	for _, who := range []struct{ name, email string }{
		{"admin", "admin@demo.test"},
		{"channel_manager", "manager.ouest@demo.test"},
		{"partner_manager", "installer001@demo.test"},
	} {
		br := e.signedIn(who.email)
		for _, path := range []string{"/dashboard", "/reports", "/reports/charts", "/reports/map", "/reports/map?metric=coverage", "/reports/partners.csv"} {
			if who.name == "partner_manager" && (strings.Contains(path, "coverage") || strings.HasSuffix(path, ".csv")) {
				continue // not theirs (coverage falls back to leads; the CSV is refused)
			}
			b.Run(who.name+strings.NewReplacer("?", "_", "=", "_").Replace(path), func(b *testing.B) {
				bytes := 0
				for b.Loop() {
					r := br.get(path)
					if r.Status != http.StatusOK {
						b.Fatalf("%s %s: %d", who.email, path, r.Status)
					}
					bytes = len(r.Body)
				}
				b.ReportMetric(float64(bytes), "B/page")
			})
		}
	}
}
