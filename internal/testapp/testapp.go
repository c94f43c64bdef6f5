// Package testapp builds PocketBase test apps with the Relais migrations,
// hooks and REST API: real SQLite, real rules, real routes. It is for
// tests (and the benchmarks) only; it builds PocketBase's router, which
// nothing under hooks/ may import.
package testapp

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks"
	// the Relais schema
	_ "github.com/relais/relais/migrations"
)

var (
	templateOnce sync.Once
	templateDir  string
	templateErr  error
)

// Template returns a data dir with every migration applied and the
// start-up step done (hooks.Reconcile), built once per test binary so that
// each test app only copies it.
func Template(tb testing.TB) string {
	tb.Helper()
	templateOnce.Do(func() {
		empty, err := os.MkdirTemp("", "relais_empty_")
		if err != nil {
			templateErr = err
			return
		}
		app, err := tests.NewTestApp(empty)
		if err != nil {
			templateErr = err
			return
		}
		// what `relais serve` does after the migrations
		if _, err := hooks.Reconcile(app); err != nil {
			templateErr = errors.Join(err, app.ClearBootstrap())
			return
		}
		// keep the migrated clone as the template (Cleanup would remove it)
		templateDir = app.DataDir()
		templateErr = app.ClearBootstrap()
	})
	if templateErr != nil {
		tb.Fatalf("building the test template: %v", templateErr)
	}
	return templateDir
}

// Options tune New.
type Options struct {
	// RateLimits keeps the rate limiter on (it is off by default in tests
	// so that table tests can send many requests from one address).
	RateLimits bool
}

// New returns a fresh app cloned from dir (Template when empty) with the
// Relais hooks and API registered. The app is cleaned up with the test.
func New(tb testing.TB, dir string, opts ...Options) *tests.TestApp {
	tb.Helper()
	if dir == "" {
		dir = Template(tb)
	}
	app, err := tests.NewTestApp(dir)
	if err != nil {
		tb.Fatalf("test app: %v", err)
	}
	tb.Cleanup(app.Cleanup)
	Setup(tb, app, opts...)
	return app
}

// NewServing is New on a clone of Template with the databases opened as
// `relais serve` opens them (hooks.DBConnect), for tests where another
// process (a command) shares the data dir.
func NewServing(tb testing.TB, opts ...Options) *tests.TestApp {
	tb.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: Template(tb), EncryptionEnv: "pb_test_env", DBConnect: hooks.DBConnect})
	if err != nil {
		tb.Fatalf("test app: %v", err)
	}
	tb.Cleanup(app.Cleanup)
	Setup(tb, app, opts...)
	return app
}

// Setup registers the Relais hooks and API on an app made by tests.NewTestApp
// (for ApiScenario factories) and applies the test options.
func Setup(tb testing.TB, app core.App, opts ...Options) {
	tb.Helper()
	hooks.Register(app)
	api.Register(app)
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if !o.RateLimits {
		app.Settings().RateLimits.Enabled = false
	}
}
