package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/policy"
)

// fill replaces every marker, each time it appears, and nothing else.
func TestFill(t *testing.T) {
	assert.Equal(t, "SELECT 1 WHERE a = 1 AND o.partner = {:partner} AND b", fill("SELECT 1 WHERE {scope} AND o.partner = {:partner}{offers}", "{scope}", "a = 1", "{offers}", " AND b"))
	assert.Equal(t, "x y x", fill("{a} y {a}", "{a}", "x"))
	for _, q := range []string{qFunnel, qTrendCreated, qTrendWon, qTrendOffered, qTrendAccepted, qWeekIntake, qExpiringOffers,
		qConflictsWaiting, qDepartments, qScorecardOffers, qScorecardDelays, qScorecardDeclines, qScorecardWon, qScorecardPipeline,
		qScorecardDuplicates, qRollupAcceptance, qRollupAcceptanceRows, qRollupOffers, qRollupDeclines, qRollupWon, qRollupPipeline, qRollupDepartments} {
		filled := fill(q, "{scope}", "1=1", "{offers}", "", "{pipeline}", "'accepted'")
		assert.NotContains(t, filled, "{scope}", q)
		assert.NotContains(t, filled, "{offers}", q)
		assert.NotContains(t, filled, "{pipeline}", q)
		assert.True(t, strings.HasPrefix(filled, "SELECT"), q)
	}
}

// Report periods are whole UTC days.
func TestPeriods(t *testing.T) {
	now := time.Date(2026, 11, 22, 15, 30, 0, 0, time.UTC)
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	f := Period(now, 12)
	assert.Equal(t, day("2025-11-22"), f.From)
	assert.Equal(t, day("2026-11-23"), f.To)
	recent, before := DashboardWindows(now)
	assert.Equal(t, day("2026-10-24"), recent.From)
	assert.Equal(t, day("2026-11-23"), recent.To)
	assert.Equal(t, day("2026-09-24"), before.From)
	assert.Equal(t, recent.From, before.To)
}

// The scope of a report as a condition on leads (alias l) and on offers
// (alias o, joined to their lead l).
func TestScopeConditions(t *testing.T) {
	for _, tc := range []struct {
		name          string
		s             Scope
		f             Filter
		leads, offers string
	}{
		{"all", Scope{Level: policy.All}, Filter{}, "1=1", "1=1"},
		{"a company", Scope{Level: policy.Org, Partner: "P1"}, Filter{}, "1=1 AND l.partner = {:partner}", "1=1 AND o.partner = {:partner}"},
		{"a salesperson", Scope{Level: policy.Own, UserID: "u1"}, Filter{}, "1=1 AND (l.assignee = {:me} OR l.created_by = {:me})", "1=1 AND (o.assignee = {:me} OR l.created_by = {:me})"},
		{"no territory", Scope{Level: policy.Territory}, Filter{}, "1=1 AND 0=1", "1=1 AND 0=1"},
		{"two territories", Scope{Level: policy.Territory, Territories: []string{"T1", "T2"}}, Filter{}, "1=1 AND l.territory IN ({:t0},{:t1})", "1=1 AND l.territory IN ({:t0},{:t1})"},
		{"filtered", Scope{Level: policy.All}, Filter{Partner: "P2", Department: "35"}, "1=1 AND l.partner = {:fpartner} AND l.department = {:fdept}", "1=1 AND o.partner = {:fpartner} AND l.department = {:fdept}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lw, _ := tc.s.leadsWhere(tc.f)
			ow, _ := tc.s.offersWhere(tc.f)
			assert.Equal(t, tc.leads, lw)
			assert.Equal(t, tc.offers, ow)
		})
	}
}
