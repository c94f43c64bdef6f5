package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The Go benchmarks mirror `relais-bench bench`: each figure has a rest and a raw
// sub-benchmark (compare their ns/op for the ratio). They run against the
// data dir in RELAIS_BENCH_DIR (made by `relais-bench bench-data`; opened in
// place with synchronous=FULL, what they write is removed at the end), or
// against 10k leads / 50 partners generated once into a temporary dir:
//
//	go test ./bench -run '^$' -bench . -benchtime 200x
//	RELAIS_BENCH_DIR=/tmp/relais-1m go test ./bench -run '^$' -bench . -benchtime 100x -timeout 1h

var (
	benchOnce sync.Once
	benchEnv  *Env
	benchApp  *core.BaseApp
	benchDir  string
	benchErr  error
	benchTmp  string
)

// TestMain closes the shared bench app (and removes its rows and the
// generated temporary dir) after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchEnv != nil {
		if err := benchEnv.Cleanup(); err != nil {
			fmt.Fprintln(os.Stderr, "bench cleanup:", err)
			code = 1
		}
	}
	if benchApp != nil {
		_ = benchApp.ClearBootstrap()
	}
	if benchTmp != "" {
		_ = os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

func env(b *testing.B) *Env {
	b.Helper()
	benchOnce.Do(func() {
		benchDir = os.Getenv("RELAIS_BENCH_DIR")
		generate := benchDir == ""
		if generate {
			if benchTmp, benchErr = os.MkdirTemp("", "relais_bench_"); benchErr != nil {
				return
			}
			benchDir = filepath.Join(benchTmp, "pb_data")
		}
		if benchApp, benchErr = Open(benchDir); benchErr != nil {
			return
		}
		if generate {
			if _, benchErr = Generate(benchApp, Options{Leads: 10_000, Partners: 50}); benchErr != nil {
				return
			}
		} else {
			var ok bool
			if ok, benchErr = IsBenchData(benchApp); benchErr == nil && !ok {
				benchErr = fmt.Errorf("%s holds no bench data or real accounts", benchDir)
				return
			}
		}
		Prepare(benchApp)
		benchEnv, benchErr = NewEnv(benchApp)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchEnv
}

func run(b *testing.B, f func(i int) error) {
	b.Helper()
	if err := f(0); err != nil { // warm-up
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := f(i); err != nil {
			b.Fatal(err)
		}
	}
}

func benchList(b *testing.B, s func(e *Env) ListScenario) {
	e := env(b)
	sc := s(e)
	b.Run("rest", func(b *testing.B) { run(b, sc.REST) })
	b.Run("raw", func(b *testing.B) { run(b, sc.Raw) })
}

func BenchmarkPartnerUserList(b *testing.B) {
	benchList(b, (*Env).PartnerUserList)
}

func BenchmarkPartnerUserListWithoutHint(b *testing.B) {
	benchList(b, func(e *Env) ListScenario { return e.withoutHints(e.PartnerUserList()) })
}

func BenchmarkPartnerUserListCount(b *testing.B) {
	benchList(b, (*Env).PartnerUserListCount)
}

func BenchmarkPartnerManagerList(b *testing.B) {
	benchList(b, (*Env).PartnerManagerList)
}

func BenchmarkPartnerManagerListWithoutHint(b *testing.B) {
	benchList(b, func(e *Env) ListScenario { return e.withoutHints(e.PartnerManagerList()) })
}

func BenchmarkChannelManagerBoard(b *testing.B) {
	benchList(b, (*Env).ChannelManagerBoard)
}

// reportRate adds a per-second metric (req/s, leads/s) from ns/op.
func reportRate(b *testing.B, perOp float64, unit string) {
	if b.N > 0 && b.Elapsed() > 0 {
		b.ReportMetric(perOp*float64(b.N)/b.Elapsed().Seconds(), unit)
	}
}

func BenchmarkIngest(b *testing.B) {
	e := env(b)
	for _, assign := range []bool{false, true} {
		name := "new"
		if assign {
			name = "ready_assigned"
		}
		b.Run(name+"/rest", func(b *testing.B) {
			run(b, func(int) error { return e.IngestREST(assign) })
			reportRate(b, 1, "req/s")
		})
		b.Run(name+"/raw", func(b *testing.B) {
			run(b, func(int) error { return e.IngestRaw(assign) })
			reportRate(b, 1, "req/s")
		})
	}
}

// BenchmarkIngestWebhooks alternates rounds of 20 ingests without and
// with a webhook endpoint for the integration (the outbox event written in
// the transaction of the offer), and reports the median rate of each.
func BenchmarkIngestWebhooks(b *testing.B) {
	e := env(b)
	for _, assign := range []bool{false, true} {
		name := "new"
		if assign {
			name = "ready_assigned"
		}
		b.Run(name, func(b *testing.B) {
			defer func() {
				if err := e.SetIntegrationWebhook(false); err != nil {
					b.Error(err)
				}
			}()
			var took [2][]time.Duration // without, with the webhook
			i, events := 0, 0
			for b.Loop() {
				with := (i/20)%2 == 1
				if i%20 == 0 {
					b.StopTimer()
					if !with && i > 0 {
						events += outboxEvents(b, e) // the round with the webhook
					}
					if err := e.SetIntegrationWebhook(with); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				start := time.Now()
				if err := e.IngestREST(assign); err != nil {
					b.Fatal(err)
				}
				k := 0
				if with {
					k = 1
				}
				took[k] = append(took[k], time.Since(start))
				i++
			}
			events += outboxEvents(b, e) // the last round (removed by the deferred switch)
			if n := len(took[1]); n > 0 {
				b.ReportMetric(float64(events)/float64(n), "events/ingest_with_webhook")
			}
			for k, unit := range []string{"req/s_without_webhook", "req/s_with_webhook"} {
				if d := medianDuration(took[k]); d > 0 {
					b.ReportMetric(float64(time.Second)/float64(d), unit)
				}
			}
		})
	}
}

// outboxEvents counts the outbox events of the bench integration.
func outboxEvents(b *testing.B, e *Env) int {
	var n int
	if err := e.App.DB().NewQuery("SELECT COUNT(*) FROM webhook_events WHERE user = {:u}").
		Bind(dbx.Params{"u": e.Integration.ID}).Row(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// medianDuration is the median of d (0 when empty).
func medianDuration(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func BenchmarkIngestBatch1000(b *testing.B) {
	e := env(b)
	b.Run("rest", func(b *testing.B) {
		run(b, func(int) error { return e.IngestBatchREST(1000) })
		reportRate(b, 1000, "leads/s")
	})
	b.Run("raw", func(b *testing.B) {
		run(b, func(int) error { return e.IngestBatchRaw(1000) })
		reportRate(b, 1000, "leads/s")
	})
}

// BenchmarkAccept20 times one round: 20 partners accept their offer at
// once; the metrics are the median and p95 latency of one accept.
func BenchmarkAccept20(b *testing.B) {
	e := env(b)
	for _, raw := range []bool{false, true} {
		name := "rest"
		if raw {
			name = "raw"
		}
		b.Run(name, func(b *testing.B) {
			var all []time.Duration
			for b.Loop() {
				b.StopTimer()
				leads, err := e.offerOneEach()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				accept := e.acceptREST
				if raw {
					accept = e.acceptRaw
				}
				lat, err := acceptAll(leads, accept)
				if err != nil {
					b.Fatal(err)
				}
				all = append(all, lat...)
			}
			b.ReportMetric(ms(Median(all)), "median-ms")
			b.ReportMetric(ms(Percentile(all, 95)), "p95-ms")
		})
	}
}

func BenchmarkReports(b *testing.B) {
	e := env(b)
	if !e.ReportsRouted() {
		b.Log("no /api/prm/reports routes in this build: only the raw SQL runs")
	}
	for _, r := range []struct {
		name      string
		rest, raw func(int) error
	}{
		{"dashboard", func(int) error { return e.DashboardREST() }, func(int) error { return e.DashboardRaw() }},
		{"scorecard_all", func(int) error { return e.ScorecardREST() }, func(int) error { return e.ScorecardRaw() }},
		{"scorecard_own", e.OwnScorecardREST, e.OwnScorecardRaw},
	} {
		if e.ReportsRouted() {
			b.Run(r.name+"/rest", func(b *testing.B) { run(b, r.rest) })
		}
		b.Run(r.name+"/raw", func(b *testing.B) { run(b, r.raw) })
	}
}

// BenchmarkColdStart builds the relais binary and starts `relais serve` on
// the bench data dir b.N times (ns/op includes the 2 s idle wait and the
// stop); the metrics are the median time to the first /api/health 200,
// the idle RSS and the binary size.
func BenchmarkColdStart(b *testing.B) {
	env(b)
	root, err := ModuleRoot()
	if err != nil {
		b.Fatal(err)
	}
	bin, err := BuildBinary(root, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	size, err := BinarySize(bin)
	if err != nil {
		b.Fatal(err)
	}
	var starts []time.Duration
	var rss []int64
	for b.Loop() {
		p, err := StartServe(bin, benchDir, 2*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		starts, rss = append(starts, p.ColdStart), append(rss, p.RSS)
	}
	b.ReportMetric(ms(Median(starts)), "start-ms")
	b.ReportMetric(float64(medianInt(rss))/(1<<20), "rss-MB")
	b.ReportMetric(float64(size)/(1<<20), "binary-MB")
}
