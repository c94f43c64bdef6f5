// Package distribution hands leads to partners (SPEC §4.4–4.6): the
// assignment rules and candidates (Distribute, through package assign's
// strategies), offers and their expiry (ExpireOffers, the distribution
// job: DistributePending), accept and decline (Accept, Decline: exactly
// one winner under concurrency), the manual assignment by channel managers
// (Assign), and the lead lifecycle on every status edit (CheckLeadUpdate,
// through package lifecycle; LeadUpdated distributes a lead made ready
// right after the commit). Offers notify the partner's users and, when
// a lead goes back to the pool, its channel managers. A ready lead no
// partner can take waits in distribution_waits (waits.go): shown on the
// board, its channel managers told once, tried again after RetryAfter.
package distribution
