package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/domain"
)

// The certificate rules page (/certificate-rules, the admin role): which
// lead segment or need (words of the lead's interest) requires which
// installer certificate. One form lists the rules with two blank rows to
// add one; a row with "remove" ticked, or left blank, is dropped; the
// whole list is saved by certificates.SaveRules (checked, audited).

// certRulesBlank is the number of blank rows offered for new rules.
const certRulesBlank = 2

// certRuleRow is one rule of the form (Keywords comma-separated).
type certRuleRow struct {
	Index    int
	Segments []string
	Keywords string
	Kinds    []string
}

// certRulesPage is the data of the cert_rules view.
type certRulesPage struct {
	*page
	Rows     []certRuleRow
	Segments []string
	Kinds    []string
	Error    string
	Field    string
}

func (h *handlers) certRulesPageOf(e *core.RequestEvent, rules []assign.CertRequirement) *certRulesPage {
	p := &certRulesPage{page: h.page(e, "cert_rules", "cert_rules.title"), Segments: certificates.RuleSegments, Kinds: assign.CertificateKinds()}
	for i, r := range rules {
		p.Rows = append(p.Rows, certRuleRow{Index: i, Segments: r.Segments, Keywords: strings.Join(r.Keywords, ", "), Kinds: r.Kinds})
	}
	for i := 0; i < certRulesBlank; i++ {
		p.Rows = append(p.Rows, certRuleRow{Index: len(p.Rows)})
	}
	return p
}

// certRules shows the rules in force.
func (h *handlers) certRules(e *core.RequestEvent) error {
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "cert_rules", h.certRulesPageOf(e, settings.CertRequirements))
}

// certRulesSave replaces the rules with the submitted list.
func (h *handlers) certRulesSave(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	rules := readCertRules(e.Request.PostForm)
	err := certificates.SaveRules(e.App, access.ByRequest(e), rules)
	if err == nil {
		setFlash(e, "cert_rules.saved")
		return e.Redirect(http.StatusSeeOther, "/certificate-rules")
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p := h.certRulesPageOf(e, rules)
	p.Error, p.Field = p.Err(de), de.Field
	return h.render(e, formStatus(de), "cert_rules", p)
}

// readCertRules reads the rows of the form (rows: their count), leaving
// out removed and blank ones.
func readCertRules(f map[string][]string) []assign.CertRequirement {
	n, _ := strconv.Atoi(first(f["rows"]))
	n = min(max(n, 0), certificates.MaxRules+certRulesBlank)
	var out []assign.CertRequirement
	for i := 0; i < n; i++ {
		k := strconv.Itoa(i)
		if first(f["remove_"+k]) != "" {
			continue
		}
		r := assign.CertRequirement{Segments: f["segments_"+k], Kinds: f["kinds_"+k]}
		for _, w := range strings.Split(first(f["keywords_"+k]), ",") {
			if w = strings.TrimSpace(w); w != "" {
				r.Keywords = append(r.Keywords, w)
			}
		}
		if len(r.Segments) == 0 && len(r.Kinds) == 0 && len(r.Keywords) == 0 {
			continue
		}
		out = append(out, r)
	}
	return out
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
