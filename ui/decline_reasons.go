package ui

import "github.com/relais/relais/hooks/reasons"

// declineReasons are the reasons offered in the decline form: each code
// with its label in the reader's language ("other" is the empty choice,
// which needs details).
func declineReasons(p *page) []option {
	out := make([]option, 0, len(reasons.DeclineCodes))
	for _, c := range reasons.DeclineCodes {
		if c != reasons.Other {
			out = append(out, option{Value: c, Label: p.T("decline.reason." + c)})
		}
	}
	return out
}

// DeclineReason writes an offer's decline reason in the reader's language:
// the label of its code, then its note; an offer stored without a code
// (a withdrawal's system reason) shows its stored reason.
func (l *locale) DeclineReason(code, note, stored string) string {
	if code == "" {
		if stored == "reassigned" { // an offer withdrawn by a reassignment
			return l.T("offer.reason.reassigned")
		}
		return stored
	}
	label := l.T("decline.reason." + code)
	if note == "" {
		return label
	}
	return label + ": " + note
}

// ReasonLabel is the label of a decline reason code in the reader's
// language ("" for offers declined without a code).
func (l *locale) ReasonLabel(code string) string {
	if code == "" || !reasons.IsDecline(code) {
		return code
	}
	return l.T("decline.reason." + code)
}
