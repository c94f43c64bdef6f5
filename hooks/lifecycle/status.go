// Package lifecycle holds the lead status machine of SPEC §2 (leads.status)
// and §4.3–4.6: which status moves each role may make by editing a lead,
// which outcomes a closing move needs, and the named sets of statuses the
// rest of Relais asks about (the pool, what counts against a partner's
// capacity, the open pipeline, what makes a channel conflict, …).
//
// It is pure logic: the caller (a PocketBase hook or a UI handler) looks up
// the acting user's role name and kind, calls [CanTransition] with the
// lead's stored and requested status, and refuses the change when it gets an
// error. Moves into offered and accepted never happen through a status edit:
// they belong to the assign, accept and decline routes (SPEC §6).
//
// The policy compiler, the list hints, the distribution, the conflict
// check and the report rollups take their status sets from here; [SQLList]
// renders one for a query.
package lifecycle

import "strings"

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

// The statuses are grouped into named sets, each for one question. "Open"
// used to name three of them; none is called so any more.

// PoolStatuses returns the statuses of a lead sitting in the central pool,
// unassigned (new, qualifying, ready, recycled), as a fresh slice: the
// `pool` level of the matrix, the leads a channel manager may assign.
func PoolStatuses() []string {
	return []string{StatusNew, StatusQualifying, StatusReady, StatusRecycled}
}

// DistributableStatuses returns the statuses of a lead the distribution
// offers to a partner (ready, recycled), as a fresh slice: once its score
// reaches the threshold or a channel manager forced it.
func DistributableStatuses() []string {
	return []string{StatusReady, StatusRecycled}
}

// EntrustedStatuses returns the statuses of a lead entrusted to a partner
// and not yet closed (offered, accepted, contacted, meeting), as a fresh
// slice: they count against a partner's capacity and a salesperson's load.
func EntrustedStatuses() []string {
	return []string{StatusOffered, StatusAccepted, StatusContacted, StatusMeeting}
}

// PipelineStatuses returns the statuses of a lead a partner accepted and
// still works (accepted, contacted, meeting), as a fresh slice: the open
// pipeline of the reports.
func PipelineStatuses() []string {
	return []string{StatusAccepted, StatusContacted, StatusMeeting}
}

// WorkedStatuses returns the statuses of a lead an opportunity can be
// opened from (accepted, contacted, meeting, won), as a fresh slice.
func WorkedStatuses() []string {
	return []string{StatusAccepted, StatusContacted, StatusMeeting, StatusWon}
}

// AcceptedOrLaterStatuses returns the statuses reached once a partner has
// accepted the lead (accepted, contacted, meeting, won, lost), as a fresh
// slice. From these on, the partner may see the lead's contact details
// (SPEC §3.3.2).
func AcceptedOrLaterStatuses() []string {
	return []string{StatusAccepted, StatusContacted, StatusMeeting, StatusWon, StatusLost}
}

// PartnerStatuses returns the statuses of a lead while a partner holds it
// (offered, accepted, contacted, meeting, won, lost), as a fresh slice:
// the only statuses a partner-kind role ever sees (a lead going back to
// the pool leaves its partner).
func PartnerStatuses() []string {
	return append(EntrustedStatuses(), StatusWon, StatusLost)
}

// ReleasedStatuses returns the statuses of a lead that no longer holds its
// customer (lost, recycled), as a fresh slice. A lead in any other status
// makes a new lead or a deal registration for the same customer a channel
// conflict (SPEC §4.2): see [Conflicting].
func ReleasedStatuses() []string {
	return []string{StatusLost, StatusRecycled}
}

// Valid reports whether status is one of [Statuses].
func Valid(status string) bool {
	return contains(Statuses(), status)
}

// InPool reports whether status is one of [PoolStatuses].
func InPool(status string) bool {
	return contains(PoolStatuses(), status)
}

// Distributable reports whether status is one of [DistributableStatuses].
func Distributable(status string) bool {
	return contains(DistributableStatuses(), status)
}

// Entrusted reports whether status is one of [EntrustedStatuses].
func Entrusted(status string) bool {
	return contains(EntrustedStatuses(), status)
}

// InPipeline reports whether status is one of [PipelineStatuses].
func InPipeline(status string) bool {
	return contains(PipelineStatuses(), status)
}

// Worked reports whether status is one of [WorkedStatuses].
func Worked(status string) bool {
	return contains(WorkedStatuses(), status)
}

// Conflicting reports whether a lead in status holds its customer: a valid
// status that is not one of [ReleasedStatuses].
func Conflicting(status string) bool {
	return Valid(status) && !contains(ReleasedStatuses(), status)
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

// SQLList renders statuses as a list of SQL string literals for an IN
// clause: 'offered','accepted'. Statuses are fixed identifiers (no quote).
func SQLList(statuses []string) string {
	return "'" + strings.Join(statuses, "','") + "'"
}
