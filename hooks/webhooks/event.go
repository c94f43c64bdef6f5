package webhooks

import (
	"time"

	"github.com/relais/relais/hooks/lifecycle"
)

// EventReoffered is the event of an offered lead offered again to another
// partner (the previous one declined it or let it expire).
const EventReoffered = "lead.reoffered"

// LeadState is what the events read of a lead, before and after a write.
type LeadState struct {
	Status     string
	Partner    string
	OfferedAt  string
	SourceRef  string
	Source     string
	WonAmount  float64
	LostReason string
	MeetingAt  string
	// Offers is the number of offers the lead had (offers_count).
	Offers int
}

// EventFor names the event of a lead's change from old to new, or "" when
// the change is none the source is told about: "lead.<status>" when the
// status changed, EventReoffered when an offered lead went to another
// offer (another partner, or a new offer time) or a lead is offered for
// the second time or more.
func EventFor(old, new LeadState) string {
	if new.Status == "" {
		return ""
	}
	if old.Status != new.Status {
		if new.Status == lifecycle.StatusOffered && new.Offers > 1 {
			return EventReoffered
		}
		return "lead." + new.Status
	}
	if new.Status == lifecycle.StatusOffered && (old.Partner != new.Partner || old.OfferedAt != new.OfferedAt) {
		return EventReoffered
	}
	return ""
}

// Body is the JSON body of an event: only what the source may see (see
// the package doc).
func Body(id, event, leadID string, old, new LeadState, at time.Time) map[string]any {
	lead := map[string]any{
		"id":              leadID,
		"source":          new.Source,
		"source_ref":      new.SourceRef,
		"status":          new.Status,
		"previous_status": old.Status,
	}
	switch new.Status {
	case lifecycle.StatusWon:
		lead["won_amount"] = new.WonAmount
	case lifecycle.StatusLost:
		lead["lost_reason"] = new.LostReason
	case lifecycle.StatusMeeting:
		lead["meeting_at"] = new.MeetingAt
	}
	return map[string]any{
		"id":          id,
		"type":        event,
		"occurred_at": at.UTC().Format(time.RFC3339Nano),
		"lead":        lead,
	}
}

// MergesInto reports whether a pending event never attempted (prev, which
// moved its lead from prevFrom) is replaced by the next event of its lead
// instead of being followed by it: a declined or expired offer returns the
// lead to the pool and the distribution offers it to the next partner in
// the same transaction; the source gets one "declined and re-offered"
// event (EventReoffered, from offered), not a transient pool status.
func MergesInto(prev, prevFrom, next string) bool {
	pool := prev == "lead."+lifecycle.StatusReady || prev == "lead."+lifecycle.StatusRecycled
	return pool && prevFrom == lifecycle.StatusOffered && (next == EventReoffered || next == "lead."+lifecycle.StatusOffered)
}
