// Package lifecycle holds the lead status machine of SPEC §2 (leads.status)
// and §4.3–4.6: which status moves each role may make by editing a lead,
// which outcomes a closing move needs, and how statuses group into the
// central pool, open offers and accepted work.
//
// It is pure logic: the caller (a PocketBase hook or a UI handler) looks up
// the acting user's role name and kind, calls [CanTransition] with the
// lead's stored and requested status, and refuses the change when it gets an
// error. Moves into offered and accepted never happen through a status edit:
// they belong to the assign, accept and decline routes (SPEC §6).
package lifecycle

// Lead statuses, in lifecycle order (SPEC §2 leads.status).
const (
	StatusNew        = "new"
	StatusQualifying = "qualifying"
	StatusReady      = "ready"
	StatusOffered    = "offered"
	StatusAccepted   = "accepted"
	StatusContacted  = "contacted"
	StatusMeeting    = "meeting"
	StatusWon        = "won"
	StatusLost       = "lost"
	StatusRecycled   = "recycled"
)

// Statuses returns every lead status in lifecycle order, as a fresh slice.
func Statuses() []string {
	return []string{
		StatusNew, StatusQualifying, StatusReady, StatusOffered, StatusAccepted,
		StatusContacted, StatusMeeting, StatusWon, StatusLost, StatusRecycled,
	}
}

// PoolStatuses returns the statuses of a lead sitting in the central pool,
// unassigned (new, qualifying, ready, recycled), as a fresh slice.
func PoolStatuses() []string {
	return []string{StatusNew, StatusQualifying, StatusReady, StatusRecycled}
}

// OpenStatuses returns the statuses of a lead entrusted to a partner and not
// yet closed (offered, accepted, contacted, meeting), as a fresh slice. They
// count against a partner's capacity and make a lead a channel-conflict match.
func OpenStatuses() []string {
	return []string{StatusOffered, StatusAccepted, StatusContacted, StatusMeeting}
}

// AcceptedOrLaterStatuses returns the statuses reached once a partner has
// accepted the lead (accepted, contacted, meeting, won, lost), as a fresh
// slice. From these on, the partner may see the lead's contact details
// (SPEC §3.3.2).
func AcceptedOrLaterStatuses() []string {
	return []string{StatusAccepted, StatusContacted, StatusMeeting, StatusWon, StatusLost}
}

// Valid reports whether status is one of [Statuses].
func Valid(status string) bool {
	return contains(Statuses(), status)
}

// InPool reports whether status is one of [PoolStatuses].
func InPool(status string) bool {
	return contains(PoolStatuses(), status)
}

// Open reports whether status is one of [OpenStatuses].
func Open(status string) bool {
	return contains(OpenStatuses(), status)
}

// AcceptedOrLater reports whether status is one of [AcceptedOrLaterStatuses].
func AcceptedOrLater(status string) bool {
	return contains(AcceptedOrLaterStatuses(), status)
}

// Closed reports whether status is a final outcome (won or lost).
func Closed(status string) bool {
	return status == StatusWon || status == StatusLost
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
