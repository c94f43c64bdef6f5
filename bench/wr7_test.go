package bench

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/stmtcache"
	"github.com/relais/relais/hooks/writerhold"
)

// BenchmarkWriterHold measures the writer's hold per transaction, split
// into work and commit (hooks/writerhold), with the CPU time and the
// statements per operation, for rounds of 20 concurrent accepts (REST)
// and sequential single ingests (a new lead below the threshold, a ready
// lead distributed in its transaction). RELAIS_BENCH_STATEMENTS=1 logs
// each statement's count and mean time per operation.
func BenchmarkWriterHold(b *testing.B) {
	e := env(b)
	cases := []struct {
		name, kind string
		perOp      int
		op         func() error
	}{
		{"accept20", writerhold.Accept, 20, func() error {
			leads, err := e.offerOneEach()
			if err != nil {
				return err
			}
			_, err = acceptAll(leads, e.acceptREST)
			return err
		}},
		{"ingest_new", writerhold.Ingest, 1, func() error { return e.IngestREST(false) }},
		{"ingest_ready", writerhold.Ingest, 1, func() error { return e.IngestREST(true) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if err := c.op(); err != nil { // warm-up
				b.Fatal(err)
			}
			writerhold.Take(e.App)
			st := e.TimeStatements()
			sc := stmtcache.Snapshot()
			cpu0, err := CPUTime()
			if err != nil {
				b.Fatal(err)
			}
			ops := 0
			for b.Loop() {
				if err := c.op(); err != nil {
					b.Fatal(err)
				}
				ops += c.perOp
			}
			cpu1, err := CPUTime()
			if err != nil {
				b.Fatal(err)
			}
			sts := st.Stop()
			f := writerhold.Take(e.App)[c.kind]
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
			b.ReportMetric(ms(f.Work.P50), "work-p50-ms")
			b.ReportMetric(ms(f.Commit.P50), "commit-p50-ms")
			b.ReportMetric(ms(f.Hold.P50), "hold-p50-ms")
			b.ReportMetric(ms(f.Hold.P95), "hold-p95-ms")
			b.ReportMetric(ms(f.Hold.Max), "hold-max-ms")
			b.ReportMetric(ms((cpu1-cpu0)/time.Duration(max(ops, 1))), "cpu-ms/op")
			n := 0
			for _, s := range sts {
				n += s.N
			}
			b.ReportMetric(float64(n)/float64(max(ops, 1)), "stmts/op")
			b.ReportMetric(float64(stmtcache.Snapshot().Reuses-sc.Reuses)/float64(max(ops, 1)), "cached-stmts/op")
			b.Logf("%s: %d transactions, work p50/p95/max %v/%v/%v, commit %v/%v/%v, hold %v/%v/%v",
				c.name, f.N, f.Work.P50, f.Work.P95, f.Work.Max, f.Commit.P50, f.Commit.P95, f.Commit.Max, f.Hold.P50, f.Hold.P95, f.Hold.Max)
			if os.Getenv("RELAIS_BENCH_STATEMENTS") != "" {
				b.Logf("%s statements:\n%s", c.name, FormatStatements(sts, ops))
			}
		})
	}
}

// BenchmarkAcceptGrouping alternates, round by round, rounds of 20
// concurrent accepts (REST) committed alone and in groups of at most 4, 8
// and 20 (distribution.AcceptBatch), and reports the median and p95
// latency of each setting.
func BenchmarkAcceptGrouping(b *testing.B) {
	e := env(b)
	settings := []int32{1, 4, 8, 20}
	lat := map[int32][]time.Duration{}
	defer distribution.AcceptBatch.Store(0)
	for i := 0; b.Loop(); i++ {
		for j := range settings {
			k := settings[(i+j)%len(settings)]
			leads, err := e.offerOneEach()
			if err != nil {
				b.Fatal(err)
			}
			distribution.AcceptBatch.Store(k)
			l, err := acceptAll(leads, e.acceptREST)
			if err != nil {
				b.Fatal(err)
			}
			if err := e.checkAccepted(leads); err != nil {
				b.Fatal(err)
			}
			lat[k] = append(lat[k], l...)
		}
	}
	for _, k := range settings {
		name := "alone"
		if k > 1 {
			name = fmt.Sprintf("group%d", k)
		}
		b.ReportMetric(float64(Median(lat[k]))/1e6, name+"-median-ms")
		b.ReportMetric(float64(Percentile(lat[k], 95))/1e6, name+"-p95-ms")
	}
}
