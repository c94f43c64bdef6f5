package hooks_test

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/policy"
)

// populateOracleWorld gives every collection records inside and outside
// each role's scope, with distinct values, so that the oracle finds secrets
// everywhere: the authorization fixtures of every role × resource, plus
// offers, notifications, grants, access requests and reviews of several
// users and partners.
func populateOracleWorld(w *world) {
	for _, role := range oracleRoles {
		for _, res := range policy.Resources() {
			if res == "reports" {
				continue
			}
			w.fixture(role, res)
		}
	}
	day := func(d int) types.DateTime {
		v, _ := types.ParseDateTime(time.Now().UTC().Add(time.Duration(d) * 24 * time.Hour))
		return v
	}
	// offers of each partner on leads of each territory
	for i, s := range []leadShape{
		{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered", createdBy: "teleoperator"},
		{partner: "P2", assignee: "pu2", territory: "T2", status: "offered", createdBy: "integration"},
		{partner: "P2", assignee: "pu2", territory: "T1", status: "accepted", createdBy: "teleoperator"},
	} {
		l := w.lead(s)
		w.contactOf(l, "offer"+w.next()+"@x.test")
		partner := w.partnerID(s.partner)
		w.mk("lead_offers", map[string]any{"lead": l.Id, "partner": partner, "offered_at": day(-i - 1), "accept_by": day(1), "outcome": "pending", "reason": "Raison offre " + w.next()})
		other := map[string]string{w.P1: w.P2, w.P2: w.P1}[partner]
		w.mk("lead_offers", map[string]any{"lead": l.Id, "partner": other, "offered_at": day(-i - 3), "accept_by": day(-i - 2), "outcome": "declined", "reason": "Refus " + w.next(), "decided_at": day(-i - 2)})
		w.mk("deal_terms", map[string]any{"lead": l.Id, "margin_pct": 17 + i, "purchase_price": 4321 + i, "conditions": "Conditions " + w.next()})
		w.mk("activities", map[string]any{"lead": l.Id, "kind": "note", "summary": "Note interne " + w.next(), "internal": true, "author": w.uid("sales")})
	}
	for _, u := range []string{"admin", "channel_manager", "sales", "teleoperator", "partner_manager", "partner_user", "pm2", "pu2", "integration"} {
		w.mk("notifications", map[string]any{"user": w.uid(u), "kind": "offer", "title": "Titre " + u + " " + w.next(), "body": "Corps " + w.next()})
		w.mk("access_requests", map[string]any{"requester": w.uid(u), "kind": "export", "resource": "leads", "details": "Détails " + w.next(), "justification": "Justification " + u + " " + w.next(), "status": "pending"})
	}
	w.grantOf(w.uid("sales2"), "territory", w.T2, day(-2), day(5), "Renfort "+w.next())
	w.mk("grants", map[string]any{"user": w.uid("pm2"), "kind": "export", "resource": "leads", "starts": day(-2), "expires": day(5), "reason": "Export " + w.next(), "granted_by": w.uid("admin")})
	review := w.mk("access_reviews", map[string]any{"name": "Revue T" + w.next(), "period": "2026-Q4", "status": "open", "opened_at": day(-1)})
	for _, u := range []string{"pu2", "sales2"} {
		w.mk("access_review_items", map[string]any{"review": review.Id, "user": w.uid(u), "decision": "keep", "note": "Note revue " + u})
	}
	// certificates of both partners, one valid and one lapsed each
	for _, p := range []string{w.P1, w.P2} {
		w.mk("partner_certificates", map[string]any{"partner": p, "kind": "rge_qualipv", "number": "QPV-" + w.next(), "valid_until": day(200)})
		w.mk("partner_certificates", map[string]any{"partner": p, "kind": "qualifelec", "number": "QE-" + w.next(), "valid_until": day(-20)})
	}
	w.mk("assignment_rules", map[string]any{"name": "Règle " + w.next(), "priority": 3, "active": true, "territory": w.T2, "strategy": "weighted", "partners": []string{w.P2}, "min_score": 40})
}
