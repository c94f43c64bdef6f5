// Package bench is the Relais benchmark suite of SPEC §7: a fast
// generator of large, realistic data dirs (Generate: direct SQL in
// transactions, the demo's distributions, up to 1M leads / 1,000 partners)
// and the measurements (Run) that compare what Relais does — the REST API
// through the real router, rules and hooks — with the raw SQL a perfect
// implementation would run for the same rows ("the limit").
//
// The same scenarios back three entry points: `relais-bench bench-data`
// and `relais-bench bench` (cmd/relais-bench, a binary of its own: the
// appliance links none of this package), the Go benchmarks of bench_test.go
// (`go test ./bench -bench .`), and the smoke test of smoke_test.go, which
// runs in the default `go test ./...` and checks that every scenario returns
// the same rows as its raw SQL (correctness, never timing).
//
// Bench data dirs hold only bench accounts (@bench.test); the measurements
// write (ingested leads, accepted offers) and remove what they wrote at the
// end, except the audit entries, which are append-only.
package bench
