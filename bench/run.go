package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Figure is one line of the benchmark table.
type Figure struct {
	Name string
	// Unit is "ms" (latency: Value is the median), "req/s" or "leads/s"
	// (throughput), "s" or "MB".
	Unit string
	// Value is Relais's figure, P95 the 95th percentile for latencies, Raw
	// the same work by raw SQL (0: no reference).
	Value, P95, Raw float64
	// Target is the target in words; Met is "yes", "no" or "".
	Target, Met string
	Note        string
	// Runs is the number of measured runs (requests, batches, accepts,
	// starts) behind Value.
	Runs int
}

// Ratio is the cost of Relais over the raw SQL limit (time per operation:
// Value/Raw for latencies, Raw/Value for throughputs); 0 without a reference.
func (f Figure) Ratio() float64 {
	if f.Raw == 0 || f.Value == 0 {
		return 0
	}
	if f.throughput() {
		return f.Raw / f.Value
	}
	return f.Value / f.Raw
}

func (f Figure) throughput() bool { return strings.HasSuffix(f.Unit, "/s") }

// RunOptions tune Run.
type RunOptions struct {
	// Iterations scales every scenario (default 100): list requests per
	// figure, single ingests, batches (Iterations/25), accept rounds of 20
	// (Iterations/20), report calls (Iterations/10); at least one each.
	Iterations int
	// BatchLeads is the size of an ingest batch (default 1,000, the most
	// the route takes).
	BatchLeads int
	// Budget bounds each slow scenario (single and batch ingest, reports):
	// it stops after the run that spends it, without a warm-up run
	// (default 30 s).
	Budget time.Duration
	// Binary and DataDir enable the process figures (cold start, idle RSS,
	// binary size): Binary is a relais binary started with `serve` on
	// DataDir. Starts is the number of starts (default 3).
	Binary, DataDir string
	Starts          int
	// Only restricts the run to these groups of figures: lists, ingest,
	// batch, accept, reports, process (empty: all).
	Only []string
	// Log receives progress lines (nil: none).
	Log io.Writer
}

// Groups are the groups of figures RunOptions.Only selects from.
var Groups = []string{"lists", "search", "ingest", "batch", "accept", "reports", "process", "roi"}

func (o RunOptions) runs(group string) bool {
	return len(o.Only) == 0 || slices.Contains(o.Only, group)
}

func (o *RunOptions) defaults() {
	if o.Iterations <= 0 {
		o.Iterations = 100
	}
	if o.BatchLeads <= 0 {
		o.BatchLeads = 1000
	}
	if o.Budget <= 0 {
		o.Budget = 30 * time.Second
	}
	if o.Starts <= 0 {
		o.Starts = 3
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Median returns the median of durations (0 for none).
func Median(d []time.Duration) time.Duration { return Percentile(d, 50) }

// Percentile returns the p-th percentile (nearest rank) of durations.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func medianInt(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func sum(d []time.Duration) time.Duration {
	var t time.Duration
	for _, x := range d {
		t += x
	}
	return t
}

// pair runs a and b alternately n times and returns their durations.
// Without a budget, one warm-up run of each comes first. With a budget
// (the slow scenarios), there is no warm-up and it stops after the pair
// that spends the budget.
func pair(n int, budget time.Duration, a, b func(i int) error) (da, db []time.Duration, err error) {
	if budget <= 0 {
		if err := a(0); err != nil {
			return nil, nil, err
		}
		if err := b(0); err != nil {
			return nil, nil, err
		}
	}
	start := time.Now()
	for i := 1; i <= n; i++ {
		t := time.Now()
		if err := a(i); err != nil {
			return nil, nil, err
		}
		da = append(da, time.Since(t))
		t = time.Now()
		if err := b(i); err != nil {
			return nil, nil, err
		}
		db = append(db, time.Since(t))
		if budget > 0 && time.Since(start) > budget {
			break
		}
	}
	return da, db, nil
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// Run measures every scenario on the env and returns the figures in
// report order. It writes (ingests, accepts) and removes what it wrote
// before returning (and, first, what interrupted runs left).
func Run(e *Env, o RunOptions) (figs []Figure, err error) {
	o.defaults()
	if err := e.CleanupAll(); err != nil {
		return nil, err
	}
	defer func() {
		if cerr := e.Cleanup(); err == nil {
			err = cerr
		}
	}()
	k := o.Iterations
	logf := func(format string, args ...any) { fmt.Fprintf(o.Log, format+"\n", args...) }

	for _, s := range e.ListScenarios() {
		if !o.runs("lists") {
			break
		}
		logf("  %s …", s.Name)
		rest, raw, err := pair(k, 0, s.REST, s.Raw)
		if err != nil {
			return figs, err
		}
		f := Figure{Name: s.Name, Unit: "ms", Value: ms(Median(rest)), P95: ms(Percentile(rest, 95)), Raw: ms(Median(raw)),
			Target: "≤ 3× raw and < 10 ms", Runs: len(rest)}
		f.Met = met(f.Ratio() <= 3 && f.Value < 10)
		figs = append(figs, f)
	}

	if figs, err = e.runROI(figs, o); err != nil {
		return figs, err
	}
	if figs, err = e.runSearch(figs, o); err != nil {
		return figs, err
	}

	for _, assign := range []bool{false, true} {
		if !o.runs("ingest") {
			break
		}
		name, note, target := "ingest: single lead (new, below threshold), sequential", "dedup + territory + audit, FULL sync", 500.0
		if assign {
			// a ready lead's target (assignment and offer included) is ≥ 100 req/s
			name, note, target = "ingest: single lead (ready → assignment + offer), sequential", "dedup + territory + assignment + offer + notifications + audit", 100
		}
		logf("  %s …", name)
		rest, raw, err := pair(k, o.Budget, func(int) error { return e.IngestREST(assign) }, func(int) error { return e.IngestRaw(assign) })
		if err != nil {
			return figs, err
		}
		f := Figure{Name: name, Unit: "req/s", Value: float64(len(rest)) / sum(rest).Seconds(), Raw: float64(len(raw)) / sum(raw).Seconds(),
			Target: fmt.Sprintf("≥ %.0f req/s", target), Note: note, Runs: len(rest)}
		f.Met = met(f.Value >= target)
		figs = append(figs, f)
	}

	if o.runs("ingest") {
		logf("  ingest: single leads, concurrent clients …")
		if figs, err = e.runConcurrentIngest(figs, o); err != nil {
			return figs, err
		}
	}

	if o.runs("batch") {
		bl := o.BatchLeads
		logf("  ingest: batches of %d …", bl)
		rest, raw, err := pair(max(1, k/25), o.Budget, func(int) error { return e.IngestBatchREST(bl) }, func(int) error { return e.IngestBatchRaw(bl) })
		if err != nil {
			return figs, err
		}
		f := Figure{Name: fmt.Sprintf("ingest: batch of %d leads", bl), Unit: "leads/s", Value: float64(bl*len(rest)) / sum(rest).Seconds(),
			Raw: float64(bl*len(raw)) / sum(raw).Seconds(), Target: "≥ 10,000 leads/s", Runs: len(rest)}
		f.Met = met(f.Value >= 10000)
		figs = append(figs, f)
	}

	if o.runs("accept") {
		logf("  accept: rounds of %d concurrent partners …", len(e.Sales))
		var acc, accRaw []time.Duration
		for r := 0; r < max(1, k/20); r++ {
			l, err := e.AcceptRoundREST()
			if err != nil {
				return figs, err
			}
			acc = append(acc, l...)
			l, err = e.AcceptRoundRaw()
			if err != nil {
				return figs, err
			}
			accRaw = append(accRaw, l...)
		}
		f := Figure{Name: fmt.Sprintf("accept an offer, %d partners at once", len(e.Sales)), Unit: "ms", Value: ms(Median(acc)),
			P95: ms(Percentile(acc, 95)), Raw: ms(Median(accRaw)), Target: "median < 20 ms", Runs: len(acc)}
		f.Met = met(f.Value < 20)
		figs = append(figs, f)
	}

	figs, err = e.runReports(figs, o)
	if err != nil {
		return figs, err
	}
	return runProcess(figs, o, logf)
}

// runSearch measures the searches (target < 100 ms).
func (e *Env) runSearch(figs []Figure, o RunOptions) ([]Figure, error) {
	if !o.runs("search") {
		return figs, nil
	}
	ss, err := e.SearchScenarios()
	if err != nil {
		return figs, err
	}
	for _, s := range ss {
		fmt.Fprintf(o.Log, "  %s …\n", s.Name)
		rest, raw, err := pair(o.Iterations, 0, s.REST, s.Raw)
		if err != nil {
			return figs, err
		}
		f := Figure{Name: s.Name, Unit: "ms", Value: ms(Median(rest)), P95: ms(Percentile(rest, 95)), Raw: ms(Median(raw)),
			Target: "< 100 ms", Runs: len(rest)}
		f.Met = met(f.Value < 100)
		figs = append(figs, f)
	}
	return figs, nil
}

func (e *Env) runReports(figs []Figure, o RunOptions) ([]Figure, error) {
	if !o.runs("reports") {
		return figs, nil
	}
	logf := func(format string, args ...any) { fmt.Fprintf(o.Log, format+"\n", args...) }
	if err := e.SyncRollups(); err != nil {
		return figs, err
	}
	routed := e.ReportsRouted()
	nr := max(1, o.Iterations/10)
	for _, r := range []struct {
		name      string
		rest, raw func(int) error
	}{
		{"management dashboard (admin)", func(int) error { return e.DashboardREST() }, func(int) error { return e.DashboardRaw() }},
		{"partner scorecard, all partners, 12 months (admin)", func(int) error { return e.ScorecardREST() }, func(int) error { return e.ScorecardRaw() }},
		{"partner scorecard, own company (partner_manager)", e.OwnScorecardREST, e.OwnScorecardRaw},
	} {
		logf("  %s …", r.name)
		f := Figure{Name: r.name, Unit: "ms", Target: "< 200 ms"}
		if routed {
			rest, raw, err := pair(nr, o.Budget, r.rest, r.raw)
			if err != nil {
				return figs, err
			}
			f.Value, f.P95, f.Raw, f.Runs = ms(Median(rest)), ms(Percentile(rest, 95)), ms(Median(raw)), len(rest)
		} else {
			raw, _, err := pair(nr, o.Budget, r.raw, func(int) error { return nil })
			if err != nil {
				return figs, err
			}
			f.Value, f.P95, f.Runs = ms(Median(raw)), ms(Percentile(raw, 95)), len(raw)
			f.Note = "no /api/prm/reports route in this build: the figure is the equivalent SQL"
		}
		f.Met = met(f.Value < 200)
		figs = append(figs, f)
	}
	return figs, nil
}

func runProcess(figs []Figure, o RunOptions, logf func(string, ...any)) ([]Figure, error) {
	if o.Binary != "" && o.runs("process") {
		logf("  cold start × %d …", o.Starts)
		var starts []time.Duration
		var rss []int64
		for i := 0; i < o.Starts; i++ {
			p, err := StartServe(o.Binary, o.DataDir, 2*time.Second)
			if err != nil {
				return figs, err
			}
			starts, rss = append(starts, p.ColdStart), append(rss, p.RSS)
		}
		cs := Figure{Name: "cold start: exec → /api/health 200", Unit: "s", Value: Median(starts).Seconds(), Target: "< 1 s",
			Note: "page cache warm after the first start", Runs: len(starts)}
		cs.Met = met(cs.Value < 1)
		mem := Figure{Name: "idle RSS after start (VmRSS, 2 s idle)", Unit: "MB", Value: float64(medianInt(rss)) / (1 << 20), Target: "< 60 MB", Runs: len(rss)}
		mem.Met = met(mem.Value < 60)
		figs = append(figs, cs, mem)
		if size, err := BinarySize(o.Binary); err == nil {
			b := Figure{Name: "binary size", Unit: "MB", Value: float64(size) / (1 << 20), Target: "< 60 MB"}
			b.Met = met(b.Value < 60)
			figs = append(figs, b)
		}
	}
	return figs, nil
}

func format(v float64, unit string) string {
	switch unit {
	case "ms":
		if v >= 100 {
			return fmt.Sprintf("%.0f ms", v)
		}
		return fmt.Sprintf("%.2f ms", v)
	case "s":
		return fmt.Sprintf("%.3f s", v)
	case "MB":
		return fmt.Sprintf("%.1f MB", v)
	default:
		if v < 10 {
			return fmt.Sprintf("%.2f %s", v, unit)
		}
		return fmt.Sprintf("%.0f %s", v, unit)
	}
}

// PrintTable writes the figures as a Markdown table.
func PrintTable(w io.Writer, figs []Figure) {
	fmt.Fprintln(w, "| figure | Relais | p95 | raw SQL (limit) | ratio | target | met | runs |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|---|---:|")
	for _, f := range figs {
		p95, raw, ratio := "", "", ""
		if f.P95 > 0 {
			p95 = format(f.P95, f.Unit)
		}
		if f.Raw > 0 {
			raw = format(f.Raw, f.Unit)
			ratio = fmt.Sprintf("%.1f×", f.Ratio())
		}
		name := f.Name
		if f.Note != "" {
			name += " (" + f.Note + ")"
		}
		runs := ""
		if f.Runs > 0 {
			runs = fmt.Sprint(f.Runs)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, format(f.Value, f.Unit), p95, raw, ratio, f.Target, f.Met, runs)
	}
}
