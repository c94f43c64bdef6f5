package hooks

// Test access to the report paths that bypass the rollups, so that tests
// can compare the two.
var (
	ScorecardRaw   = scorecardRaw
	DepartmentsRaw = departmentsRaw
)

// Acceptance is the dashboard's per-partner acceptance figures.
var Acceptance = acceptance
