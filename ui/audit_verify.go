package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
)

// verifyResult is the outcome of a chain verification.
type verifyResult struct {
	*page
	OK       bool
	Count    int
	LastSeq  int
	LastHash string
	BreakSeq int
	Reason   string
}

// verifyAudit walks the whole hash chain and reports the first break (a
// read: it changes nothing, so it is a GET).
func (h *handlers) verifyAudit(e *core.RequestEvent) error {
	rep, err := audit.Verify(e.App, audit.DefaultVerifyBatch, nil)
	if err != nil {
		return err
	}
	v := &verifyResult{page: h.page(e, "audit", "audit.verify"), OK: rep.Break == nil, Count: rep.Count, LastSeq: rep.LastSeq, LastHash: rep.LastHash, BreakSeq: rep.BreakSeq}
	if rep.Break != nil {
		v.Reason = rep.Break.Reason
	}
	if !isHX(e) {
		p, err := h.auditPage(e)
		if err != nil {
			return err
		}
		p.Verify = v
		return h.render(e, http.StatusOK, "audit", p)
	}
	return h.fragment(e, http.StatusOK, "audit", "verify", v)
}
