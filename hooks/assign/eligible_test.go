package assign

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// okPartner returns a partner eligible for okLead under okRule.
func okPartner() Partner {
	return Partner{
		ID: "P1", Kind: "installer", Tier: "standard", Status: StatusActive,
		ContractEnd: testNow.AddDate(1, 0, 0),
		Territories: []string{"T-BRE", "T-ARA"},
		Segments:    []string{"residential", "agricultural"},
		Capacity:    10, OpenLeads: 3, ActiveUsers: 2,
	}
}

func okLead() Lead { return Lead{ID: "L1", Territory: "T-ARA", Segment: "residential", Score: 70} }

func okRule() Rule {
	return Rule{ID: "R1", Active: true, PartnerKinds: []string{"installer", "reseller"}, Tiers: []string{"standard", "strategic"}, Strategy: StrategyRoundRobin}
}

func TestEligible(t *testing.T) {
	tests := []struct {
		name     string
		partner  func(*Partner)
		lead     func(*Lead)
		rule     func(*Rule)
		excluded map[string]bool
		want     string // "" = eligible
	}{
		{name: "eligible"},
		{name: "suspended", partner: func(p *Partner) { p.Status = StatusSuspended }, want: ReasonSuspended},
		{name: "ended", partner: func(p *Partner) { p.Status = StatusEnded }, want: ReasonEnded},
		{name: "empty status", partner: func(p *Partner) { p.Status = "" }, want: ReasonInactive},
		{name: "unknown status", partner: func(p *Partner) { p.Status = "Active" }, want: ReasonInactive},
		{name: "contract ended", partner: func(p *Partner) { p.ContractEnd = testNow.Add(-time.Second) }, want: ReasonContractEnded},
		{name: "contract ends exactly now", partner: func(p *Partner) { p.ContractEnd = testNow }},
		{name: "no contract end", partner: func(p *Partner) { p.ContractEnd = time.Time{} }},
		{name: "at capacity", partner: func(p *Partner) { p.OpenLeads = 10 }, want: ReasonAtCapacity},
		{name: "over capacity", partner: func(p *Partner) { p.OpenLeads = 12 }, want: ReasonAtCapacity},
		{name: "one slot left", partner: func(p *Partner) { p.OpenLeads = 9 }},
		{name: "unlimited capacity", partner: func(p *Partner) { p.Capacity = 0; p.OpenLeads = 500 }},
		{name: "negative capacity is unlimited", partner: func(p *Partner) { p.Capacity = -1; p.OpenLeads = 5 }},
		{name: "no active user", partner: func(p *Partner) { p.ActiveUsers = 0 }, want: ReasonNoActiveUser},
		{name: "excluded", excluded: map[string]bool{"P1": true}, want: ReasonAlreadyDeclined},
		{name: "excluded other partner only", excluded: map[string]bool{"P2": true}},
		{name: "excluded false entry", excluded: map[string]bool{"P1": false}},
		{name: "not in rule list", rule: func(r *Rule) { r.Partners = []string{"P2", "P3"} }, want: ReasonNotInRule},
		{name: "in rule list", rule: func(r *Rule) { r.Partners = []string{"P2", "P1"} }},
		{
			name:    "rule list overrides territory",
			rule:    func(r *Rule) { r.Partners = []string{"P1"} },
			partner: func(p *Partner) { p.Territories = nil },
		},
		{name: "territory not served", lead: func(l *Lead) { l.Territory = "T-IDF" }, want: ReasonTerritory},
		{name: "lead without territory", lead: func(l *Lead) { l.Territory = "" }, want: ReasonTerritory},
		{
			name:    "partner with empty territory id and lead without territory",
			lead:    func(l *Lead) { l.Territory = "" },
			partner: func(p *Partner) { p.Territories = []string{""} },
			want:    ReasonTerritory,
		},
		{name: "kind filtered", partner: func(p *Partner) { p.Kind = "distributor" }, want: ReasonKind},
		{name: "no kind filter", partner: func(p *Partner) { p.Kind = "distributor" }, rule: func(r *Rule) { r.PartnerKinds = nil }},
		{name: "tier filtered", partner: func(p *Partner) { p.Tier = "pilot" }, want: ReasonTier},
		{name: "no tier filter", partner: func(p *Partner) { p.Tier = "pilot" }, rule: func(r *Rule) { r.Tiers = nil }},
		{name: "segment not served", lead: func(l *Lead) { l.Segment = "industrial" }, want: ReasonSegment},
		{name: "lead without segment, partner restricted", lead: func(l *Lead) { l.Segment = "" }, want: ReasonSegment},
		{name: "partner serves all segments", partner: func(p *Partner) { p.Segments = nil }, lead: func(l *Lead) { l.Segment = "industrial" }},
		{name: "no certificate required, none held"},
		{
			name: "certificate required, none held",
			lead: func(l *Lead) { l.Certificates = [][]string{{CertQualiPV, CertQualifelec}} },
			want: ReasonCertificate,
		},
		{
			name:    "certificate required, one of the kinds valid",
			lead:    func(l *Lead) { l.Certificates = [][]string{{CertQualiPV, CertQualifelec}} },
			partner: func(p *Partner) { p.Certificates = map[string]time.Time{CertQualifelec: testNow.AddDate(0, 6, 0)} },
		},
		{
			name:    "certificate required, expired yesterday",
			lead:    func(l *Lead) { l.Certificates = [][]string{{CertQualiPV}} },
			partner: func(p *Partner) { p.Certificates = map[string]time.Time{CertQualiPV: testNow.AddDate(0, 0, -1)} },
			want:    ReasonCertificate,
		},
		{
			name:    "certificate valid through its last day",
			lead:    func(l *Lead) { l.Certificates = [][]string{{CertQualiPV}} },
			partner: func(p *Partner) { p.Certificates = map[string]time.Time{CertQualiPV: testNow.Truncate(24 * time.Hour)} },
		},
		{
			name:    "certificate of another kind only",
			lead:    func(l *Lead) { l.Certificates = [][]string{{CertQualiPAC}} },
			partner: func(p *Partner) { p.Certificates = map[string]time.Time{CertQualiPV: testNow.AddDate(1, 0, 0)} },
			want:    ReasonCertificate,
		},
		{
			name: "two requirements, one met",
			lead: func(l *Lead) { l.Certificates = [][]string{{CertQualiPV}, {CertQualiPAC}} },
			partner: func(p *Partner) {
				p.Certificates = map[string]time.Time{CertQualiPV: testNow.AddDate(1, 0, 0)}
			},
			want: ReasonCertificate,
		},
		{
			name: "two requirements, both met",
			lead: func(l *Lead) { l.Certificates = [][]string{{CertQualiPV}, {CertQualiPAC}} },
			partner: func(p *Partner) {
				p.Certificates = map[string]time.Time{CertQualiPV: testNow.AddDate(1, 0, 0), CertQualiPAC: testNow.AddDate(0, 1, 0)}
			},
		},
		{
			name: "segment wins over certificate",
			lead: func(l *Lead) { l.Segment = "industrial"; l.Certificates = [][]string{{CertQualiPV}} },
			want: ReasonSegment,
		},
		// Precedence: the first failing check is reported.
		{
			name:    "suspended wins over at capacity",
			partner: func(p *Partner) { p.Status = StatusSuspended; p.OpenLeads = 10 },
			want:    ReasonSuspended,
		},
		{
			name:    "contract ended wins over no active user",
			partner: func(p *Partner) { p.ContractEnd = testNow.AddDate(0, 0, -1); p.ActiveUsers = 0 },
			want:    ReasonContractEnded,
		},
		{
			name:     "declined wins over territory",
			lead:     func(l *Lead) { l.Territory = "T-IDF" },
			excluded: map[string]bool{"P1": true},
			want:     ReasonAlreadyDeclined,
		},
		{
			name:    "kind wins over segment",
			partner: func(p *Partner) { p.Kind = "referrer"; p.Segments = []string{"industrial"} },
			want:    ReasonKind,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, l, r := okPartner(), okLead(), okRule()
			if tt.partner != nil {
				tt.partner(&p)
			}
			if tt.lead != nil {
				tt.lead(&l)
			}
			if tt.rule != nil {
				tt.rule(&r)
			}
			ok, reason := Eligible(p, l, r, tt.excluded, testNow)
			assert.Equal(t, tt.want, reason)
			assert.Equal(t, tt.want == "", ok)
		})
	}
}
