// Package reports computes the report figures of SPEC §4.7 for a scope
// (ScopeFor: whose figures the matrix's `reports` cell lets a user see):
// the partner scorecard, the funnel and the monthly trend, the
// départements of the map and the management dashboard. Every report query
// is in queries.go. The rollups (rollups*.go) keep the same figures
// pre-aggregated per month and day, exact in the transaction of every
// write of a lead or an offer; the reports read them when they can answer.
package reports
